"""`smartgoals calendar`: an RFC 5545 file, read back by a small parser written here (unfolding,
escapes, components), with a repeating event per review checkpoint and per metric cadence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.rendering.ics import fold
from tests.conftest import invoke, write_ledger

TITLE = "Ünïcode revenue; with, commas \\ and a very long title that must be folded " + "é" * 40
GOALS = f"""\
metrics:
  mrr: {{name: MRR, unit: USD, cadence: monthly, source: Stripe}}
  mau: {{name: MAU, unit: count, cadence: weekly}}
  nps: {{name: NPS, unit: count}}
  arpu: {{name: ARPU, unit: USD, cadence: monthly, formula: "mrr / mau"}}
goals:
  - id: revenue
    title: '{TITLE}'
    review:
      monthly: "Revenue review\\nwith a second line"
      quarterly: Calibration
      bi-annually: Survey
      fortnightly: not a period smartgoals knows
    targets:
      - {{metric: mrr, target: 10k}}
"""
SETTINGS = "review:\n  yearly: Reset the goals\n"


def unfold(data: bytes) -> list[str]:
    """Content lines: CRLF ends, each physical line at most 75 octets, folds joined."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    lines: list[str] = []
    for raw in physical:
        if raw[:1] in (b" ", b"\t"):
            lines[-1] += raw[1:].decode("utf-8")
        else:
            lines.append(raw.decode("utf-8"))
    return lines


def unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            assert char not in ";,", f"unescaped {char!r} in {text!r}"
            out.append(char)
    return "".join(out)


def parse(data: bytes) -> dict:  # type: ignore[type-arg]
    """The calendar as {"properties": {...}, "components": [{"name", "properties"}]}."""
    stack: list[dict] = []  # type: ignore[type-arg]
    root: dict = {}  # type: ignore[type-arg]
    for line in unfold(data):
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            component = {"name": value, "properties": {}, "params": {}, "components": []}
            if stack:
                stack[-1]["components"].append(component)
            else:
                root = component
            stack.append(component)
        elif name == "END":
            assert stack.pop()["name"] == value
        else:
            stack[-1]["properties"][name] = value
            stack[-1]["params"][name] = params
    assert not stack
    return root


@pytest.fixture
def calendar(tmp_path: Path, cli: CliRunner) -> dict:  # type: ignore[type-arg]
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n")
    (tmp_path / "smartgoals.yaml").write_text(SETTINGS)
    output = tmp_path / "goals.ics"
    result = invoke(cli, tmp_path, "calendar", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {output}: 6 repeating events\n"
    return parse(output.read_bytes())


def test_the_calendar_is_rfc_5545(calendar: dict) -> None:  # type: ignore[type-arg]
    assert calendar["name"] == "VCALENDAR"
    assert calendar["properties"]["VERSION"] == "2.0"
    assert calendar["properties"]["PRODID"].startswith("-//smartgoals//")
    events = calendar["components"]
    assert {e["name"] for e in events} == {"VEVENT"}
    uids = [e["properties"]["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        props = event["properties"]
        assert {"UID", "DTSTAMP", "DTSTART", "RRULE", "SUMMARY"} <= set(props)
        assert event["params"]["DTSTART"] == ["VALUE=DATE"]
        dt.datetime.strptime(props["DTSTART"], "%Y%m%d")
        dt.datetime.strptime(props["DTSTAMP"], "%Y%m%dT%H%M%SZ")


def by_summary(calendar: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {unescape(e["properties"]["SUMMARY"]): e["properties"] for e in calendar["components"]}


def test_one_repeating_event_per_review_and_cadence(calendar: dict) -> None:  # type: ignore[type-arg]
    today = dt.date.today()
    events = by_summary(calendar)
    rules = {summary: props["RRULE"] for summary, props in events.items()}
    assert rules == {
        "Review (yearly): Reset the goals": "FREQ=YEARLY",
        f"Review {TITLE} (monthly): Revenue review\nwith a second line": "FREQ=MONTHLY",
        f"Review {TITLE} (quarterly): Calibration": "FREQ=MONTHLY;INTERVAL=3",
        f"Review {TITLE} (bi-annually): Survey": "FREQ=MONTHLY;INTERVAL=6",
        "Record MRR (monthly)": "FREQ=MONTHLY",
        "Record MAU (weekly)": "FREQ=WEEKLY;BYDAY=MO",
    }  # no event for a metric without cadence, a derived metric, or an unknown review key
    monday = today - dt.timedelta(days=today.weekday())
    assert events["Record MAU (weekly)"]["DTSTART"] == monday.strftime("%Y%m%d")
    assert events["Record MRR (monthly)"]["DTSTART"] == today.strftime("%Y%m01")
    quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    assert events[f"Review {TITLE} (quarterly): Calibration"]["DTSTART"] == quarter.strftime(
        "%Y%m%d"
    )
    assert unescape(events["Record MRR (monthly)"]["DESCRIPTION"]) == (
        "smartgoals log mrr VALUE (source: Stripe)"
    )


@pytest.mark.parametrize("size", range(70, 82))
def test_folding_never_splits_a_character(size: int) -> None:
    line = "SUMMARY:" + "a" * (size - 9) + "é€😀" * 5
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert all(len(part) <= 75 for part in parts)
    assert b"".join([parts[0], *(p[1:] for p in parts[1:])]).decode("utf-8") == line


def test_to_standard_output(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n")
    result = invoke(cli, tmp_path, "calendar")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert len(parse(result.stdout_bytes)["components"]) == 5


def uids_of(root: Path, cli: CliRunner) -> set[str]:
    result = invoke(cli, root, "calendar", "-o", str(root / "goals.ics"))
    assert result.exit_code == 0, result.output
    return {e["properties"]["UID"] for e in parse((root / "goals.ics").read_bytes())["components"]}


def committed_ledger(root: Path, message: str) -> Path:
    from tests.conftest import git

    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_ledger(root, GOALS, "date,metric,value,note\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return root


def test_two_ledgers_calendars_share_no_event_uid(tmp_path: Path, cli: CliRunner) -> None:
    """The same goal files in two repositories (a template copied), and in two folders outside
    git: each calendar's UIDs are its own, so a calendar subscribed to both keeps both."""
    first = uids_of(committed_ledger(tmp_path / "a", "start"), cli)
    second = uids_of(committed_ledger(tmp_path / "b", "start b"), cli)
    assert len(first) == len(second) == 5
    assert not first & second
    plain_a, plain_b = tmp_path / "plain-a", tmp_path / "plain-b"
    write_ledger(plain_a, GOALS, "date,metric,value,note\n")
    write_ledger(plain_b, GOALS, "date,metric,value,note\n")
    assert not uids_of(plain_a, cli) & uids_of(plain_b, cli)
    assert not uids_of(plain_a, cli) & first


def test_every_full_clone_of_a_ledger_gives_the_same_uids(tmp_path: Path, cli: CliRunner) -> None:
    from tests.conftest import git

    origin = committed_ledger(tmp_path / "origin", "start")
    git(tmp_path, "clone", "-q", str(origin), "copy")
    assert uids_of(tmp_path / "copy", cli) == uids_of(origin, cli)
    assert all(uid.endswith("@smartgoals") for uid in uids_of(origin, cli))
