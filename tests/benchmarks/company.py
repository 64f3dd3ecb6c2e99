"""The benchmark's company case (`run.py --company`): a generated 200-person company, 20 team
goal files, 500 goals, 300 metrics and N observations (5M by default), whose warehouse is a real
PostgreSQL (tests/sources/conftest.py starts it): `pull` of one new day for every metric through
one `sources:` query, then `status --area`, `status`, `report` and `check`, then `sync` of that
day between two clones of the ledger (the puller's sends it to a bare origin, a second clone
brings it in), each timed with its own peak memory (max RSS of the process, from wait4). A first
`status` parses the journal into its cache, and is a row of its own; the second clone's cache
is warmed, untimed.

    python tests/benchmarks/run.py --company                 # 5M observations
    python tests/benchmarks/run.py --company --company-size 500k
    python tests/benchmarks/run.py --company --out docs/performance.md   # its own markers

It runs the smartgoals of the interpreter that runs it (`python -m smartgoals`), which needs
psycopg (`pip install -e '.[postgres]'`)."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

TEAMS, METRICS, GOALS, AREAS = 20, 300, 500, 5
BEGIN, END = "<!-- company table: begin -->", "<!-- company table: end -->"
NEW_DAY = dt.date(2026, 11, 1)
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


class Timed(NamedTuple):
    what: str
    seconds: float
    peak_mb: float
    code: int


def generate(root: Path, observations: int) -> Path:
    """The ledger (goal files, settings, journal) and the warehouse's CSV (the journal's rows
    and one new day for every metric)."""
    rng = random.Random(31)
    (root / "goals").mkdir(parents=True)
    per_team_metrics, per_team_goals = METRICS // TEAMS, GOALS // TEAMS
    for team in range(TEAMS):
        lines = ["metrics:"]
        first = team * per_team_metrics
        for m in range(first, first + per_team_metrics):
            lines.append(f"  k{m:03d}: {{name: KPI {m}, unit: count, cadence: daily}}")
        lines.append("goals:")
        for g in range(per_team_goals):
            number = team * per_team_goals + g
            metric = first + g % per_team_metrics
            lines += [
                f"  - id: t{team:02d}-g{g:02d}",
                f"    title: Team {team} goal {g}",
                f"    area: Area {team % AREAS}",
                f"    owner: '@team-{team:02d}'",
                "    start: 2024-01-01",
                "    due: 2027-Q2",
                "    targets:",
                f"      - {{metric: k{metric:03d}, target: {1000 + number}}}",
                f"      - {{metric: k{(metric + 1) % METRICS:03d}, target: '>= 5'}}",
            ]
        (root / "goals" / f"team-{team:02d}.yaml").write_text("\n".join(lines) + "\n")
    (root / "smartgoals.yaml").write_text(
        "sources:\n  - sql: SELECT metric, day, value FROM kpi WHERE day = "
        f"DATE '{NEW_DAY.isoformat()}'\n    connection: warehouse\n"
    )
    per_metric = max(observations // METRICS, 1)
    start = NEW_DAY - dt.timedelta(days=per_metric)
    warehouse = root.parent / "warehouse.csv"
    with (root / "goals" / "log.csv").open("w") as journal, warehouse.open("w") as copy:
        journal.write("date,metric,value,note\n")
        for index in range(per_metric + 1):
            day = (start + dt.timedelta(days=index)).isoformat()
            for m in range(METRICS):
                value = round(10 + index * 0.1 + rng.random() * 5, 2)
                copy.write(f"k{m:03d},{day},{value}\n")
                if index < per_metric:
                    journal.write(f"{day},k{m:03d},{value},\n")
    return warehouse


def git(root: Path, *args: str) -> None:
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_GLOBAL": "/dev/null"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def timed(what: str, argv: list[str], env: dict[str, str]) -> Timed:
    """One run of argv: wall time and the process's own max RSS."""
    begin = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - begin
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        message = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{what}: exit {code}: {message}")
    return Timed(what, seconds, usage.ru_maxrss / 1024, code)


