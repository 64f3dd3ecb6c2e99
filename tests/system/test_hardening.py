"""Hostile input, concurrent writers, crashes and git faults: nothing lost, nothing run, one
clear line each. Everything runs through the real CLI in subprocesses, on real files and git."""

from __future__ import annotations

import csv
import math
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import IDENTITY, REPO_ROOT, git, write_ledger

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
BASE = "metrics:\n  mrr: {name: MRR, unit: USD}\n"
HEADER = "date,metric,value,note\n"
MEMORY_LIMIT = 1 << 30  # address space: a guard rail, so a runaway case dies instead of the machine


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))


# The CLI runs as the grandchild of a small launcher, which reports its peak memory: Linux keeps
# a process's peak resident size across exec, so a child forked straight from this (large,
# late in a test session) pytest process would report pytest's own size as its peak.
_LAUNCHER = """
import os, signal, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_pid, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:  # die by the same signal, so the caller sees what the CLI met
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def smartgoals(
    root: Path, *args: str, env: dict[str, str] | None = None, preexec: Callable[[], None] = _limits
) -> tuple[int, str, str, float]:
    """Run the real CLI in a fresh process: (exit code, stdout, stderr, peak memory in MB).
    preexec runs in the launcher, before the fork: its limits and signal dispositions are the
    CLI's too."""
    full_env = {**os.environ, "SMARTGOALS_NO_CACHE": "1", **IDENTITY, **(env or {})}
    with tempfile.TemporaryDirectory() as scratch:
        peak = Path(scratch) / "peak"
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        with out.open("wb") as stdout_file, err.open("wb") as stderr_file:
            process = subprocess.run(
                [
                    sys.executable,
                    "-S",
                    "-c",
                    _LAUNCHER,
                    str(peak),
                    sys.executable,
                    "-m",
                    "smartgoals",
                    "-C",
                    str(root),
                    *args,
                ],
                stdout=stdout_file,
                stderr=stderr_file,
                env=full_env,
                cwd=REPO_ROOT,
                preexec_fn=preexec,
                check=False,
            )
        stdout = out.read_bytes().decode(errors="replace")
        stderr = err.read_bytes().decode(errors="replace")
        peak_kb = int(peak.read_text()) if peak.exists() else 0
    return process.returncode, stdout, stderr, peak_kb / 1024


def _assert_one_clean_failure(code: int, out: str, err: str) -> None:
    assert code >= 0, f"killed by signal {-code}"
    assert "Traceback" not in out + err


# --- the corpus -------------------------------------------------------------------------------


def _corpus() -> list[tuple[str, int, str]]:
    rows = []
    for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, code, first = line.split("\t")
        rows.append((name, int(code), first))
    return rows


@pytest.mark.slow
@pytest.mark.parametrize(("name", "code", "first"), _corpus(), ids=[c[0] for c in _corpus()])
def test_corpus(tmp_path: Path, name: str, code: int, first: str) -> None:
    write_ledger(tmp_path, BASE, name="base.yaml")
    target = tmp_path / "goals" / ("case.yaml" if name.endswith(".yaml") else "log.csv")
    shutil.copy(CORPUS / name, target)
    before = {p.name: p.read_bytes() for p in (tmp_path / "goals").iterdir()}
    exit_code, out, err, peak = smartgoals(tmp_path, "check")
    _assert_one_clean_failure(exit_code, out, err)
    assert exit_code == code, out + err
    assert peak < 200, f"{peak:.0f} MB"
    assert out.splitlines()[0] == first
    assert {p.name: p.read_bytes() for p in (tmp_path / "goals").iterdir()} == before  # read only
    assert not (REPO_ROOT / "pwned").exists() and not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("name", "text", "first"),
    [
        (
            "deep-nesting",
            "a: " + "[" * 25_000 + "]" * 25_000 + "\n",
            "goals/case.yaml:1:1: nesting deeper than 64 levels",
        ),
        (
            "deep-block-nesting",
            "".join(f"{'  ' * i}k{i}:\n" for i in range(200)),
            "goals/case.yaml:",
        ),
        (
            "many-megabytes",
            "# " + "x" * 6_000_000 + "\n",
            "goals/case.yaml: file is larger than 5,000,000 bytes",
        ),
        (
            "huge-scalar",
            "goals:\n  - {id: g, title: '"
            + "x" * 1_000_000
            + "', targets: [{metric: mrr, target: 1}]}\n",
            "goals/case.yaml:2:13: g.title: String should have at most 10000 characters",
        ),
        (
            "many-goals",
            "goals:\n"
            + "".join(
                f"  - {{id: g{i}, title: G, targets: [{{metric: mrr, target: 1}}]}}\n"
                for i in range(5_000)
            ),
            "ok: 5000 goals",
        ),
    ],
)
def test_generated_hostile_yaml(tmp_path: Path, name: str, text: str, first: str) -> None:
    write_ledger(tmp_path, BASE, name="base.yaml")
    (tmp_path / "goals" / "case.yaml").write_text(text)
    code, out, err, peak = smartgoals(tmp_path, "check")
    _assert_one_clean_failure(code, out, err)
    assert out.splitlines()[0].startswith(first), out[:300] + err[:300]
    assert peak < 200, f"{peak:.0f} MB"


