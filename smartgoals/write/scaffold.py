"""`smartgoals init`: a new ledger with a commented starter goal file, journal and git set-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from smartgoals.errors import InvalidInputError
from smartgoals.files import GOALS_DIR, JOURNAL, SETTINGS, SHARDS_DIR
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.vcs.commit import commit_new_files
from smartgoals.vcs.repo import find_work_tree, init_repository
from smartgoals.write.schemas import write_schemas

STARTER = """\
# yaml-language-server: $schema=../schemas/goals.schema.json
#
# Your goals. Every goals/*.yaml file holds metrics (what you measure) and goals
# (what you want them to reach, by when). Record values with:
#     smartgoals log mrr 1200
# and see where you stand with:
#     smartgoals status
# Check this file after editing it with: smartgoals check

metrics:
  mrr:
    name: Monthly recurring revenue
    unit: USD            # a currency code, count, percent, ratio, ms, days, or free text
    direction: up        # up (default): higher is better; down: lower is better
    cadence: monthly     # optional: daily | weekly | monthly | quarterly | yearly
  cac: {name: Customer acquisition cost, unit: USD, direction: down}
  mvp: {name: MVP, type: stage, stages: [not_started, in_progress, done]}

goals:
  - id: first-revenue
    title: First revenue
    owner: Founder
    specific: Ship the MVP and charge for it
    measurable: MRR from the payment processor's dashboard
    achievable: One paying design partner is enough
    relevant: Proves that someone will pay
    time_bound: By the end of next quarter
    start: @START@       # dates: 2025-07-01, 2025-07, 2025-Q3, Q3 2025 or 2025
    due: @DUE@
    targets:
      - metric: mvp
        target: done
      - metric: mrr
        target: ">= 1"   # >=, >, <=, <, ==, a range "5..50", or a bare value
      - metric: cac
        target: "< 10"

  - id: ramen-profitable
    title: Ramen profitable
    after: first-revenue # not started until first-revenue is achieved
    start: @START@
    due: @LATER@
    targets:
      - metric: mrr
        steps:           # a ladder: each rung has its own due
          - {value: 1k, due: @DUE@}
          - {value: 5k, due: @LATER@}
"""

SETTINGS_TEXT = """\
# yaml-language-server: $schema=schemas/settings.schema.json
# How far below the expected pace a target may fall and still be at_risk (not off_track).
at_risk_band: 0.10
"""

TEAM_SETTINGS_TEXT = """\
# Each person logs to their own journal file, goals/log.d/<git user.email>.csv: two pull
# requests that log values never touch the same file, so a hosted merge never conflicts.
journal: log.d/{user}.csv
"""

# the append-only files: appends made on two branches merge by keeping both sides' lines
# (a hosted merge button ignores merge=union: there, the shards in goals/log.d keep people apart)
GITATTRIBUTES_LINES = (
    "goals/log.csv merge=union\n",
    "goals/log.d/*.csv merge=union\n",
    "goals/checkins.csv merge=union\n",
)


FIRST_COMMIT_MESSAGE = "Start a goal ledger"


@dataclass(frozen=True)
class Initialized:
    root: Path
    created: list[Path]
    git_initialized: bool
    commit: str | None = None  # the first commit, when init made the repository and committed
    not_committed: str | None = None  # why a new repository has no first commit


def first_commit(root: Path, paths: list[Path]) -> tuple[str | None, str | None]:
    """Commit the new ledger's files in the repository init just made: (sha, None), or
    (None, why not) when git refuses (no identity configured, a hook), leaving nothing staged.

    Only as the identity git is configured with (user.useConfigOnly), never an invented one.
    """

    return commit_new_files(root, relative_paths(root, paths), FIRST_COMMIT_MESSAGE)


def relative_paths(root: Path, paths: list[Path]) -> list[str]:
    return [path.resolve().relative_to(root.resolve()).as_posix() for path in paths]


def _quarter_after(year: int, quarter: int, steps: int) -> str:
    index = year * 4 + quarter - 1 + steps
    return f"{index // 4}-Q{index % 4 + 1}"


def init_ledger(root: Path, today_year: int, today_quarter: int, team: bool = False) -> Initialized:
    """Create the files of a new ledger; refuses to touch a directory that already has goals.

    team: a ledger for several people: smartgoals.yaml says `journal: log.d/{user}.csv` and
    goals/log.d/ is made (with a .gitkeep, so that it is in every clone)."""
    goals = root / GOALS_DIR
    if goals.exists() and any(goals.iterdir()):
        raise InvalidInputError(f"{goals} already exists and is not empty; nothing was changed")
    starter = (
        STARTER.replace("@START@", f"{today_year}-Q{today_quarter}")
        .replace("@DUE@", _quarter_after(today_year, today_quarter, 1))
        .replace("@LATER@", _quarter_after(today_year, today_quarter, 3))
    )
    root.mkdir(parents=True, exist_ok=True)
    goals.mkdir(exist_ok=True)
    created = []
    files = [
        (goals / "goals.yaml", starter),
        (root / JOURNAL, HEADER_LINE),
        (root / SETTINGS, SETTINGS_TEXT + (TEAM_SETTINGS_TEXT if team else "")),
    ]
    if team:
        (root / SHARDS_DIR).mkdir(exist_ok=True)
        files.append((root / SHARDS_DIR / ".gitkeep", ""))
    for path, text in files:
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(path)
    attributes = root / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    missing = [line for line in GITATTRIBUTES_LINES if line.strip() not in existing]
    if missing:
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        attributes.write_text(existing + prefix + "".join(missing), encoding="utf-8")
        created.append(attributes)
    created += write_schemas(root)
    if find_work_tree(root) is not None:
        return Initialized(root, created, False)  # someone else's repository: stage nothing
    init_repository(root)
    commit, why_not = first_commit(root, created)
    return Initialized(root, created, True, commit, why_not)
