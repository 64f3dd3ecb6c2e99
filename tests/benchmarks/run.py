"""The benchmark suite: smartgoals against a stdlib floor and hledger, on generated ledgers.

    python tests/benchmarks/run.py                 # 1k, 10k, 100k and 1M observations
    python tests/benchmarks/run.py --sizes 1k,10k  # a quick look
    python tests/benchmarks/run.py --out docs/performance.md

Every command runs in a fresh process several times; the table shows medians, the peak memory
of the process (max RSS) and ratios measured side by side in the same run. Timings are never
asserted in tests: this machine is shared and noisy, so compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
METRICS = 100
GOALS = 30
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}

FLOOR = """\
import csv, sys
latest = {}
with open(sys.argv[1], newline="") as handle:
    rows = csv.reader(handle)
    next(rows)
    for date, metric, value, note in rows:
        if metric not in latest or date >= latest[metric][0]:
            latest[metric] = (date, value)
for metric in sorted(latest):
    print(metric, *latest[metric])
"""


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1_000}k"


def generate(root: Path, observations: int, seed: int = 7) -> None:
    """A ledger: 100 metrics (10 of them derived), 30 goals with ladders, 4 risks, a journal."""
    rng = random.Random(seed)
    goals_dir = root / "goals"
    goals_dir.mkdir(parents=True)
    lines = ["metrics:"]
    for i in range(METRICS - 10):
        unit = ("USD", "count", "percent", "ms")[i % 4]
        direction = "down" if unit == "ms" else "up"
        lines.append(
            f"  m{i:03d}: {{name: Metric {i}, unit: {unit}, direction: {direction}, cadence: monthly}}"
        )
    for i in range(10):
        a, b = i * 2, i * 2 + 1
        formula = f"m{a:03d} / m{b:03d} * 100" if i % 2 else f"growth(m{a:03d}, 'month') * 100"
        lines.append(f'  d{i:03d}: {{name: Derived {i}, unit: percent, formula: "{formula}"}}')
    lines.append("goals:")
    for g in range(GOALS):
        lines += [
            f"  - id: goal-{g:02d}",
            f"    title: Goal {g}",
            f"    area: Area {g % 5}",
            f"    owner: Owner {g % 7}",
            "    start: 2020-01-01",
            "    due: 2030-Q4",
            "    targets:",
            f"      - metric: m{g:03d}",
            "        steps:",
            "          - {value: 100, due: 2024-Q4}",
            "          - {value: 500, due: 2027-Q4}",
            "          - {value: 1000, due: 2030-Q4}",
            f"      - {{metric: m{g + 30:03d}, target: 800}}",
            f"      - {{metric: m{g + 60:03d}, target: '>= 50'}}",
            f"      - {{metric: d{g % 10:03d}, target: '> 5'}}",
        ]
    lines += [
        "risks:",
        "  - {id: r1, title: R1, when: 'd000 < 2 or m001 < 10', actions: [a]}",
        "  - {id: r2, title: R2, when: \"status('goal-01') == 'missed'\", actions: [a]}",
        "  - {id: r3, title: R3, when: 'd001 > 1000', actions: [a]}",
        "  - {id: r4, title: R4, when: 'm002 < 1 and m003 < 1', actions: [a]}",
    ]
    (goals_dir / "goals.yaml").write_text("\n".join(lines) + "\n")
    per_metric = max(observations // (METRICS - 10), 1)
    start = dt.date(2026, 11, 1) - dt.timedelta(days=per_metric)
    count = 0
    # streamed, so that this process stays small: a child's peak memory (max RSS) counts
    # what it inherited at fork, and must measure only the command
    with (goals_dir / "log.csv").open("w") as out:
        out.write("date,metric,value,note\n")
        for day_index in range(per_metric):
            day = (start + dt.timedelta(days=day_index)).isoformat()
            for m in range(METRICS - 10):
                if count >= observations:
                    break
                value = round(10 + day_index * 0.1 + rng.random() * 5, 2)
                note = "import" if m % 10 == 0 else ""
                out.write(f"{day},m{m:03d},{value},{note}\n")
                count += 1


def hledger_journal(csv_path: Path, out: Path) -> None:
    """The same observations as an hledger journal: one virtual posting per observation."""
    with csv_path.open() as source, out.open("w") as target:
        next(source)
        for line in source:
            date, metric, value, _note = line.rstrip("\n").split(",", 3)
            target.write(f"{date} {metric}\n    ({metric})  {value}\n\n")


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def run(command: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> Measure:
    """Median wall time and the largest max-RSS over fresh processes."""
    times, peaks = [], []
    full_env = {**os.environ, **(env or {})}
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            err = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"{' '.join(command)} failed: {err}")
        if process.stderr:
            process.stderr.close()
    return Measure(statistics.median(times), max(peaks))


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **IDENTITY}
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1k,10k,100k,1M")
    parser.add_argument("--runs", type=int, default=5, help="runs per command (3 at 1M)")
    parser.add_argument("--hledger-max", default="100k", help="largest size to run hledger on")
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument(
        "--no-history",
        dest="history",
        action="store_false",
        help="skip the 2,000-commit history case (it takes a minute to build)",
    )
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    smartgoals = [sys.executable, "-m", "smartgoals"]
    hledger = shutil.which("hledger")
    hledger_max = parse_size(args.hledger_max)
    rows: list[tuple[str, str, Measure, str]] = []
    work = Path(tempfile.mkdtemp(prefix="smartgoals-bench-"))
    floor_script = work / "floor.py"
    floor_script.write_text(FLOOR)
    try:
        python = run([sys.executable, "-c", "pass"], work, args.runs)
        rows.append(("python -c pass", "-", python, ""))
        demo = run([*smartgoals, "-C", str(REPO), "status"], work, args.runs)
        demo_floor = run(
            [sys.executable, str(floor_script), str(REPO / "goals" / "log.csv")], work, args.runs
        )
        rows.append(("floor script", "demo", demo_floor, ""))
        rows.append(
            ("smartgoals status", "demo", demo, f"{demo.seconds / demo_floor.seconds:.2f}x floor")
        )
        base: dict[str, Measure] = {}
        for size in sizes:
            runs = 3 if size >= 1_000_000 else args.runs
            root = work / label(size)
            generate(root, size)
            os.sync()  # let the new files' write-back finish before anything is timed
            journal = root / "goals" / "log.csv"
            floor = run([sys.executable, str(floor_script), str(journal)], work, runs)
            rows.append(("floor script", label(size), floor, ""))
            ledger = ["-C", str(root)]
            status = run([*smartgoals, *ledger, "status"], work, runs)
            note = f"{status.seconds / floor.seconds:.2f}x floor"
            if hledger and size <= hledger_max:
                journal_h = root / "bench.journal"
                hledger_journal(journal, journal_h)
                hl = run([hledger, "-f", str(journal_h), "bal"], work, runs)
                rows.append(("hledger bal", label(size), hl, ""))
                note += f", {status.seconds / hl.seconds:.2f}x hledger"
            rows.append(("smartgoals status", label(size), status, note))
            check = run([*smartgoals, *ledger, "check"], work, runs)
            rows.append(("smartgoals check", label(size), check, ""))
            log = run([*smartgoals, *ledger, "log", "m000", "5", "--no-commit"], work, runs)
            base.setdefault("log", log)
            rows.append(
                (
                    "smartgoals log --no-commit",
                    label(size),
                    log,
                    f"{log.seconds / base['log'].seconds:.2f}x at {label(sizes[0])}",
                )
            )
            for name, measure in (("status", status), ("check", check)):
                base.setdefault(name, measure)
        # log with its commit, against the git CLI committing the same line
        root = work / "git"
        generate(root, 1_000)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "start")
        logged = run([*smartgoals, "-C", str(root), "log", "m000", "5"], work, args.runs, IDENTITY)
        script = "echo '2026-11-01,m000,5,' >> goals/log.csv && git add goals/log.csv && git commit -q -m log"
        plain = run(["sh", "-c", script], root, args.runs, IDENTITY)
        rows.append(("git add + git commit", "1k", plain, ""))
        rows.append(
            (
                "smartgoals log (commit)",
                "1k",
                logged,
                f"{logged.seconds / plain.seconds:.2f}x git CLI",
            )
        )
        if args.history:
            rows += history_case(work, smartgoals, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = render(rows, sizes)
    print(table)
    if args.out:
        write_keeping_notes(args.out, table)


HEADER = """# Performance