def steps(root: Path, other: Path) -> Iterator[tuple[str, list[str]]]:
    sg = [sys.executable, "-m", "smartgoals", "-C", str(root)]
    # the journal parsed once and cached, so that the rows below time their own work
    yield "status (cold: the journal parsed and cached)", [*sg, "status"]
    yield "pull (one day, 300 metrics, one query)", [*sg, "pull"]
    yield "status --area 'Area 1' (first run)", [*sg, "status", "--area", "Area 1"]
    yield "status --area 'Area 1'", [*sg, "status", "--area", "Area 1"]
    yield "status (all 500 goals)", [*sg, "status"]
    yield "report", [*sg, "report"]
    yield "check", [*sg, "check"]
    yield "sync (sends the pull's commit)", [*sg, "sync"]
    second = [sys.executable, "-m", "smartgoals", "-C", str(other)]
    yield "sync in a second clone (brings it in)", [*second, "sync"]


def clones(root: Path) -> Path:
    """A bare origin that root tracks, and a second clone of it (another team member's)."""
    origin, other = root.parent / "origin.git", root.parent / "other"
    git(root.parent, "clone", "-q", "--bare", str(root), str(origin))
    git(root, "remote", "add", "origin", str(origin))
    git(root, "fetch", "-q", "origin")
    git(root, "branch", "-q", "--set-upstream-to", "origin/main")
    git(root.parent, "clone", "-q", str(origin), str(other))
    return other


def run(observations: int) -> str:
    """The company case's table, as markdown."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.sources.conftest import running_server

    work = Path(tempfile.mkdtemp(prefix="smartgoals-company-"))
    try:
        return _run(work, observations, running_server)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, observations: int, running_server: Any) -> str:
    root = work / "ledger"
    began = time.perf_counter()
    warehouse = generate(root, observations)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "company")
    other = clones(root)
    made = time.perf_counter() - began
    rows: list[Timed] = []
    with running_server() as server:
        load = time.perf_counter()
        _load(server.psql, warehouse)
        loaded = time.perf_counter() - load
        env = {
            **os.environ,
            **IDENTITY,
            "SMARTGOALS_CONNECTION_WAREHOUSE": server.url,
            "XDG_CACHE_HOME": str(work / "cache"),
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "COLUMNS": "120",
        }
        # the second clone's own cache is warm too, as its user's would be (untimed)
        timed("warm-up", [sys.executable, "-m", "smartgoals", "-C", str(other), "status"], env)
        for what, argv in steps(root, other):
            rows.append(timed(what, argv, env))
    with (root / "goals" / "log.csv").open("rb") as journal:
        journal.seek(-4096, os.SEEK_END)
        if f"{NEW_DAY.isoformat()},k{METRICS - 1:03d}," not in journal.read().decode():
            raise RuntimeError("pull did not append the new day")
    if (other / "goals" / "log.csv").stat().st_size != (root / "goals" / "log.csv").stat().st_size:
        raise RuntimeError("sync did not bring the new day into the second clone")
    lines = [
        f"Company case: {TEAMS} team files, {GOALS} goals, {METRICS} metrics, "
        f"{observations:,} observations in the journal and in PostgreSQL's kpi table "
        f"(generated in {made:.1f} s, loaded into PostgreSQL in {loaded:.1f} s).",
        "",
        "| command | seconds | peak MB | exit |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {r.what} | {r.seconds:.2f} | {r.peak_mb:.0f} | {r.code} |" for r in rows]
    return "\n".join(lines)


def _load(superuser: list[str], warehouse: Path) -> None:
    """The warehouse table, loaded with psql's \\copy (the server need not read our files)."""
    psql = [*superuser, "-v", "ON_ERROR_STOP=1", "-q"]
    role = "SET ROLE ledger_reader; "
    subprocess.run(
        [*psql, "-c", role + "CREATE TABLE kpi (metric text, day date, value numeric)"], check=True
    )
    with warehouse.open("rb") as rows:
        subprocess.run(
            [*psql, "-c", "\\copy kpi FROM STDIN WITH (FORMAT csv)"], stdin=rows, check=True
        )
    subprocess.run(
        [*psql, "-c", "CREATE INDEX ON kpi (day); ANALYZE kpi"],
        check=True,
    )


def write_out(path: Path, table: str) -> None:
    """Put the table between the company markers and keep everything else (the main table's
    markers are run.py's); a file without them gets them at its end."""
    block = f"{BEGIN}\n\n{table}\n\n{END}"
    old = path.read_text() if path.exists() else ""
    if BEGIN in old and END in old:
        start, stop = old.index(BEGIN), old.index(END) + len(END)
        path.write_text(old[:start] + block + old[stop:])
    else:
        path.write_text(old.rstrip("\n") + "\n\n" + block + "\n")