def test_yaml_11_surprises_mean_what_was_written(tmp_path: Path) -> None:
    goals = """\
    metrics:
      a: {name: A}
      b: {name: B}
      c: {name: C, unit: ratio}
    goals:
      - id: g
        title: 2026
        time_bound: 2027
        targets:
          - {metric: a, target: 012}
          - {metric: c, target: 1:30}
          - {metric: b, target: 1e3}
    """
    write_ledger(tmp_path, goals)
    code, out, err, _ = smartgoals(tmp_path, "status", "--json")
    assert code == 0, err
    import json

    goal = json.loads(out)["goals"][0]
    # not 10, not 90, and 1e3 (a string to YAML 1.1) is a thousand
    assert [t["target"] for t in goal["targets"]] == [12, pytest.approx(1 / 30, abs=1e-5), 1000]
    assert goal["title"] == "2026"
    write_ledger(tmp_path, goals.replace("target: 012", "target: 0x10"))
    code, out, _err, _ = smartgoals(tmp_path, "check")
    assert code == 1
    assert "'0x10' is not a number" in out  # not silently 16


def test_editor_backups_and_hidden_files_are_not_read(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE, name="base.yaml")
    for name in ("base.yaml~", ".#base.yaml", "#base.yaml#", ".base.yaml.swp", "notes.txt"):
        (tmp_path / "goals" / name).write_text("{{{ broken")
    code, out, _err, _ = smartgoals(tmp_path, "check")
    assert (code, out) == (0, "ok: 0 goals, 1 metrics, 0 observations\n")


