"""The text of every cell people see, without Rich: shared by the Rich tables and the plain
output written to pipes and files (which needs no Rich at all, and so starts faster)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from smartgoals.engine.evaluation import (
    STATUSES,
    AreaStatus,
    Evaluation,
    GoalStatus,
    RiskStatus,
    TargetStatus,
)
from smartgoals.engine.words import difference_text as difference_text
from smartgoals.engine.words import rung_text as rung_text
from smartgoals.engine.words import value_text as value_text
from smartgoals.lazyre import lazy
from smartgoals.ledger.model import MetricDef
from smartgoals.quantity import format_number, format_value, unit_kind

SYMBOLS = {
    "achieved": "✔",
    "achieved_late": "✔",
    "breached": "✘",
    "on_track": "●",
    "at_risk": "▲",
    "off_track": "▼",
    "missed": "✘",
    "in_progress": "…",
    "no_data": "?",
    "not_started": "○",
}
# The colour of each status (Rich's style words; rendering/ansi.py writes them without Rich).
STYLES = {
    "achieved": "bold green",
    "achieved_late": "green",
    "breached": "bold red",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "missed": "bold red",
    "in_progress": "cyan",
    "no_data": "dim",
    "not_started": "dim",
}
NEUTRAL_SYMBOL = "•"  # a status this version does not know yet (engine.Status grows)


def status_word(status: str, plain: bool) -> str:
    word = status.replace("_", " ")
    return word if plain else f"{SYMBOLS.get(status, NEUTRAL_SYMBOL)} {word}"


def bar_parts(fraction: float | None, plain: bool, width: int = 10) -> tuple[str, str, str]:
    """(filled, empty, percent) of a progress bar; ("", "", "-") without a value."""
    if fraction is None:
        return "", "", "-"
    filled = round(min(max(fraction, 0.0), 1.0) * width)
    full, empty = ("#", ".") if plain else ("█", "░")
    return full * filled, empty * (width - filled), f" {fraction * 100:.0f}%".rjust(5)


def bar_text(fraction: float | None, plain: bool) -> str:
    return "".join(bar_parts(fraction, plain))


def left_text(status: TargetStatus) -> str:
    if status.left is None:
        return "-"
    if status.metric.is_stage:
        steps = round(status.left)
        return "0" if steps == 0 else f"{steps} stage{'s' if steps != 1 else ''}"
    return difference_text(status.metric, status.left)


def reading_text(metric: MetricDef | None, value: float | str | None) -> str:
    """A value a condition read (a risk's values), in the metric's unit with sensible digits:
    `mau_growth = 12.2%`."""
    if value is None:
        return "no value"
    if isinstance(value, str) or metric is None:
        return value if isinstance(value, str) else format_number(value)
    if metric.is_stage:
        return value_text(metric, value)
    kind = unit_kind(metric.unit)
    if metric.precision is None and kind == "percent" and abs(value) >= 0.1:
        return format_value(round(value, 1), metric.unit)
    if metric.precision is None and kind == "ratio":
        return format_value(round(value, 2), metric.unit)
    return value_text(metric, value)


def current_parts(status: TargetStatus, plain: bool) -> tuple[str, str, str]:
    """(value, date, stale marker). A verdict taken at the due shows the value that decided it
    and its date, with the current value beside it; a quota shows its current period's value."""
    metric = status.metric
    if status.periods is not None:
        current = next((p for p in status.periods if not p.finished), None)
        if current is None or current.value is None:
            return "-", "", ""
        when = f", {status.current_date.isoformat()}" if status.current_date else ""
        return value_text(metric, current.value), f" ({_period_word(status)} so far{when})", ""
    judged, on = status.judged_value, status.judged_date
    if on is not None and judged is not None and on != status.current_date:
        return value_text(metric, judged), f" ({on.isoformat()})", now_text(status)
    if status.current is None:
        return (f"- ({status.reason})" if status.reason else "-"), "", ""
    date = f" ({status.current_date.isoformat()})" if status.current_date else ""
    stale = (" stale" if plain else " ⚠ stale") if status.stale else ""
    return value_text(metric, status.current), date, stale


def now_text(status: TargetStatus) -> str:
    """Beside a value judged at the due: the current value, when it is another one."""
    on = status.judged_date
    if on is None or status.judged_value is None or on == status.current_date:
        return ""
    now = value_text(status.metric, status.current) if status.current is not None else "-"
    return f" now {now}"


def _period_word(status: TargetStatus) -> str:
    return {"week": "this week", "month": "this month", "quarter": "this quarter"}.get(
        status.target.every or "", "this year"
    )


def target_cell(status: TargetStatus, plain: bool) -> str:
    text = rung_text(status.metric, status.rung, plain)
    if status.periods is not None:
        finished = status.met_periods + status.missed_periods
        unit = status.target.every or "period"
        text = text.replace(" by ", f" every {unit} to ", 1) if " by " in text else text
        if " every " not in text:
            text += f" every {unit}"
        if finished:
            plural = "s" if finished != 1 else ""
            text += f" ({status.met_periods} of {finished} {unit}{plural} met)"
        return text
    if status.rung.hold:
        text += " held"
        if status.breaches:
            count = len(status.breaches)
            text += f" ({count} breach{'es' if count != 1 else ''})"
        if status.target.grace or status.target.in_a_row:
            allowed = status.target.grace or status.target.in_a_row
            text += f" (grace {allowed})" if status.target.grace else f" ({allowed} in a row)"
    if status.target.stretch:
        text += " (stretch)"
    if status.steps is not None:
        index = next(i for i, s in enumerate(status.steps) if s.rung is status.rung)
        missed = sum(s.status == "missed" for s in status.steps[:index])
        text += f" (rung {index + 1}/{len(status.steps)}"
        text += f", {missed} missed)" if missed else ")"
    return text


def waiting_text(goal: GoalStatus) -> str:
    """Why a goal is not started: the goals it waits for, or its start date."""
    if goal.status != "not_started":
        return ""
    if goal.waiting_for:
        return "waiting for " + ", ".join(goal.waiting_for)
    if goal.goal.start_text:
        return f"starts {goal.goal.start_text}"
    return ""


def declared_text(goal: GoalStatus) -> str:
    """A goal's declared state (its `state:` metric) in words: `declared in progress`; where the
    engine found it disagrees with the computed status, both: `declared done, computed at risk`."""
    if goal.declared is None:
        return ""
    declared = f"declared {goal.declared.replace('_', ' ')}"
    if goal.disagreement is None:
        return declared
    return f"{declared}, computed {goal.status.replace('_', ' ')}"


def disagreement_mark(ascii: bool = False) -> str:
    """The short form of a disagreement, where the whole words do not fit."""
    return "!= declared" if ascii else "≠ declared"


def goal_note(goal: GoalStatus, ascii: bool = False) -> tuple[str, ...]:
    """What a goal's row says beside its status, longest form first: why it has not started
    and its declared state; a disagreement keeps a short mark (`≠ declared`) to the last."""
    waiting, declared = waiting_text(goal), declared_text(goal)
    forms = ["; ".join(text for text in (waiting, declared) if text), declared]
    if goal.disagreement is not None:
        forms.append(disagreement_mark(ascii))
    elif waiting:
        forms.append(waiting)
    return tuple(dict.fromkeys(form for form in forms if form)) or ("",)


def area_heading(area: AreaStatus, plain: bool) -> str:
    """An area's name, score and goals by status."""
    name = area.area.upper() if plain else area.area
    score = f"  {area.score * 100:.0f}%" if area.score is not None else ""
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in area.counts.items())
    return f"{name}{score}  ({counts})"


