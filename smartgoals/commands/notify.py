"""`notify`: what changed since the last notice (verdicts that moved, risks that fire or clear,
check-ins and values due, unexplained variances), or a weekly digest, sent through Apprise to
the destinations in the user's own configuration, never the ledger's.

What was said last is kept in the user's state folder, one file per ledger
($XDG_STATE_HOME/smartgoals/notify/<digest of the ledger's path>.json), so that a notice
never repeats itself; a dry run prints the notice and keeps nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartgoals.errors import InvalidInputError, SmartgoalsError
from smartgoals.views.notify import Notice, NotifyView

ENV = "SMARTGOALS_NOTIFY"  # destinations, space- or comma-separated Apprise URLs
BAD = ("missed", "breached", "off_track", "at_risk")


class NotifyError(SmartgoalsError):
    """The notice could not be sent (exit 3); what it would have said is kept for next time."""


def config_path(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "smartgoals" / "config.yaml"


def destinations(root: Path, environ: Mapping[str, str]) -> list[str]:
    """The user's destinations for this ledger: $SMARTGOALS_NOTIFY, else `notify:` in their
    config.yaml, a list (every ledger) or a mapping of absolute ledger paths to lists."""
    if environ.get(ENV, "").strip():
        return environ[ENV].replace(",", " ").split()
    import yaml

    try:
        data = yaml.safe_load(config_path(environ).read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return []
    found = data.get("notify") if isinstance(data, dict) else None
    if isinstance(found, dict):
        here = root.resolve()
        found = next(
            (
                urls
                for path, urls in found.items()
                if Path(str(path)).expanduser().resolve() == here
            ),
            None,
        )
    if isinstance(found, str):
        found = [found]
    return [u for u in found if isinstance(u, str)] if isinstance(found, list) else []


def shown(url: str) -> str:
    """A destination without its secrets: `slack://`, `mailto://host`, `json://127.0.0.1:8080`."""
    scheme, sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].rpartition("@")[2]
    return f"{scheme}{sep}{host if scheme in ('json', 'jsons', 'mailto', 'mailtos') else ''}"


def state_path(root: Path, environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return Path(base) / "smartgoals" / "notify" / f"{digest}.json"


def facts(data: dict[str, Any]) -> dict[str, str]:
    """What a notice may speak of, from the weekly report's JSON: key -> what it says now."""
    found: dict[str, str] = {}
    for row in data["targets"]:
        who = f"{row['goal']} / {row['metric']}"
        found[f"verdict:{who}"] = str(row["status"])
        if row.get("unexplained"):
            found[f"variance:{who}:{data['period']}"] = (
                f"{who}: {row['status'].replace('_', ' ')}, {row.get('variance_pct')}% from plan, "
                "unexplained (write a check-in or a report note)"
            )
    for risk in data["risks"]:
        if risk["triggered"]:
            found[f"risk:{risk['id']}"] = f"{risk['id']}: {risk['title']}"
    for metric in data["hygiene"]["stale_metrics"]:
        last = metric["last_date"] or "never"
        found[f"due:metric:{metric['id']}"] = f"{metric['id']}: a value is due (last {last})"
    for review in data["hygiene"]["overdue_reviews"]:
        found[f"due:review:{review['goal']}:{review['cadence']}"] = (
            f"{review['goal']}: the {review['cadence']} check-in is due ({review['what']})"
        )
    return found


def changes(old: dict[str, str] | None, now: dict[str, str]) -> Notice:
    """What is new in now against old (None: the first notice: what needs attention now)."""
    before = old or {}
    moved, fire, clear, due, unexplained = [], [], [], [], []
    for key, text in now.items():
        kind, _, who = key.partition(":")
        if before.get(key) == text:
            continue
        if kind == "verdict" and old is not None and key in before:
            moved.append(f"{who}: {before[key].replace('_', ' ')} -> {text.replace('_', ' ')}")
        elif kind == "risk":
            fire.append(f"{text}: fires")
        elif kind == "due":
            due.append(text)
        elif kind == "variance":
            unexplained.append(text)
    for key, text in before.items():
        if key.startswith("risk:") and key not in now:
            clear.append(f"{text}: cleared")
    sections = (
        ("Verdicts that moved", tuple(moved)),
        ("Risks", tuple(fire + clear)),
        ("Due", tuple(due)),
        ("Unexplained variances", tuple(unexplained)),
    )
    return Notice("smartgoals: what changed", sections)


def digest(data: dict[str, Any], now: dict[str, str]) -> Notice:
    """The weekly digest: counts, the targets in trouble, risks firing, what is due."""
    counts = ", ".join(
        f"{n} {s.replace('_', ' ')}" for s, n in data["headline"]["now"].items() if n
    )
    trouble = [
        f"{key.removeprefix('verdict:')}: {text.replace('_', ' ')}"
        for key, text in now.items()
        if key.startswith("verdict:") and text in BAD
    ]
    pick = [(kind, [t for k, t in now.items() if k.startswith(kind)]) for kind in ("risk:", "due:")]
    sections = (
        ("Goals", (counts,) if counts else ()),
        ("Needs attention", tuple(trouble)),
        ("Risks firing", tuple(pick[0][1])),
        ("Due", tuple(pick[1][1])),
        ("Unexplained variances", tuple(t for k, t in now.items() if k.startswith("variance:"))),
    )
    return Notice(f"smartgoals: week {data['period']}", sections)


def send(urls: list[str], notice: Notice) -> None:
    """Through Apprise, imported only here: a missing one is one line naming the extra."""
    try:
        import apprise
    except ImportError:
        raise NotifyError(
            "notify sends through Apprise, which is not installed: pip install 'smartgoals[notify]'"
        ) from None
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            raise InvalidInputError(f"notify: {shown(url)}...: not a destination Apprise knows")
    ok = sender.notify(
        title=notice.title, body=notice.markdown(), body_format=apprise.NotifyFormat.MARKDOWN
    )
    if not ok:
        raise NotifyError(f"notify: sending to {', '.join(map(shown, urls))} failed; run again")


def check_destinations(root: Path, dry_run: bool, environ: Mapping[str, str]) -> list[str]:
    """The destinations, or InvalidInputError before any work when there are none to send to."""
    urls = destinations(root, environ)
    if not urls and not dry_run:
        raise InvalidInputError(
            f"notify: no destinations for this ledger: add notify: URLs to "
            f"{config_path(environ)}, or set {ENV} (a ledger cannot name its own)"
        )
    return urls


def notify(
    root: Path,
    data: dict[str, Any],
    urls: list[str],
    weekly: bool = False,
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
) -> NotifyView:
    """data: the week's report as JSON (the report command's, which the CLI runs first)."""
    environ = os.environ if environ is None else environ
    now = facts(data)
    path = state_path(root, environ)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if weekly:
        notice = digest(data, now)
        if state.get("week") == data["period"]:
            notice = notice._replace(sections=())  # this week's digest went out already
    else:
        notice = changes(state.get("facts"), now)
    sent = False
    if not notice.empty and not dry_run:
        send(urls, notice)
        sent = True
    if sent or (not dry_run and not weekly and "facts" not in state):
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        state = {**state, "ledger": str(root.resolve()), "facts": now, "sent_at": stamp}
        if weekly:
            state["week"] = data["period"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    shown_urls = tuple(shown(u) for u in urls)
    return NotifyView(notice, shown_urls, sent, dry_run, state.get("sent_at"))
