"""The fast paths of issue 19 give the same answers as the slow ones they replace: the status
table painted without Rich, and the settings read only when they can set the pager."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.formula.compiled import Slots, compile_point
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.syntax import Node, parse, references
from smartgoals.ledger.derived import SeriesData, _order, derive_series
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger, MetricDef, Series
from tests.conftest import REPO_ROOT, git, write_ledger

SMARTGOALS = str(Path(sys.executable).parent / "smartgoals")
AS_OF = ("--as-of", "2026-11-22")
SGR = re.compile(r"\x1b\[([0-9;]*)m")

HOSTILE = """
metrics:
  mrr:
    name: "MRR \\e]52;c;cHduZWQ=\\a\\e[2J \\u202e"
    unit: USD
goals:
  - id: g
    title: "Title \\e[31mred\\nforged: line"
    targets:
      - {metric: mrr, target: 10}
risks:
  - {id: r, title: "Risk \\e]8;;http://x\\e\\\\link", when: "mrr < 100", actions: ["Act \\e[5m \\u202e"]}
"""


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "PAGER")
    }
    env.update({"TERM": "xterm", "SMARTGOALS_PAGER": "cat"}, **extra)
    return env


def in_terminal(args: list[str], columns: int, env: dict[str, str] | None = None) -> str:
    child = pexpect.spawn(
        SMARTGOALS,
        args,
        dimensions=(500, columns),
        env=env or environment(),
        encoding="utf-8",
        timeout=60,
    )
    output = child.read()
    child.close()
    return str(output).replace("\r\n", "\n")


def only_colour_codes(text: str) -> None:
    """Every escape in text starts a colour or resets it, and every colour is reset on its
    line."""
    assert "\x1b" not in SGR.sub("", text), repr(text)
    assert "\x07" not in text and "\x9b" not in text and "\u202e" not in text
    for line in text.splitlines():
        codes = SGR.findall(line)
        if codes:
            assert codes[-1] == "0", repr(line)


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_painted_status_table_is_the_plain_layout_with_colour(columns: int) -> None:
    """In a colour terminal the table is drawn to the width with colour codes only, and shows
    what the plain table shows."""
    shown = in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], columns)
    only_colour_codes(shown)
    lines = SGR.sub("", shown).splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[0].split()[:3] == ["Goal", "/", "metric"]
    assert any(line.startswith("User Growth") for line in lines)
    assert " goals as of 2026-11-22" in " ".join(lines[-3:])
    # the same cells as the plain table: every goal id and status word is there
    plain = subprocess.run(
        [SMARTGOALS, "-C", str(REPO_ROOT), "status", *AS_OF],
        capture_output=True,
        text=True,
        env=environment(),
        check=True,
    ).stdout
    for word in ("missed", "on track", "achieved", "Triggered risks"):
        assert (word in plain) == (word in "\n".join(lines)), word


def test_hostile_user_text_is_shown_not_obeyed_in_the_painted_table(tmp_path: Path) -> None:
    write_ledger(tmp_path, HOSTILE, "date,metric,value,note\n2026-01-01,mrr,5,\n")
    args = ["-C", str(tmp_path), "status", "--as-of", "2026-02-01"]
    for shown in (
        in_terminal(args, 80),
        in_terminal(args, 200),
        subprocess.run(
            [SMARTGOALS, "--color", "always", *args],
            capture_output=True,
            text=True,
            env=environment(),
            check=False,
        ).stdout,
    ):
        only_colour_codes(shown)
        plain = SGR.sub("", shown)
        assert "\\x1b" in plain and "\\u202e" in plain
        assert "forged: line" not in plain.splitlines()
        assert "TRIGGERED" in plain


def test_a_pager_setting_is_obeyed_and_its_absence_means_the_pager(tmp_path: Path) -> None:
    """smartgoals.yaml is parsed for the pager only when it can set it; `pager: false` still
    turns the pager off, and a file without it keeps the default (the pager)."""
    write_ledger(tmp_path, HOSTILE, "date,metric,value,note\n2026-01-01,mrr,5,\n")
    marker = tmp_path / "paged"
    pager = f"cat > {marker}"
    env = environment(SMARTGOALS_PAGER=pager, LINES="3")
    args = ["-C", str(tmp_path), "status", "--as-of", "2026-02-01"]
    (tmp_path / "smartgoals.yaml").write_text("# settings\nat_risk_band: 10%\n")
    in_terminal(args, 120, env)
    assert marker.exists()
    marker.unlink()
    (tmp_path / "smartgoals.yaml").write_text("pager: false\n")
    shown = in_terminal(args, 120, env)
    assert not marker.exists() and "Title" in shown


# -- derived metrics: compiled formulas against the evaluator -----------------------------


def interpreted(
    metrics: dict[str, MetricDef], series: dict[str, Series], formulas: dict[str, Node]
) -> dict[str, Series]:
    """derive_series as it was: the evaluator at every date where an input changed."""
    result = dict(series)
    for metric in _order(formulas):
        node = formulas[metric]
        days = sorted({d for ref in references(node) if ref in result for d in result[ref].dates})
        derived = Series()
        for day in days:
            value = evaluate(node, SeriesData(metrics, result, day)).value
            if isinstance(value, float | int) and not isinstance(value, bool):
                derived.dates.append(day)
                derived.values.append(float(value))
                derived.notes.append("")
                derived.lines.append(0)
        result[metric] = derived
    return result


def observed(ledger: Ledger) -> dict[str, Series]:
    return {k: v for k, v in ledger.series.items() if k not in ledger.definitions.formulas}


def test_the_demo_derived_series_are_the_same_compiled_and_interpreted() -> None:
    ledger = load_ledger(REPO_ROOT, use_cache=False)
    formulas = ledger.definitions.formulas
    metrics = ledger.definitions.metrics
    compiled = [
        m for m, node in formulas.items() if compile_point(node, Slots(sorted(references(node))))
    ]
    assert len(compiled) >= len(formulas) // 2  # most demo formulas take the compiled path
    assert "sum(" in metrics[next(m for m in formulas if m not in compiled)].formula
    expected = interpreted(metrics, observed(ledger), formulas)
    assert derive_series(metrics, observed(ledger), formulas) == expected
    assert ledger.series == expected


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "journal-cache"])
def test_status_computes_only_the_derived_points_it_judges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """load_ledger(judged=True, until=as_of), as status and risks load: only the derived
    metrics a target or risk reads, no point after as-of, and the same evaluation as from
    every derived point of every derived metric, at every as-of date."""
    from smartgoals.engine.evaluation import evaluate

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0" if cached else "1000000000")
    monkeypatch.delenv("SMARTGOALS_NO_CACHE", raising=False)
    full = load_ledger(REPO_ROOT, use_cache=False)
    formulas = full.definitions.formulas
    # read by no target, risk or formula (the revenue mix reads the streams' amounts)
    unjudged = {"mrr_growth", "pow_message_share"}
    unjudged |= {"revenue_share_pow", "revenue_share_premium", "revenue_share_enterprise"}
    assert unjudged < set(formulas)
    observed_days = sorted({d for s in observed(full).values() for d in s.dates})
    days = [observed_days[0], *observed_days[:: max(len(observed_days) // 12, 1)]]
    days += [observed_days[-1], observed_days[-1] + dt.timedelta(days=400)]
    for day in days:
        judged = load_ledger(REPO_ROOT, judged=True, until=day)
        assert unjudged.isdisjoint(judged.series)
        for metric in set(formulas) - unjudged:
            got, every = judged.series[metric], full.series[metric]
            if not cached:  # the cached series may hold later points: none is read
                assert not got.dates or got.dates[-1] <= day
            end = every.count_until(day)
            assert got.dates[: got.count_until(day)] == every.dates[:end]
            assert got.values[: got.count_until(day)] == every.values[:end]
        assert evaluate(judged, day) == evaluate(full, day), day


NAMES = ("a", "b", "c")
LEAVES = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(["0", "1", "2.5", "-3", "100", "1e17", "0.5"]),
    st.sampled_from(
        [
            "growth(a, 'month')",
            "change(b, 'week')",
            "prev(c)",
            "growth(b, '30d')",
            "change(a, 'year')",
            "sum(a, 'month')",  # not compiled: the whole formula is evaluated point by point
        ]
    ),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    calls = st.one_of(
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        children.map(lambda c: f"abs({c})"),
        st.tuples(children, st.sampled_from(["0", "2", "13", "-1"])).map(
            lambda t: f"round({t[0]}, {t[1]})"
        ),
        children.map(lambda c: f"-{c}"),
    )
    return st.one_of(binary, calls)


FORMULAS = st.recursive(LEAVES, _combine, max_leaves=8)
VALUES = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 2.0, 1e19, -0.5, 3.25]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
DAYS = st.lists(st.integers(min_value=0, max_value=800), max_size=25).map(sorted)


@settings(max_examples=300, deadline=None)
@given(
    formula=FORMULAS,
    days=st.tuples(DAYS, DAYS, DAYS),
    values=st.lists(VALUES, min_size=75, max_size=75),
)
def test_compiled_formulas_give_what_the_evaluator_gives(
    formula: str, days: tuple[list[int], list[int], list[int]], values: list[float]
) -> None:
    start = dt.date(2025, 1, 31)
    series = {
        name: Series(
            [start + dt.timedelta(days=d) for d in offsets],
            values[i * 25 : i * 25 + len(offsets)],
            [""] * len(offsets),
            list(range(len(offsets))),
        )
        for i, (name, offsets) in enumerate(zip(NAMES, days, strict=True))
    }
    metrics = {name: MetricDef(name, name) for name in (*NAMES, "d")}
    formulas = {"d": parse(formula)}
    got = derive_series(metrics, series, formulas)["d"]
    want = interpreted(metrics, series, formulas)["d"]
    assert (got.dates, got.values) == (want.dates, want.values), formula


@settings(max_examples=200, deadline=None)
@given(
    formula=FORMULAS,
    days=st.tuples(DAYS, DAYS, DAYS),
    later=st.tuples(DAYS, DAYS, DAYS),
    values=st.lists(VALUES, min_size=150, max_size=150),
    chained=st.booleans(),
)
def test_derived_points_from_a_date_on_extend_the_earlier_ones(
    formula: str,
    days: tuple[list[int], list[int], list[int]],
    later: tuple[list[int], list[int], list[int]],
    values: list[float],
    chained: bool,
) -> None:
    """The journal cache keeps derived series and computes only the points from the earliest
    date read since (derive_series' previous and since): the same series as computing them
    all over the grown inputs, whatever the formula, backdated rows included."""
    start = dt.date(2025, 1, 31)

    def grown(upto: int) -> dict[str, Series]:
        """Each point keeps its value; the added ones land in date order, after the points
        of their day that were there before."""
        result = {}
        for i, name in enumerate(NAMES):
            first = [(d, values[i * 50 + j]) for j, d in enumerate(days[i])]
            added = [(d, values[i * 50 + 25 + j]) for j, d in enumerate(later[i][:upto])]
            points = sorted(first + added, key=lambda point: point[0])
            result[name] = Series(
                [start + dt.timedelta(days=d) for d, _ in points],
                [v for _, v in points],
                [""] * len(points),
                list(range(len(points))),
            )
        return result

    metrics = {name: MetricDef(name, name) for name in (*NAMES, "d", "e")}
    formulas = {"d": parse(formula)}
    if chained:  # a derived metric of a derived metric
        formulas["e"] = parse("d * 2 + prev(d)")
    before, after = grown(0), grown(25)
    previous = derive_series(metrics, before, formulas)
    added = [d for i in range(3) for d in later[i]]
    since = start + dt.timedelta(days=min(added)) if added else None
    got = derive_series(metrics, after, formulas, previous, since)
    want = derive_series(metrics, after, formulas)
    for metric in formulas:
        assert (got[metric].dates, got[metric].values) == (
            want[metric].dates,
            want[metric].values,
        ), formula


# -- no quadratic path: revisions by one git call, diff of large journals ----------------------

LINEAR_GOALS = """
metrics:
  m: {name: M}
  n: {name: N}
goals:
  - id: g
    title: G
    targets:
      - {metric: m, target: 10}
"""


def fast_import(root: Path, commits: int) -> None:
    """A history of `commits` commits, each appending one row to the journal (git fast-import:
    one process for all of them)."""
    (root / "goals").mkdir(exist_ok=True)
    goals = LINEAR_GOALS.encode()
    stream = []
    journal = b"date,metric,value,note\n"
    start = dt.date(2020, 1, 1)
    for index in range(commits):
        journal += f"{start + dt.timedelta(days=index)},m,{index},\n".encode()
        message = f"log: m {index}\n".encode()
        stream += [
            b"commit refs/heads/main\n",
            f"committer Ada Founder <ada@example.com> {1_600_000_000 + index} +0000\n".encode(),
            b"data %d\n%s" % (len(message), message),
        ]
        stream += [
            b"M 100644 inline goals/goals.yaml\n",
            b"data %d\n%s\n" % (len(goals), goals),
            b"M 100644 inline goals/log.csv\n",
            b"data %d\n%s\n" % (len(journal), journal),
        ]
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    git(root, "checkout", "-q", "-f", "main")


def test_a_far_ancestor_is_resolved_by_git_as_git_resolves_it(repo: Path) -> None:
    fast_import(repo, 400)
    for rev in ("HEAD~350", "main~399", "HEAD^^", "HEAD~1^"):
        want = git(repo, "rev-parse", "--short=10", rev).strip()
        shown = subprocess.run(
            [SMARTGOALS, "-C", str(repo), "status", "--rev", rev, "--as-of", "2030-01-01"],
            capture_output=True,
            text=True,
            env=environment(),
            check=False,
        )
        assert shown.returncode in (0, 2), shown.stderr
        assert shown.stdout.startswith(f"{rev} = {want}"), (rev, shown.stdout[:80])
    wrong = subprocess.run(
        [SMARTGOALS, "-C", str(repo), "status", "--rev", "HEAD~400"],
        capture_output=True,
        text=True,
        env=environment(),
        check=False,
    )
    assert wrong.returncode == 1 and "unknown revision 'HEAD~400'" in wrong.stderr


def test_diff_of_two_large_journals_finds_exactly_the_rows_that_differ() -> None:
    """50,000 rows of one metric on each side, with repeats: the rows added and removed are
    counted as multisets (a repeated row removed once is removed once)."""
    from smartgoals.engine.compare import diff
    from smartgoals.engine.evaluation import evaluate as judge

    files = {"goals/goals.yaml": LINEAR_GOALS.encode()}
    start = dt.date(2000, 1, 1)
    rows = [(start + dt.timedelta(days=i // 3), float(i % 7), "") for i in range(50_000)]
    old_rows = rows
    removed_at = set(range(0, 50_000, 997))
    new_rows = [r for i, r in enumerate(rows) if i not in removed_at]
    new_rows += [(start + dt.timedelta(days=20_000 + i), 1.5, "new") for i in range(500)]

    def ledger(journal: list[tuple[dt.date, float, str]]) -> Ledger:
        text = "date,metric,value,note\n" + "".join(
            f"{d.isoformat()},m,{v:g},{n}\n" for d, v, n in journal
        )
        return load_ledger({**files, "goals/log.csv": text.encode()}, use_cache=False)

    a, b = ledger(old_rows), ledger(new_rows)
    day = dt.date(2060, 1, 1)
    result = diff(a, b, judge(a, day), judge(b, day))
    (change,) = [o for o in result.observations if o.metric.id == "m"]
    assert len(change.added) == 500 and all(row[2] == "new" for row in change.added)
    # the removed rows: as many of each (date, value) as were taken out, whichever copy
    from collections import Counter

    want = Counter(rows[i] for i in removed_at)
    assert Counter(change.removed) == want
    assert change.current_old == rows[-1][1] and change.current_new == 1.5


def test_status_in_a_colour_terminal_loads_neither_rich_nor_yaml() -> None:
    """The painted table needs no Rich, and a smartgoals.yaml that does not mention the pager
    is not parsed for it (the definitions cache holds the rest)."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('LOADED', sorted(m for m in ('rich', 'yaml', 'pydantic')"
        " if m in sys.modules)))\n"
        "from smartgoals.console import main\n"
        f"sys.argv = ['smartgoals', '-C', {str(REPO_ROOT)!r}, 'status', '--as-of', '2026-11-22']\n"
        "main()\n"
    )
    subprocess.run([SMARTGOALS, "-C", str(REPO_ROOT), "check"], capture_output=True, check=False)
    child = pexpect.spawn(
        sys.executable,
        ["-c", script],
        dimensions=(500, 200),
        env=environment(),
        encoding="utf-8",
        timeout=60,
    )
    output = str(child.read())
    child.close()
    assert "\x1b[" in output  # colour: the painted table, not the plain one
    assert "LOADED []" in output, output[-300:]