def pace_text(status: TargetStatus) -> str:
    return "-" if status.expected is None else f"{status.expected * 100:.0f}%"


def rev_line(rev: str | None, commit: Any) -> str:
    """`status --rev`: which commit is shown."""
    day = commit.date.date().isoformat()
    return f"{rev} = {commit.short} by {commit.author} on {day}: {commit.message}"


def summary_line(evaluation: Evaluation) -> str:
    counts = Counter(goal.status for goal in evaluation.goals)
    parts = [f"{counts[s]} {s.replace('_', ' ')}" for s in STATUSES if counts[s]]
    total = len(evaluation.goals)
    noun = "goal" if total == 1 else "goals"
    line = f"{total} {noun} as of {evaluation.as_of.isoformat()}: " + ", ".join(parts)
    fired = sum(r.triggered for r in evaluation.risks)
    if fired:
        line += f"; {fired} risk{'s' if fired != 1 else ''} triggered"
    return line


def _shown(value: float | str | None) -> str:
    if value is None:
        return "no value"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def risks_heading(shown: list[RiskStatus], only_triggered: bool) -> str:
    return f"{'Triggered risks' if only_triggered else 'Risks'} ({len(shown)})"


# calls whose value is in the unit of the metric they read: (function, which argument)
_IN_UNIT_OF = {"prev": 0, "sum": 0, "mean": 0, "at": 0, "min": 0, "max": 0, "plan": 1}
_CALL = lazy(r"(\w+)\((.*)\)")


def read_metric(key: str, metrics: Mapping[str, MetricDef]) -> MetricDef | None:
    """The metric whose unit a value a condition read is in: `nrr`, or `prev(nrr)`,
    `mean(nrr, 90d)`, `plan(goal, nrr)`; None for anything else (a count, a growth, a status)."""
    if key in metrics:
        return metrics[key]
    found = _CALL.fullmatch(key.replace(" ", ""))
    if found is None or found[1] not in _IN_UNIT_OF:
        return None
    arguments = found[2].split(",")
    at = _IN_UNIT_OF[found[1]]
    return metrics.get(arguments[at]) if at < len(arguments) else None