Produced by the project's benchmark, from a fresh clone (this file's table and targets are
rewritten by it; the notes at the end are written by hand and kept):

```sh
python3 -m venv .venv && .venv/bin/pip install -e '.[test]'
.venv/bin/python tests/benchmarks/run.py --out docs/performance.md
```

It generates ledgers with 1k, 10k, 100k and 1M observations (100 metrics of which 10 derived,
30 goals with ladders, 4 risks), runs every command in fresh processes (5 runs, 3 at 1M), and
measures, in the same run and side by side: `python -c pass`; a stdlib floor script that streams
the same CSV and prints the latest value per metric; `hledger -f J bal` on the same observations
as an hledger journal (`apt-get install hledger`; up to 100k, since hledger needs over a minute
and 6 GB at 1M); and `git add` + `git commit` of one journal line by the git CLI. The last case
builds a repository of 2,000 commits and 20,000 journal lines, one commit per appended row as
`smartgoals log` makes them. Medians; peak memory is each process's own max RSS. The machine is
shared and noisy: compare ratios, not seconds. No timing is asserted in the test suite.

## The table

"""
NOTES = "<!-- Notes below this line are written by hand and kept when the table is rewritten. -->"


def write_keeping_notes(path: Path, table: str) -> None:
    """Write the generated table; keep the hand-written analysis after NOTES in the old file."""
    notes = ""
    if path.exists():
        old = path.read_text()
        if NOTES in old:
            notes = old[old.index(NOTES) :]
    path.write_text(HEADER + table + ("\n" + notes if notes else ""))


def history_case(
    work: Path, smartgoals: list[str], runs: int
) -> list[tuple[str, str, Measure, str]]:
    """A ledger with 2,000 commits and 20,000 journal lines: 18,000 in the first commit, then
    one commit per appended row, the way `smartgoals log` makes them."""
    root = work / "history"
    generate(root, 18_000)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    journal = root / "goals" / "log.csv"
    env = {**os.environ, **IDENTITY}
    for i in range(1_999):
        with journal.open("a") as out:
            out.write(f"2026-11-{1 + i % 20:02d},m{i % 90:03d},{i},commit {i}\n")
        subprocess.run(
            ["git", "commit", "-q", "-a", "-m", f"log {i}"], cwd=root, env=env, check=True
        )
    oldest = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ledger = ["-C", str(root)]
    history = run([*smartgoals, *ledger, "history", "m001"], work, runs, IDENTITY)
    diff = run([*smartgoals, *ledger, "diff", oldest, "HEAD"], work, runs, IDENTITY)
    status_rev = run([*smartgoals, *ledger, "status", "--rev", oldest], work, runs, IDENTITY)
    return [
        ("smartgoals history", "20k, 2,000 commits", history, ""),
        ("smartgoals diff oldest HEAD", "20k, 2,000 commits", diff, ""),
        ("smartgoals status --rev oldest", "20k, 2,000 commits", status_rev, ""),
    ]


def render(rows: list[tuple[str, str, Measure, str]], sizes: list[int]) -> str:
    cpu = platform.processor() or platform.machine()
    lines = [
        "| command | observations | median s | peak MB | ratio |",
        "|---|---|---:|---:|---|",
    ]
    for name, size, measure, note in rows:
        lines.append(
            f"| {name} | {size} | {measure.seconds:.3f} | {measure.peak_mb:.0f} | {note} |"
        )
    growth = _growth(rows, sizes) + _targets(rows, sizes)
    head = (
        f"Measured {dt.date.today().isoformat()} on {platform.system()} {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; medians of fresh processes.\n\n"
    )
    return head + "\n".join(lines) + "\n" + growth


def _growth(rows: list[tuple[str, str, Measure, str]], sizes: list[int]) -> str:
    """Seconds added per 100k observations, from the smallest to the largest size."""
    if len(sizes) < 2:
        return ""
    first, last = label(sizes[0]), label(sizes[-1])
    span = (sizes[-1] - sizes[0]) / 100_000
    out = ["", f"Cost per 100k observations ({first} to {last}):", ""]
    for name in (
        "floor script",
        "hledger bal",
        "smartgoals status",
        "smartgoals check",
        "smartgoals log --no-commit",
    ):
        found = {size: m for n, size, m, _ in rows if n == name}
        if first in found and last in found:
            per = (found[last].seconds - found[first].seconds) / span
            out.append(f"- {name}: {per:.3f} s")
    return "\n".join(out) + "\n"


def _targets(rows: list[tuple[str, str, Measure, str]], sizes: list[int]) -> str:
    """Each target of the performance issue, met or missed, from this run's numbers."""
    found = {(name, size): m for name, size, m, _ in rows}
    out = ["", "Targets:", ""]

    def verdict(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")

    demo, floor = found.get(("smartgoals status", "demo")), found.get(("floor script", "demo"))
    if demo and floor:
        ratio = demo.seconds / floor.seconds
        verdict(ratio <= 2.5, f"status on the demo at most 2.5x the floor script: {ratio:.2f}x")
    status, hledger = found.get(("smartgoals status", "100k")), found.get(("hledger bal", "100k"))
    if status and hledger:
        ratio = status.seconds / hledger.seconds
        verdict(ratio <= 0.2, f"status at 100k at most 1/5 of hledger bal: {ratio:.2f}x")
    if status:
        verdict(status.peak_mb < 150, f"status at 100k under 150 MB: {status.peak_mb:.0f} MB")
    big = found.get(("smartgoals status", "1M"))
    if big:
        verdict(big.seconds < 3, f"status at 1M under 3 s: {big.seconds:.2f} s")
        verdict(big.peak_mb < 500, f"status at 1M under 500 MB: {big.peak_mb:.0f} MB")
    first, last = label(sizes[0]), label(sizes[-1])
    small, large = (
        found.get(("smartgoals log --no-commit", first)),
        found.get(("smartgoals log --no-commit", last)),
    )
    if small and large and first != last:
        ratio = large.seconds / small.seconds
        verdict(ratio <= 1.2, f"log --no-commit at {last} within 1.2x of {first}: {ratio:.2f}x")
    logged, git_cli = (
        found.get(("smartgoals log (commit)", "1k")),
        found.get(("git add + git commit", "1k")),
    )
    start = found.get(("smartgoals log --no-commit", "1k"))
    if logged and git_cli and start:
        budget = git_cli.seconds + start.seconds
        ratio = logged.seconds / budget
        verdict(
            ratio <= 2,
            f"log with its commit within 2x of the git CLI's add + commit plus start-up "
            f"(log --no-commit): {logged.seconds:.3f} s = {ratio:.2f}x of {budget:.3f} s",
        )
    check = found.get(("smartgoals check", "100k"))
    if check:
        verdict(check.seconds < 2, f"check at 100k under 2 s: {check.seconds:.2f} s")
    for name in ("smartgoals history", "smartgoals diff oldest HEAD"):
        measure = found.get((name, "20k, 2,000 commits"))
        if measure:
            verdict(
                measure.seconds < 1,
                f"{name[11:]} on 2,000 commits, 20k rows, under 1 s: {measure.seconds:.2f} s",
            )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
