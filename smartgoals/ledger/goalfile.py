"""Pydantic models of the files people write: goal files (goals/*.yaml) and smartgoals.yaml.

These models are the contract of the YAML format and the source of schemas/*.json. They check
shape and types only; what needs the whole ledger (metric ids, units, stage names) is resolved
in resolution.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from smartgoals.files import check_journal_setting
from smartgoals.ledger.sourcespec import SqlSource
from smartgoals.periods import OPEN, Period, parse_period

METRIC_ID_PATTERN = r"^[a-z_][a-z0-9_]*$"
GOAL_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 10_000

Cadence = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]
MetricId = Annotated[
    str, StringConstraints(pattern=METRIC_ID_PATTERN, min_length=1, max_length=MAX_ID_LENGTH)
]
GoalId = Annotated[
    str, StringConstraints(pattern=GOAL_ID_PATTERN, min_length=1, max_length=MAX_ID_LENGTH)
]
# Free text; a YAML number (time_bound: 2026) is read as its text, and the schema says so, so
# that an editor does not flag what smartgoals accepts.
Text = Annotated[
    str,
    StringConstraints(max_length=MAX_TEXT_LENGTH),
    WithJsonSchema({"type": ["string", "number"], "maxLength": MAX_TEXT_LENGTH}),
]
Aggregate = Literal["last", "sum", "mean", "max", "min"]
Every = Literal["week", "month", "quarter", "year"]
Pace = Literal["linear", "compound", "none"]
Weight = Annotated[float, Field(ge=0.0, le=1_000.0)]


def _check_scalar(value: Any) -> int | float | str:
    if isinstance(value, bool):
        raise ValueError(
            "expected a number or text, got a boolean (YAML reads yes/no/on/off as booleans: "
            "quote the value)"
        )
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, dt.date):
        raise ValueError(f"expected a number or text, got the date {value.isoformat()}")
    raise ValueError(f"expected a number or text, got {type(value).__name__}")


Value = Annotated[
    int | float | str,
    PlainValidator(_check_scalar),
    WithJsonSchema(
        {
            "type": ["number", "string"],
            "description": "A number as people write it: 5000, 5k, $5,000, 1.2M, 60%, 5:1, "
            "200ms; or a stage name for a stage metric.",
        }
    ),
]

When = Annotated[
    Period,
    PlainValidator(parse_period),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "A day (2025-07-01), month (2025-07), quarter (2025-Q3 or Q3 2025), "
            "half (2025-H1) or year (2025). A due is the period's last day; a start its first.",
        }
    ),
]


def _parse_due(value: Any) -> Period | str:
    if isinstance(value, str) and value.strip().lower() == OPEN:
        return OPEN
    try:
        return parse_period(value)
    except ValueError as exc:
        text = str(value).strip()
        if text.endswith("+"):
            raise ValueError(f"{text!r}: write start: {text[:-1]} and due: open") from None
        raise ValueError(f"{exc}, or open (an open-ended timeline)") from None


# A due, or `open`: intentionally no due ("Timeline: 2027+"), which also overrides the goal's
Due = Annotated[
    Period | str,
    PlainValidator(_parse_due),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "A day, month, quarter (2025-Q3), half or year, whose last day is the "
            "due; or open: an open-ended timeline (no due, no pace), shown as its start and a "
            "plus (2027+).",
        }
    ),
]


def _check_source(value: Any) -> str:
    from smartgoals.ledger.sourcespec import check_source

    return check_source(value)


class _SourceSchema:
    """The schema of `source:` (free text, or one adapter's mapping), built only when the JSON
    Schema is generated (sources.source_json_schema)."""

    @classmethod
    def __get_pydantic_json_schema__(cls, _core_schema: Any, handler: Any) -> Any:
        from smartgoals.ledger.sourcespec import source_json_schema

        return source_json_schema(handler)


# Free text, or a mapping that declares an adapter for `pull` (sources.py); kept as text (a
# mapping as its display text), so that the definitions stay plain, cacheable data.
Source = Annotated[str, PlainValidator(_check_source), _SourceSchema]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, defer_build=True, coerce_numbers_to_str=True
    )


class Metric(_Strict):
    """Something measured: its values are recorded in the journal."""

    name: Text = Field(description="What people call it, e.g. Monthly recurring revenue.")
    unit: Text = Field(
        default="count",
        description="A currency code (USD), count, percent, ratio, ms, days, or free text.",
    )
    direction: Literal["up", "down"] = Field(
        default="up", description="up: higher is better; down: lower is better."
    )
    cadence: Cadence | None = Field(
        default=None, description="How often a value is expected; older values are stale."
    )
    type: Literal["number", "stage"] = Field(
        default="number", description="number, or stage: an ordered list of named stages."
    )
    stages: list[Text] | None = Field(
        default=None, description="For type: stage, the stages in order, first to last."
    )
    description: Text | None = None
    source: Source | None = Field(
        default=None,
        description="Where the number comes from: free text, or a mapping that declares an "
        "adapter for smartgoals pull ({json: FILE, path: a.b}, {hledger: QUERY, file: FILE}, ...).",
    )
    formula: Text | None = Field(
        default=None,
        description='A derived metric: computed from other metrics, e.g. "dau / mau * 100" '
        "or \"growth(mau, 'month') * 100\"; never recorded in the journal.",
    )
    aggregate: Aggregate = Field(
        default="last",
        description="How a quota period's value is formed from its observations: last "
        "(default), sum (rows are increments, e.g. signups logged weekly), mean, max or min.",
    )
    forecast: Literal["linear", "compound", "auto"] = Field(
        default="auto",
        description="How the forecast fits the recent values: linear (a constant amount per "
        "month), compound (a constant percentage per month) or auto (default: the one that "
        "predicted the last held-out observations better).",
    )
    precision: int | None = Field(
        default=None,
        ge=0,
        le=8,
        description="Decimals every value of the metric is shown with, e.g. 2 for money to the "
        "cent. Without it money shows whole units from 10 up and cents below, anything else at "
        "most two decimals.",
    )


class Step(_Strict):
    """One rung of a time-phased ladder."""

    value: Value
    due: When
    hold: bool = Field(
        default=False,
        description="The rung must hold at every observation from the previous rung's due to "
        "its own.",
    )
    note: Text | None = None
    reason: Text | None = Field(
        default=None,
        description="Why the rung is what it is: free text, expected when it is eased "
        "(smartgoals diff --require-reason).",
    )


class MixPart(_Strict):
    """One part of a mix: the metric that measures it and its planned share of the whole."""

    metric: MetricId = Field(
        description="A share (unit: percent, logged or derived) or an amount (all parts in one "
        "unit: the actual share is the part over the sum of the parts)."
    )
    share: Value = Field(description="The planned share of the whole, e.g. 40%.")


class Target(_Strict):
    """What a goal wants a metric to reach, or a mix: the planned shares of one whole."""

    metric: MetricId | None = Field(
        default=None, description="The metric the target is about (every target but a mix)."
    )
    mix: MetricId | None = Field(
        default=None,
        description="A mix: its id (not a metric's). The parts of one whole (parts:) with "
        "planned shares adding up to 100%, judged by the worst part's deviation in points.",
    )
    name: Text | None = Field(
        default=None, description="A mix's name, e.g. Platform distribution (default: its id)."
    )
    parts: dict[MetricId, MixPart] | None = Field(
        default=None,
        description="A mix's parts: part -> {metric, share}; the shares add up to 100%.",
        examples=[{"web": {"metric": "web_share", "share": "40%"}}],
    )
    tolerance: Value | None = Field(
        default=None,
        description="A mix: how far (in percentage points, e.g. 5pp) a part's actual share may "
        "be from its planned share and still be within plan (default 5pp).",
    )
    target: Value | None = Field(
        default=None,
        description='">= 5k", "< 10", "== 3", a range "5..50", or a bare value (>=, or <= '
        "for direction: down); for a stage metric, the stage to reach.",
    )
    steps: list[Step] | None = Field(
        default=None, description="A ladder: each rung has its own value and due."
    )
    baseline: Value | None = Field(
        default=None,
        description="Where progress is counted from; default: the first observation on or "
        "after the start.",
    )
    start: When | None = None
    due: Due | None = Field(
        default=None, description="Overrides the goal's due; open: no due (open-ended)."
    )
    hold: bool = Field(
        default=False,
        description="A promise kept, not a number touched once: the target must hold at every "
        "observation in its window (start to due; undated: a trailing window, see window:).",
    )
    window: Text | None = Field(
        default=None,
        description="The trailing window of an undated held target, e.g. 90d, 4 weeks, "
        "3 months. Default: three of the metric's cadence periods (90 days without a cadence).",
    )
    every: Every | None = Field(
        default=None,
        description="A quota: the target applies to each week, month, quarter or year "
        "separately, the period's value formed by the metric's aggregate.",
    )
    pace: Pace = Field(
        default="linear",
        description="The expected path from baseline to target: linear (default), compound "
        "(growth by a constant rate), or none (rates and ratios: no pace).",
    )
    weight: Weight = Field(default=1.0, description="Weight in the goal's score (default 1).")
    stretch: bool = Field(
        default=False,
        description="A stretch (informational) target: shown and scored, but it never sets "
        "its goal's status.",
    )
    grace: int | None = Field(
        default=None,
        ge=0,
        le=1_000,
        description="A held target: how many breaching observations its window tolerates "
        "before it is breached (default 0).",
    )
    breaches_in_a_row: int | None = Field(
        default=None,
        ge=1,
        le=1_000,
        description="A held target: breached only when this many consecutive observations "
        "break it (2: two in a row).",
    )
    note: Text | None = None
    reason: Text | None = Field(
        default=None,
        description="Why the target is what it is: free text, expected when it is eased "
        "(smartgoals diff --require-reason).",
    )


class Goal(_Strict):
    """A SMART goal: texts for people, targets for the status engine."""

    id: GoalId
    title: Text
    area: Text | None = Field(default=None, description="Default: the file's name.")
    owner: Text | None = None
    specific: Text | None = None
    measurable: Text | None = None
    achievable: Text | None = None
    relevant: Text | None = None
    time_bound: Text | None = None
    start: When | None = None
    due: Due | None = Field(
        default=None, description="When the goal is due; open: an open-ended timeline."
    )
    after: GoalId | list[GoalId] | None = Field(
        default=None,
        description="Not started until these goals are reached (achieved or achieved_late at "
        "any date up to as-of, even if a value later fell back).",
    )
    weight: Weight = Field(default=1.0, description="Weight in its area's score (default 1).")
    contributes_to: GoalId | list[GoalId] | None = Field(
        default=None,
        description="The goals (or vision goals) this goal serves: one id or a list. Its "
        "weight: weighs it in a parent's rolled-up score.",
    )
    rollup: Literal["own", "children", "both"] = Field(
        default="own",
        description="The goal's score: own (default: its targets'), children (the weighted "
        "mean of the goals that contribute to it) or both (its own at weight 1, and theirs).",
    )
    state: MetricId | None = Field(
        default=None,
        description="The goal's declared state: a stage metric (e.g. stages [not_started, "
        "in_progress, done]) logged in the journal like any value, shown beside the computed "
        "status; its first stage declares not started, its last done.",
    )
    review: dict[Text, Text] | None = Field(
        default=None,
        description="Review checkpoints: when (monthly, quarterly, ...) -> what is reviewed.",
    )
    tags: list[Text] | None = None
    notes: Text | None = None
    targets: list[Target] = Field(min_length=1, description="At least one: goals are Measurable.")


class Risk(_Strict):
    """A risk scenario: a condition over metrics and goals, and what to do when it holds."""

    id: GoalId
    title: Text
    owner: Text | None = None
    area: Text | None = Field(
        default=None, description="For status --area. Default: the file's name."
    )
    when: Text = Field(
        description='A condition, e.g. "mau_growth < 15 or retention_d30 < 50" or '
        "\"status('early-adopters') in ('off_track', 'missed')\"."
    )
    actions: list[Text] = Field(default_factory=list, description="The response playbook.")
    notes: Text | None = None


class GoalFile(_Strict):
    """One goals/*.yaml file."""

    metrics: dict[MetricId, Metric] = Field(default_factory=dict)
    goals: list[Goal] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)


class Settings(_Strict):
    """smartgoals.yaml at the ledger root."""

    at_risk_band: float = Field(
        default=0.10,
        ge=0.0,
        le=1.0,
        description="How far progress may fall below the expected pace and still be at_risk "
        "rather than off_track.",
    )
    review: dict[Text, Text] | None = Field(
        default=None,
        description="The ledger's review cadence: when (daily, weekly, monthly, quarterly) -> "
        "what is reviewed.",
    )
    pager: bool = Field(
        default=True,
        description="Show output taller than the terminal through a pager ($SMARTGOALS_PAGER, "
        "else $PAGER, else less -FRX); false: never.",
    )
    headline: list[MetricId] | None = Field(
        default=None,
        description="The metrics a report opens with, in this order (metric ids, each shown by "
        "its first target); default: the first target of each goal.",
        examples=[["mrr", "mau", "churn"]],
    )
    journal: str | None = Field(
        default=None,
        description="The journal file log, checkin and undo append to, relative to goals/: "
        "log.csv (the default) or log.d/NAME.csv, where {user} stands for git's user.email "
        "reduced to a safe file name (log.d/{user}.csv: one file per person, so that pull "
        "requests never touch the same file).",
        examples=["log.d/{user}.csv"],
    )
    sources: list[SqlSource] | None = Field(
        default=None,
        description="Queries that each give several metrics at once, run by pull: {sql: "
        "SELECT metric, day, value ..., connection: NAME}, where NAME is defined only in the "
        "user's own config or environment (docs/import-and-pull.md, SQL sources).",
    )

    @field_validator("journal")
    @classmethod
    def _journal_file(cls, value: str | None) -> str | None:
        return None if value is None else check_journal_setting(value)