# --- values and arguments ----------------------------------------------------------------------


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    write_ledger(tmp_path, BASE, HEADER + "2026-01-01,mrr,5,\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(tmp_path, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def _state(root: Path) -> tuple[bytes, str, bytes]:
    return (
        (root / "goals" / "log.csv").read_bytes(),
        git(root, "rev-parse", "HEAD").strip(),
        (root / ".git" / "index").read_bytes(),
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("mrr", "5", "--date", "99999-01-01"), 1, "error: --date: '99999-01-01' is not a date"),
        (("mrr", "5", "--date", "1066-10-14"), 1, "error: --date: year 1066"),
        (("mrr", "5", "--date", "2026-13-01"), 1, "error: --date: '2026-13-01' is not a real date"),
        (("mrr", "١٢"), 1, "error: mrr: '١٢' has digits that are not 0-9"),
        (("mrr", "inf"), 1, "error: mrr: 'inf' is not a number"),
        (("mrr", "1e400"), 1, "error: mrr: '1e400' is not a finite number"),
        (
            ("mrr", "5", "--note", "x" * 3_000),
            1,
            "error: mrr: a note may have at most 2,000 characters",
        ),
        (("mrr", "5", "--note", "a\rb"), 1, "error: mrr: a note must be one line"),
        (("../../etc/passwd", "5"), 1, "error: unknown metric '../../etc/passwd'"),
        (("mrr",), 2, "error: missing VALUE after mrr"),
        (("mrr", "5", "--dte", "2026-01-01"), 2, "error: unknown option '--dte'"),
    ],
)
def test_bad_arguments_change_nothing(
    ledger: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = _state(ledger)
    exit_code, out, err, _ = smartgoals(ledger, "log", *args)
    _assert_one_clean_failure(exit_code, out, err)
    assert exit_code == code
    assert message in err
    assert _state(ledger) == before


def test_notes_keep_commas_quotes_and_formulas_verbatim(ledger: Path) -> None:
    note = '=HYPERLINK("http://evil","click"), "quoted", comma; ünïcode'
    code, _out, err, _ = smartgoals(
        ledger, "log", "mrr", "-5e3", "--note", note, "--date", "2026-02-01"
    )
    assert code == 0, err
    rows = list(csv.reader((ledger / "goals" / "log.csv").open(newline="")))
    assert rows[-1] == ["2026-02-01", "mrr", "-5000", note]


# --- the journal -----------------------------------------------------------------------------


def test_a_fifo_journal_is_refused_without_hanging(ledger: Path) -> None:
    journal = ledger / "goals" / "log.csv"
    journal.unlink()
    os.mkfifo(journal)
    code, out, err, _ = smartgoals(ledger, "check")
    assert code == 1
    assert "is not a regular file" in out
    code, out, err, _ = smartgoals(ledger, "log", "mrr", "5", "--no-commit")
    assert code == 3
    assert "is not a regular file" in err


def test_a_symlinked_journal_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text(HEADER + "2026-01-01,mrr,999,\n")
    write_ledger(tmp_path / "l", BASE)
    (tmp_path / "l" / "goals" / "log.csv").symlink_to(secret)
    code, out, _err, _ = smartgoals(tmp_path / "l", "check")
    assert code == 1
    assert out.startswith("goals/log.csv: is a symbolic link; refusing to read through it")


def test_a_goal_file_linked_from_outside_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(BASE)
    (tmp_path / "l" / "goals").mkdir(parents=True)
    (tmp_path / "l" / "goals" / "x.yaml").symlink_to(outside)
    code, out, _err, _ = smartgoals(tmp_path / "l", "check")
    assert code == 1
    assert out.startswith("goals/x.yaml: is a symbolic link out of the ledger; not read")


def test_missing_journal_is_created_by_the_first_log(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE)
    code, _out, err, _ = smartgoals(tmp_path, "log", "mrr", "5", "--date", "2026-01-01")
    assert code == 0, err
    assert (tmp_path / "goals" / "log.csv").read_text() == HEADER + "2026-01-01,mrr,5,\n"


def test_bom_and_crlf_journal_is_appended_to_cleanly(ledger: Path) -> None:
    journal = ledger / "goals" / "log.csv"
    journal.write_bytes(b"\xef\xbb\xbfdate,metric,value,note\r\n2026-01-01,mrr,5,\r\n")
    code, _out, err, _ = smartgoals(
        ledger, "log", "mrr", "6", "--date", "2026-01-02", "--no-commit"
    )
    assert code == 0, err
    code, out, err, _ = smartgoals(ledger, "check")
    assert (code, out) == (0, "ok: 0 goals, 1 metrics, 2 observations\n"), err


# --- git -------------------------------------------------------------------------------------


def test_detached_head_commits(ledger: Path) -> None:
    git(ledger, "checkout", "-q", "--detach")
    code, _out, err, _ = smartgoals(ledger, "log", "mrr", "7", "--date", "2026-01-03")
    assert code == 0, err
    assert git(ledger, "log", "-1", "--format=%s").strip() == "log: mrr = 7 USD (2026-01-03)"


def test_rebase_in_progress_is_refused(ledger: Path) -> None:
    (ledger / ".git" / "rebase-merge").mkdir()
    before = _state(ledger)
    code, _out, err, _ = smartgoals(ledger, "log", "mrr", "7")
    assert code == 3
    assert "a rebase is in progress" in err
    assert _state(ledger) == before


def test_an_ignored_journal_is_refused_and_left_as_it_was(ledger: Path) -> None:
    git(ledger, "rm", "-q", "--cached", "goals/log.csv")
    git(ledger, "commit", "-q", "-m", "untrack")
    (ledger / ".gitignore").write_text("goals/log.csv\n")
    before = _state(ledger)
    code, _out, err, _ = smartgoals(ledger, "log", "mrr", "7")
    assert code == 3
    # the untracked journal's rows are refused before git is asked (issue 28, item 5)
    assert err.startswith("error: goals/log.csv holds rows that were never committed (HEAD has")
    assert _state(ledger) == before


def test_without_git_status_and_check_work_and_log_refuses(
    ledger: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bare = tmp_path_factory.mktemp("bin")
    (bare / "python").symlink_to(sys.executable)
    env = {"PATH": str(bare)}
    code, _out, err, _ = smartgoals(ledger, "status", env=env)
    assert code == 0, err
    code, _out, err, _ = smartgoals(ledger, "check", env=env)
    assert code == 0, err
    before = _state(ledger)
    code, _out, err, _ = smartgoals(ledger, "log", "mrr", "7", env=env)
    assert code == 3
    assert "git is not available" in err
    assert _state(ledger) == before
    code, _out, err, _ = smartgoals(ledger, "log", "mrr", "7", "--no-commit", env=env)
    assert code == 0, err


# --- concurrency and crashes -------------------------------------------------------------------


@pytest.mark.slow
def test_fifty_simultaneous_writers(ledger: Path) -> None:
    env = {**os.environ, "SMARTGOALS_NO_CACHE": "1", **IDENTITY}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "smartgoals",
                "-C",
                str(ledger),
                "log",
                "mrr",
                str(100 + i),
                "--note",
                f"writer {i}",
                "--date",
                "2026-02-01",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO_ROOT,
        )
        for i in range(50)
    ]
    results = [
        (p.wait(timeout=180), p.stdout.read().decode(), p.stderr.read().decode()) for p in processes
    ]  # type: ignore[union-attr]
    succeeded = {i for i, (code, _out, _err) in enumerate(results) if code == 0}
    for code, out, err in results:
        _assert_one_clean_failure(code, out, err)
    assert len(succeeded) == 50, [r for r in results if r[0] != 0][:3]
    rows = list(csv.reader((ledger / "goals" / "log.csv").open(newline="")))
    assert rows[0] == ["date", "metric", "value", "note"]
    logged = rows[2:]
    assert all(len(row) == 4 for row in logged)  # no interleaved lines
    assert sorted(int(r[3].split()[1]) for r in logged) == sorted(succeeded)
    committed = git(ledger, "show", "HEAD:goals/log.csv")
    assert committed == (ledger / "goals" / "log.csv").read_text()
    assert int(git(ledger, "rev-list", "--count", "HEAD")) == 1 + len(succeeded)
    git(ledger, "fsck", "--strict", "--no-dangling")
    assert git(ledger, "status", "--porcelain").strip() == ""