def risk_lines(
    status: RiskStatus, plain: bool, metrics: Mapping[str, MetricDef] | None = None
) -> list[tuple[str, str]]:
    """(kind, text) lines of a risk: head, when, values, missing, action. With the ledger's
    metrics, each value read carries its metric's unit."""
    risk = status.risk
    if status.triggered:
        word = "TRIGGERED" if plain else "▲ TRIGGERED"
    elif status.missing:
        word = "undecided" if plain else "? undecided"
    else:
        word = "quiet" if plain else "● quiet"
    head = f"{word}  {risk.title}  {risk.id}" + (f"  ({risk.owner})" if risk.owner else "")
    lines = [("head", head), ("when", f"  when {risk.when}")]
    if status.values:
        known = metrics or {}
        values = ", ".join(
            f"{k} = {reading_text(read, v) if (read := read_metric(k, known)) else _shown(v)}"
            for k, v in status.values.items()
        )
        lines.append(("values", f"  values: {values}"))
    if status.missing:
        lines.append(("missing", f"  missing: {'; '.join(status.missing)}"))
    if status.triggered:
        lines += [("action", f"  - {action}") for action in risk.actions]
    return lines


# -- compact forms for the terminal (docs/status-engine.md, "Status in a terminal") ------------

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_SCALES = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def compact_number(value: float) -> str:
    """A number of 10,000 or more in thousands, millions or billions when that loses no digit
    (100,000 -> 100k, 1,500,000 -> 1.5M, 118,197 stays); anything else as format_number."""
    for size, suffix in _SCALES:
        scaled = abs(value) / size
        if abs(value) >= max(size, 1e4) and abs(scaled * 10 - round(scaled * 10)) < 1e-9:
            sign = "-" if value < 0 else ""
            return f"{sign}{format_number(round(scaled, 1))}{suffix}"
        if abs(value) >= size:
            break
    return format_number(value)


def compact_value(metric: MetricDef, value: float) -> str:
    """value_text with the number in compact_number's form: `$100k`, `1M`, `60%`."""
    text = value_text(metric, value)
    if metric.is_stage:
        return text
    return text.replace(format_number(abs(value)), compact_number(abs(value)), 1)


def due_short(due_text: str | None) -> str:
    """A due in five or six columns: 2026-Q4 -> Q4'26, 2026-03 -> Mar'26, 2026-03-31 ->
    31Mar'26; a year stays."""
    if not due_text:
        return ""
    year, _, rest = due_text.partition("-")
    if not rest:
        return due_text
    short = f"'{year[2:]}"
    if rest[0] in "QH":
        return rest + short
    month, _, day = rest.partition("-")
    name = _MONTHS[int(month) - 1]
    return f"{int(day)}{name}{short}" if day else f"{name}{short}"


def condition_text(status: TargetStatus, plain: bool) -> str:
    """The rung's condition, without its due, its numbers compact: `≥ $100k`, `35%..45%`."""
    metric, rung = status.metric, status.rung
    if metric.is_stage:
        return value_text(metric, rung.value)
    if rung.op == "..":
        assert rung.high is not None
        return f"{compact_value(metric, rung.value)}..{compact_value(metric, rung.high)}"
    op = {">=": ">=", "<=": "<="}.get(rung.op, rung.op) if plain else rung_op_symbol(rung.op)
    return f"{op} {compact_value(metric, rung.value)}"


def rung_op_symbol(op: str) -> str:
    return {">=": "≥", "<=": "≤", "==": "="}.get(op, op)


def qualifier_forms(status: TargetStatus) -> tuple[str, str]:
    """What tells this target from another on the same metric, (long, short): a quota's
    period and its record, a held target and its breaches, a ladder's rung."""
    if status.periods is not None:
        every = f"every {status.target.every or 'period'}"
        finished = status.met_periods + status.missed_periods
        return (f"{every} ({status.met_periods}/{finished} met)" if finished else every), every
    if status.rung.hold:
        count = len(status.breaches)
        plural = "es" if count != 1 else ""
        return (f"held ({count} breach{plural})" if count else "held"), "held"
    if status.target.stretch:
        return "stretch", "stretch"
    if status.steps is not None:
        index = next(i for i, s in enumerate(status.steps) if s.rung is status.rung)
        rung = f"rung {index + 1}/{len(status.steps)}"
        missed = sum(s.status == "missed" for s in status.steps[:index])
        return (f"{rung} ({missed} missed)" if missed else rung), rung
    return "", ""


def target_forms(status: TargetStatus, plain: bool) -> tuple[str, ...]:
    """The Target cell in a terminal, longest first, every form whole: the condition and what
    distinguishes the target (the due has its own column)."""
    condition = condition_text(status, plain)
    long, short = qualifier_forms(status)
    forms = [f"{condition} {long}".rstrip(), f"{condition} {short}".rstrip()]
    if status.periods is not None:  # a quota of 50k every month is 50k a month
        forms.append(f"{condition}/{status.target.every or 'period'}")
    return tuple(dict.fromkeys(forms))


def better_or_worse(metric: MetricDef, values: tuple[float, ...] | Any) -> str:
    """The last move of a series in words for the metric's direction: `↑ better` for revenue
    going up, `↑ worse` for churn going up, `→ same` when it did not move."""
    if len(values) < 2:
        return ""
    before, now = values[-2], values[-1]
    if now == before:
        return "→ same"
    arrow = "↑" if now > before else "↓"
    good = (now > before) == (metric.direction != "down")
    return f"{arrow} {'better' if good else 'worse'}"