@pytest.mark.parametrize("where", [0, 1, 29_999, 30_000, 49_999])
def test_diff_skips_the_rows_both_sides_share_and_still_finds_a_row_in_the_middle(
    where: int,
) -> None:
    """A row inserted anywhere (a union merge puts lines in the middle), next to a repeat of
    itself: exactly that row is added, nothing is removed, whatever prefix the sides share."""
    from smartgoals.engine.compare import diff
    from smartgoals.engine.evaluation import evaluate as judge

    files = {"goals/goals.yaml": LINEAR_GOALS.encode()}
    start = dt.date(2000, 1, 1)
    rows = [(start + dt.timedelta(days=i // 2), float(i % 5), "") for i in range(50_000)]
    inserted = rows[where]  # the same date, value and note as a row already there
    new_rows = [*rows[:where], inserted, *rows[where:]]

    def ledger(journal: list[tuple[dt.date, float, str]]) -> Ledger:
        text = "date,metric,value,note\n" + "".join(
            f"{d.isoformat()},m,{v:g},{n}\n" for d, v, n in journal
        )
        return load_ledger({**files, "goals/log.csv": text.encode()}, use_cache=False)

    a, b = ledger(rows), ledger(new_rows)
    day = dt.date(2100, 1, 1)
    result = diff(a, b, judge(a, day), judge(b, day))
    (change,) = [o for o in result.observations if o.metric.id == "m"]
    assert change.added == (inserted,) and change.removed == ()
    reverse = diff(b, a, judge(b, day), judge(a, day))
    (back,) = [o for o in reverse.observations if o.metric.id == "m"]
    assert back.removed == (inserted,) and back.added == ()


GC_PROBE = """
import gc, io, sys, contextlib
sys.argv = ["smartgoals", "--version"]
from smartgoals.console import GC_THRESHOLDS, main
try:
    with contextlib.redirect_stdout(io.StringIO()):
        main()
except SystemExit:
    pass
print(gc.get_threshold() == GC_THRESHOLDS, gc.get_freeze_count() > 1000, gc.isenabled())
"""


def test_the_console_makes_collections_rarer_and_never_turns_them_off() -> None:
    """console.main raises the collector's thresholds and freezes what start-up imported; a
    reference cycle made afterwards is still collected."""
    out = subprocess.run(
        [sys.executable, "-c", GC_PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "True"]
    cycle_probe = GC_PROBE.replace(
        "print(",
        "import weakref\nclass C: pass\nc = C(); c.me = c; ref = weakref.ref(c); del c\n"
        "gc.collect()\nprint(ref() is None, ",
    )
    out = subprocess.run(
        [sys.executable, "-c", cycle_probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "True", "True"]


@pytest.mark.parametrize(
    "words",
    [("show", "grow"), ("history", "mrr"), ("diff", "HEAD~1"), ("status", "--rev", "HEAD~1")],
)
def test_history_commands_read_git_without_gitpython(
    tmp_path: Path, words: tuple[str, ...]
) -> None:
    """show, history, diff and status --rev read commits and blobs through one
    `git cat-file --batch`: GitPython (about 74 ms to import) is not loaded for them."""
    git(tmp_path, "init", "-q", "-b", "main")
    goals = (
        "metrics:\n  mrr: {name: MRR}\ngoals:\n  - id: grow\n    title: Grow\n"
        "    due: 2026-12-31\n    targets:\n      - {metric: mrr, target: 100}\n"
    )
    write_ledger(tmp_path, goals, "date,metric,value,note\n2026-01-01,mrr,10,\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    with (tmp_path / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-02-01,mrr,20,\n")
    git(tmp_path, "commit", "-q", "-am", "log: mrr 20")
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('LOADED', 'git' in sys.modules))\n"
        "from smartgoals.console import main\n"
        f"sys.argv = ['smartgoals', '-C', {str(tmp_path)!r}, *{list(words)!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment()
    )
    assert done.returncode == 0, done.stderr
    assert "LOADED False" in done.stdout, done.stdout[-300:]