def _kill_trials(root: Path, trials: int, commit: bool, seed: int) -> None:
    rng = random.Random(seed)
    journal = root / "goals" / "log.csv"
    env = {**os.environ, "SMARTGOALS_NO_CACHE": "1", **IDENTITY}
    for trial in range(trials):
        before = journal.read_bytes()
        row = f"2026-03-01,mrr,{trial},trial {trial}\n".encode()
        args = ["log", "mrr", str(trial), "--note", f"trial {trial}", "--date", "2026-03-01"]
        if not commit:
            args.append("--no-commit")
        process = subprocess.Popen(
            [sys.executable, "-m", "smartgoals", "-C", str(root), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=REPO_ROOT,
        )
        time.sleep(rng.uniform(0.0, 0.35))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = journal.read_bytes()
        assert after in (before, before + row), (trial, after[-200:])
        if commit:
            (root / ".git" / "index.lock").unlink(
                missing_ok=True
            )  # git was killed too: the user's step


@pytest.mark.slow
def test_kill_9_during_log_never_tears_the_journal(ledger: Path) -> None:
    _kill_trials(ledger, trials=120, commit=False, seed=1)
    _kill_trials(ledger, trials=40, commit=True, seed=2)
    code, out, err, _ = smartgoals(ledger, "check")
    assert code == 0, out + err
    git(ledger, "fsck", "--no-dangling")


def test_file_size_limit_during_log_changes_nothing(ledger: Path) -> None:
    journal = ledger / "goals" / "log.csv"
    size = journal.stat().st_size

    def limit() -> None:
        _limits()
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 10, size + 10))

    before = _state(ledger)
    code, out, err, _ = smartgoals(
        ledger, "log", "mrr", "123456789", "--note", "a long enough row", preexec=limit
    )
    _assert_one_clean_failure(code, out, err)
    assert code == 3
    assert "File too large" in err
    assert _state(ledger) == before


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs of its own, so that the disk really fills up (needs root to mount)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


PAGE = os.sysconf("SC_PAGE_SIZE")


def _page_aligned_journal(root: Path) -> Path:
    """A valid journal of exactly one page, so that appending to it needs a new page."""
    rows = HEADER + "2026-01-01,mrr,5,\n"
    pad = PAGE - len(rows) - len("2026-01-02,mrr,6,\n")
    rows += "2026-01-02,mrr,6," + "n" * pad + "\n"
    journal = root / "goals" / "log.csv"
    journal.write_text(rows, encoding="utf-8")
    assert journal.stat().st_size == PAGE
    return journal


def _fill(root: Path, leave_pages: int = 0) -> None:
    """Fill the file system with one-page files, then free leave_pages of them."""
    ballast = root / "ballast"
    ballast.mkdir()
    count = 0
    while True:
        try:
            (ballast / str(count)).write_bytes(b"x" * PAGE)
        except OSError:
            (ballast / str(count)).unlink(missing_ok=True)
            break
        count += 1
    for index in range(leave_pages):
        (ballast / str(index)).unlink()


@pytest.mark.slow
def test_a_full_disk_during_log_changes_nothing(tiny_fs: Path) -> None:
    write_ledger(tiny_fs, BASE)
    journal = _page_aligned_journal(tiny_fs)
    before = journal.read_bytes()
    _fill(tiny_fs)
    code, out, err, _ = smartgoals(tiny_fs, "log", "mrr", "7", "--no-commit")
    _assert_one_clean_failure(code, out, err)
    assert code == 3
    assert err == "error: cannot write log.csv: No space left on device\n"
    assert journal.read_bytes() == before


@pytest.mark.slow
def test_a_commit_that_hits_a_full_disk_undoes_the_append(tiny_fs: Path) -> None:
    write_ledger(tiny_fs, BASE)
    _page_aligned_journal(tiny_fs)
    git(tiny_fs, "init", "-q", "-b", "main", "--template=")  # no sample hooks to store
    git(tiny_fs, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(tiny_fs, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    (tiny_fs / ".gitignore").write_text("ballast/\n")
    git(tiny_fs, "add", "-A")
    git(tiny_fs, "commit", "-q", "-m", "start")
    before = _state(tiny_fs)
    _fill(tiny_fs, leave_pages=1)  # room for the appended row, none for git's objects
    code, out, err, _ = smartgoals(tiny_fs, "log", "mrr", "7")
    _assert_one_clean_failure(code, out, err)
    assert code == 3, err
    assert err.startswith("error: git commit failed: ") and err.count("\n") == 1, err
    assert "No space left on device" in err
    assert _state(tiny_fs) == before  # journal bytes, HEAD and the index
    assert not (tiny_fs / ".git" / "index.lock").exists()
    shutil.rmtree(tiny_fs / "ballast")
    git(tiny_fs, "fsck", "--no-dangling")
    assert smartgoals(tiny_fs, "log", "mrr", "7")[0] == 0  # and with room again, it works


# --- fuzzing -----------------------------------------------------------------------------------

_YAML_PIECES = st.sampled_from(
    [
        "metrics:",
        "goals:",
        "  - id: g",
        "    title: T",
        "    targets:",
        "      - {metric: mrr, target: 5}",
        "  mrr: {name: M}",
        "- [",
        "]",
        "{",
        "}",
        ": :",
        "&a",
        "*a",
        "!!str",
        "!!python/none",
        "? x",
        "'",
        '"',
        "due: 2025-02-30",
        "target: yes",
        "  - metric: mrr",
        "    steps: [{value: 1, due: 2025}]",
        "\t",
        "---",
    ]
)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_YAML_PIECES, max_size=12), noise=st.text(max_size=20))
def test_fuzzed_goal_files_give_only_problems(tmp_path: Path, lines: list[str], noise: str) -> None:
    from smartgoals.ledger.loader import load_ledger

    write_ledger(tmp_path, "\n".join([*lines, noise]) + "\n")
    ledger = load_ledger(tmp_path)  # must not raise
    assert all(p.path for p in ledger.problems)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=6), max_size=8))
def test_fuzzed_journals_give_only_problems(tmp_path: Path, rows: list[list[str]]) -> None:
    from smartgoals.ledger.journal import read_journal
    from smartgoals.ledger.loader import load_ledger

    write_ledger(tmp_path, BASE)
    journal = tmp_path / "goals" / "log.csv"
    with journal.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "metric", "value", "note"])
        writer.writerows(rows)
    metrics = load_ledger(tmp_path).metrics
    series, problems = read_journal(journal.read_bytes(), "goals/log.csv", metrics)
    assert all(p.path == "goals/log.csv" for p in problems)
    accepted = [v for one in series.values() for v in one.values]
    assert all(math.isfinite(v) for v in accepted)  # only real numbers get through


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.text(max_size=30),
    date=st.one_of(st.none(), st.text(max_size=12)),
    note=st.text(max_size=40),
)
def test_fuzzed_log_arguments_raise_only_our_errors(
    tmp_path: Path, value: str, date: str | None, note: str
) -> None:
    import datetime as dt

    from smartgoals.errors import SmartgoalsError
    from smartgoals.write.batch import record

    write_ledger(tmp_path, BASE)
    journal = tmp_path / "goals" / "log.csv"
    before = journal.read_bytes() if journal.exists() else None
    try:
        record(tmp_path, "mrr", value, dt.date(2026, 11, 22), date, note, commit=False)
    except SmartgoalsError:
        assert (journal.read_bytes() if journal.exists() else None) == before
