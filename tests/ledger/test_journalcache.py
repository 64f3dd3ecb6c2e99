"""The cache of the parsed journal (journalcache.py): a run parses only the rows appended since
the last one, and never gives a different answer than SMARTGOALS_NO_CACHE=1, whatever happened
to the journal in between: appends, backdated rows, corrections, rewrites, merges that insert
lines, truncations, torn writes, shards, edited goal files and damaged cache entries."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartgoals.ledger import journalcache, store
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.loader import load_ledger
from tests.conftest import write_ledger

SMARTGOALS = str(Path(sys.executable).parent / "smartgoals")
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  deals: {name: Deals, unit: count, aggregate: sum}
  stage: {name: Stage, type: stage, stages: [idea, beta, live]}
  ratio: {name: Ratio, unit: percent, formula: "deals / mrr * 100"}
  # derived metrics of every kind, kept by the cache and computed only from the earliest row
  # read since: one reading back a period, one the previous value, one a chain of derived
  # metrics, and two only the evaluator runs (a window; a stage metric's names)
  growth: {name: Growth, unit: percent, formula: "growth(mrr, 'day') * 100"}
  previous: {name: Previous, unit: USD, formula: "mrr - prev(mrr)"}
  chain: {name: Chain, unit: percent, formula: "ratio + growth"}
  weekly: {name: Weekly, unit: count, formula: "sum(deals, '7d') + mrr"}
  staged: {name: Staged, unit: count, formula: "mrr + count(stage, '30d')"}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 1000}
      - {metric: deals, target: 50, every: month}
      - {metric: ratio, target: '> 1'}
      - {metric: chain, target: '> 1'}
      - {metric: weekly, target: 100, hold: true}
"""
ROWS = [
    "2026-01-01,mrr,100,",
    "2026-01-01,deals,2,",
    "2026-01-02,mrr,120,first",
    "2026-01-02,deals,3,",
    "2026-01-03,mrr,130,",
    "2026-01-03,stage,beta,",
    "2026-01-04,nope,1,",  # unknown metric: a problem at its line
    "2026-01-05,ratio,4,",  # a derived metric's row: a problem at the formula
    "2026-13-01,mrr,1,",  # not a date
    "2026-01-06,mrr,140,",
]
COMMANDS = [
    ["status", "--json", "--as-of", "2026-06-30"],
    ["check", "--json"],
    ["show", "grow", "--json", "--recent", "100", "--as-of", "2026-06-30"],
]


def journal(root: Path) -> Path:
    return root / "goals" / "log.csv"


def run(root: Path, args: list[str], cached: bool) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(root.parent / "cache"),
        "COLUMNS": "200",
        "SMARTGOALS_JOURNAL_CACHE_MIN_BYTES": "0",  # these journals are small: cache them all
    }
    env.pop("SMARTGOALS_NO_CACHE", None)
    env.pop("SMARTGOALS_DIR", None)
    if not cached:
        env["SMARTGOALS_NO_CACHE"] = "1"
    done = subprocess.run(
        [SMARTGOALS, "-C", str(root), *args], capture_output=True, text=True, env=env
    )
    return done.returncode, done.stdout, done.stderr


def assert_same(root: Path, show: bool = False) -> None:
    """status and check (and show, if asked) print the same with the cache (run first, so it
    is filled and used) as without it."""
    for args in COMMANDS if show else COMMANDS[:2]:
        cached = run(root, args, cached=True)
        assert cached == run(root, args, cached=False), args
        assert "Traceback" not in cached[2]


def entries(root: Path) -> list[Path]:
    folder = root.parent / "cache" / "smartgoals" / "journal"
    return sorted(folder.glob("*.bin")) if folder.is_dir() else []


def _head(entry: Path) -> tuple[memoryview, bytes]:
    """An entry's sealed head (its MAC unchecked) and the blocks after it (store.write_sealed)."""
    digits, rest = entry.read_bytes().split(b"\n", 1)[1].split(b"\n", 1)
    return memoryview(rest[: int(digits)]), rest[int(digits) :]


def meta(entry: Path) -> dict[str, Any]:
    """An entry's identity, key and files (its MAC unchecked)."""
    return journalcache.split_entry(_head(entry)[0])[0]


def cached_length(root: Path, rel: str = "goals/log.csv") -> int:
    """How many bytes of a journal file the newest cache entry holds the parse of."""
    entry = max(entries(root), key=lambda path: path.stat().st_mtime_ns)
    return next(int(length) for name, length, _prefix in meta(entry)["files"] if name == rel)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + "".join(f"{row}\n" for row in ROWS))
    run(root, COMMANDS[0], cached=True)  # fills the cache
    assert cached_length(root) == journal(root).stat().st_size
    return root


def append(root: Path, text: str) -> None:
    with journal(root).open("a", encoding="utf-8", newline="") as out:
        out.write(text)


def test_an_append_is_read_from_where_the_cache_ends(ledger: Path) -> None:
    size = journal(ledger).stat().st_size
    append(ledger, "2026-01-07,mrr,150,\n2026-01-07,deals,4,\n2026-01-08,bogus,1,\n")
    assert_same(ledger, show=True)
    assert cached_length(ledger) == size  # a few rows: parsed again, not worth a new entry
    append(ledger, "2026-01-09,ratio,1,\n2026-01-09,stage,live,\n")  # a second derived row
    assert_same(ledger, show=True)


def test_a_large_append_is_cached_anew(ledger: Path) -> None:
    rows = [f"2026-02-{n % 28 + 1:02d},mrr,{n},\n" for n in range(4000)]
    append(ledger, "".join(rows) + "2026-01-02,mrr,7,correction: late\n")
    assert journal(ledger).stat().st_size >= journalcache.REWRITE_MIN_BYTES
    assert_same(ledger, show=True)
    assert cached_length(ledger) == journal(ledger).stat().st_size
    append(ledger, "2026-01-01,deals,,correction: none\n2026-01-01,mrr,1,\n")
    assert_same(ledger)


def test_a_backdated_row_lands_in_date_order(ledger: Path) -> None:
    append(ledger, "2025-12-31,mrr,90,backdated\n2026-01-02,mrr,125,same day\n")
    assert_same(ledger, show=True)
    append(ledger, "2026-01-01,deals,5,\n")  # a sum metric: the rows of the day add up
    assert_same(ledger, show=True)


def test_a_correction_replaces_cached_rows_of_its_day(ledger: Path) -> None:
    append(ledger, "2026-01-02,mrr,121,correction: typo\n2026-01-02,mrr,122,after\n")
    assert_same(ledger, show=True)
    append(ledger, "2026-01-01,deals,,correction: none that day\n")  # a retraction
    assert_same(ledger, show=True)
    append(ledger, "2026-01-03,stage,,correction: never\n2026-01-03,stage,idea,\n")
    assert_same(ledger, show=True)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.replace(b"120,first", b"121,first"), id="rewrite-same-length"),
        pytest.param(lambda d: d.replace(b"2026-01-02,", b"2026-01-12,", 1), id="redate"),
        pytest.param(
            lambda d: d.replace(
                b"2026-01-03,mrr,130,\n", b"2026-01-03,mrr,130,\n2026-01-03,mrr,9,\n"
            ),
            id="merge-inserts-a-line",
        ),
        pytest.param(lambda d: d[: d.index(b"2026-01-03")], id="truncation"),
        pytest.param(lambda d: d[: d.index(b"2026-01-03") + 5], id="truncation-torn"),
        pytest.param(lambda d: HEADER_LINE.encode(), id="only-the-header", marks=pytest.mark.slow),
        pytest.param(lambda d: b"", id="empty", marks=pytest.mark.slow),
        pytest.param(lambda d: d.replace(b"\n", b"\r\n"), id="crlf", marks=pytest.mark.slow),
        pytest.param(lambda d: b"\xef\xbb\xbf" + d, id="bom", marks=pytest.mark.slow),
        pytest.param(lambda d: d.split(b"\n", 1)[1], id="no-header", marks=pytest.mark.slow),
        pytest.param(lambda d: d + b"2026-02-01,mrr,\xff,\n", id="not-utf8-appended"),
        pytest.param(
            lambda d: d + b'2026-02-01,mrr,1,"open\n',
            id="open-quote-appended",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            lambda d: d + b'2026-02-01,mrr,1,"two\nlines"\n',
            id="quoted-newline",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            lambda d: d.replace(b"mrr,140,", b"mrr,140,\x00"),
            id="nul-in-prefix",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_anything_but_an_append_reads_the_whole_file(ledger: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = journal(ledger)
    path.write_bytes(change(path.read_bytes()))
    assert_same(ledger)
    append(ledger, "2026-02-02,mrr,160,\n")  # and the next append goes on from there
    assert_same(ledger)


def test_a_torn_last_line_is_read_every_time_and_never_cached(ledger: Path) -> None:
    size = journal(ledger).stat().st_size
    append(ledger, "2026-01-07,mrr,15")
    assert_same(ledger, show=True)
    assert cached_length(ledger) == size  # only complete lines are cached
    append(ledger, "0,\n2026-01-08,mrr,")  # the write completes; another one is torn
    assert_same(ledger, show=True)
    append(ledger, "170,\n")
    assert_same(ledger, show=True)
    assert cached_length(ledger) == size


def test_shards_added_and_removed(ledger: Path) -> None:
    shards = ledger / "goals" / "log.d"
    shards.mkdir()
    shard = shards / "ada.csv"
    shard.write_text(HEADER_LINE + "2026-01-02,mrr,999,\n2026-01-03,mrr,130,ada\n")
    assert_same(ledger)  # several files: read in full, the conflict check included
    append(ledger, "2026-01-02,mrr,5,correction: settled\n")
    assert_same(ledger)
    shard.unlink()
    assert_same(ledger)
    append(ledger, "2026-01-10,mrr,200,\n")
    assert_same(ledger)


def test_an_edited_goal_file_is_a_full_read(ledger: Path) -> None:
    goals = ledger / "goals" / "goals.yaml"
    goals.write_text(
        GOALS.replace("  stage: {name: Stage, type: stage, stages: [idea, beta, live]}\n", "")
    )
    assert_same(ledger)  # stage is now an unknown metric at its lines
    goals.write_text(GOALS.replace('formula: "deals / mrr * 100"', "unit: percent"))
    assert_same(ledger)  # ratio's rows are observations now
    goals.write_text(GOALS.replace("unit: USD", "unit: USD, direction: sideways"))
    assert_same(ledger)  # a metric with a problem: its rows are not reported (gaps.py)
    goals.write_text(GOALS)
    append(ledger, "2026-01-07,mrr,150,\n")
    assert_same(ledger)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:-10] + bytes(10), id="payload-zeroed", marks=pytest.mark.slow),
        pytest.param(
            lambda b: b.replace(b'"goals/log.csv", ', b'"goals/log.csv", 1'),
            id="length-edited",
            marks=pytest.mark.slow,
        ),
        pytest.param(lambda b: b"garbage", id="garbage"),
        pytest.param(lambda b: b"", id="empty", marks=pytest.mark.slow),
    ],
)
def test_a_damaged_entry_is_only_a_miss(ledger: Path, damage) -> None:  # type: ignore[no-untyped-def]
    [entry] = entries(ledger)
    entry.write_bytes(damage(entry.read_bytes()))
    append(ledger, "2026-01-07,mrr,150,\n")
    assert_same(ledger)
    assert cached_length(ledger) == journal(ledger).stat().st_size  # written anew


def _body(head: memoryview) -> tuple[Any, Any, Any]:
    """The payload of an entry's head (combined.encode_entry): the files' head as pages.encode
    lays it out, the block of their conflict-check inputs, and the combination's section."""
    files, inputs, section = pickle.loads(journalcache.split_entry(head)[1])
    return pickle.loads(files), inputs, section


def _payload(entry: Path) -> Any:
    """The entry's tail block: every series' last page (pages.py), which holds these small
    series whole: (each file's [(metric, dates, values)], the derived series' likewise)."""
    head, blocks = _head(entry)
    offset, length, _digest = _body(head)[0][2]
    return pickle.loads(blocks[offset : offset + length])


def _entry_with(entry: Path, payload: bytes) -> tuple[bytes, bytes]:
    """The head of entry (meta kept) and its blocks, with another tail block (after them)."""
    head, blocks = _head(entry)
    body, inputs, section = _body(head)
    body = (*body[:2], (len(blocks), len(payload), hashlib.sha256(payload).hexdigest()))
    held = json.dumps(meta(entry)).encode()
    outer = pickle.dumps((pickle.dumps(body), inputs, section))
    sealed = b"%s%d\n%s%s" % (journalcache.MAGIC, len(held), held, outer)
    return sealed, blocks + payload


def _seal(entry: Path, payload: bytes) -> None:
    """The entry with another tail block, authenticated with this user's key: what
    smartgoals itself would write, were its parse ever to hold this."""
    head, blocks = _entry_with(entry, payload)
    store.write_sealed(entry, head, [blocks], journalcache.MAX_ENTRIES)


def _forge(entry: Path, payload: bytes) -> None:
    """The entry with another tail block, forged by someone who can read the code but not
    the user's key: a digest of the head recomputed where the MAC goes."""
    head, blocks = _entry_with(entry, payload)
    sealed = b"%d\n%s" % (len(head), head)
    digest = hashlib.sha256(sealed).hexdigest().encode()
    entry.write_bytes(store.MAC_HEAD + digest + b"\n" + sealed + blocks)


def _with_value(payload: Any, value: object) -> bytes:
    """payload with the value of mrr's last cached row replaced."""
    for metric, _dates, values in payload[0][0]:
        if metric == "mrr":
            values[-1] = value
    return pickle.dumps(payload, protocol=5)


def test_a_payload_with_another_class_is_refused(ledger: Path) -> None:
    """Even authenticated with the user's key, the entry cannot build anything but dates and
    plain data."""
    [entry] = entries(ledger)
    payload = pickle.dumps(([[("mrr", [os.getcwd], [1.0])]], []))
    _seal(entry, payload)
    assert_same(ledger)


def test_a_forged_entry_is_a_miss_and_status_tells_the_truth(ledger: Path) -> None:
    """Someone who can write the cache folder and read the code, but not the user's key, cannot
    change an answer: mrr's last value of 424242 is believed only when sealed with the key."""
    [entry] = entries(ledger)
    args = ["status", "--json", "--as-of", "2026-06-30"]
    truth = run(ledger, args, cached=False)
    assert truth[0] == 1 and "140" in truth[1] and "424242" not in truth[1]  # problems: exit 1
    edited = _with_value(_payload(entry), 424242.0)
    _seal(entry, edited)
    assert "424242" in run(ledger, args, cached=True)[1]  # the edit matters
    _forge(entry, edited)
    assert run(ledger, args, cached=True) == truth
    assert _mrr(_payload(entry))[-1] == 140.0  # rewritten


def test_a_cache_folder_from_another_key_is_all_misses(
    ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder restored from elsewhere (another machine's key), even holding a lie
    sealed under that key, gives the truth, and its entry is written anew under this key."""
    [entry] = entries(ledger)
    args = ["status", "--json", "--as-of", "2026-06-30"]
    truth = run(ledger, args, cached=False)
    _seal(entry, _with_value(_payload(entry), 424242.0))
    foreign = entry.read_bytes()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-machine"))
    assert journalcache.entry_meta(entry) is None
    assert run(ledger, args, cached=True) == truth
    assert entry.read_bytes() != foreign
    assert journalcache.entry_meta(entry) is not None  # sealed with this key now


@pytest.mark.parametrize("value", [10**400, "text", float("inf"), float("nan")])
def test_an_entry_holding_a_value_no_parse_gives_is_a_miss(ledger: Path, value: object) -> None:
    [entry] = entries(ledger)
    _seal(entry, _with_value(_payload(entry), value))
    assert_same(ledger)  # exit 1 (the ledger's row problems), no traceback, same answer
    assert _mrr(_payload(entry))[-1] == 140.0  # rewritten


def _mrr(payload: Any) -> list[float]:
    return next(values for m, _d, values in payload[0][0] if m == "mrr")


def test_a_small_journal_is_parsed_without_the_cache(tmp_path: Path) -> None:
    """Below loader.JOURNAL_CACHE_MIN_BYTES parsing costs less than an entry: none is written;
    above it, one is."""
    from smartgoals.ledger.loader import JOURNAL_CACHE_MIN_BYTES

    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + "2026-01-01,mrr,1,\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for name in ("SMARTGOALS_NO_CACHE", "SMARTGOALS_DIR", "SMARTGOALS_JOURNAL_CACHE_MIN_BYTES"):
        env.pop(name, None)
    subprocess.run([SMARTGOALS, "-C", str(root), "status"], env=env, capture_output=True)
    assert entries(root) == []
    rows = "".join(f"2026-01-01,mrr,{n},\n" for n in range(JOURNAL_CACHE_MIN_BYTES // 16))
    append(root, rows)
    subprocess.run([SMARTGOALS, "-C", str(root), "status"], env=env, capture_output=True)
    assert len(entries(root)) == 1


def test_no_cache_writes_no_entry(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + "2026-01-01,mrr,1,\n")
    run(root, ["status"], cached=False)
    assert entries(root) == []


# --- random sequences of appends and edits, against the uncached parse -------------------------

ROW = st.builds(
    lambda day, metric, value, note: f"2026-01-{day:02d},{metric},{value},{note}\n",
    st.integers(1, 9),
    st.sampled_from(["mrr", "deals", "stage", "ratio", "nope"]),
    st.sampled_from(["1", "2.5", "beta", "", "x"]),
    st.sampled_from(["", "note", "correction: fix", '"a, b"']),
)
EDIT = st.one_of(
    st.tuples(st.just("append"), st.lists(ROW, min_size=1, max_size=4)),
    st.tuples(st.just("torn"), ROW.map(lambda row: row[: len(row) // 2])),
    st.tuples(st.just("truncate"), st.integers(0, 400)),
    st.tuples(st.just("insert"), ROW),
    st.tuples(st.just("rewrite"), st.integers(0, 400)),
)


def apply(data: bytes, edit: tuple[str, object]) -> bytes:
    kind, arg = edit
    if kind == "append":
        assert isinstance(arg, list)
        return data + "".join(arg).encode()
    if kind == "torn":
        assert isinstance(arg, str)
        return data + arg.encode()
    assert isinstance(arg, int | str)
    if kind == "truncate":
        assert isinstance(arg, int)
        return data[: min(arg, len(data))]
    if kind == "insert":  # after the first line, as a merge of another branch does
        assert isinstance(arg, str)
        head, _, rest = data.partition(b"\n")
        return head + b"\n" + arg.encode() + rest
    assert isinstance(arg, int)
    if not data:
        return data
    at = arg % len(data)
    return data[:at] + (b"7" if data[at : at + 1] != b"7" else b"8") + data[at + 1 :]


@pytest.mark.parametrize("rewrite", [False, True], ids=["entry-kept", "entry-rewritten"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(EDIT, min_size=1, max_size=8))
def test_random_edits_match_the_uncached_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rewrite: bool, edits: list[tuple[str, object]]
) -> None:
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    if rewrite:  # a new entry after every append, however small
        monkeypatch.setattr(journalcache, "REWRITE_MIN_BYTES", 0)
        monkeypatch.setattr(journalcache, "REWRITE_PART", 1 << 62)
    root = tmp_path / f"ledger-{os.urandom(4).hex()}"
    write_ledger(root, GOALS, HEADER_LINE + "".join(f"{row}\n" for row in ROWS))
    path = journal(root)
    for edit in edits:
        path.write_bytes(apply(path.read_bytes(), edit))
        cached = load_ledger(root)
        plain = load_ledger(root, use_cache=False)
        assert cached.series == plain.series
        assert cached.problems == plain.problems


# --- a journal in several files (goals/log.csv and shards in goals/log.d/) ---------------------

SHARDS = ("goals/log.csv", "goals/log.d/ada.csv", "goals/log.d/bob.csv")


def test_shards_are_cached_file_by_file(ledger: Path) -> None:
    """Each file is read from where its cached parse ends; a correction in one file settles
    the day in the others, and two files that disagree are reported, as a full read does."""
    shards = ledger / "goals" / "log.d"
    shards.mkdir()
    (shards / "ada.csv").write_text(HEADER_LINE + "2026-01-02,mrr,999,\n2026-01-03,mrr,130,\n")
    (shards / "bob.csv").write_text(HEADER_LINE + "2026-01-04,deals,1,\n")
    assert_same(ledger, show=True)  # a new set of files: a full read, then cached
    sizes = {rel: (ledger / rel).stat().st_size for rel in SHARDS}
    assert {rel: cached_length(ledger, rel) for rel in SHARDS} == sizes
    with (shards / "bob.csv").open("a") as out:
        out.write("2026-01-02,mrr,5,correction: settled\n2026-01-09,mrr,300,\n")
    assert_same(ledger, show=True)  # bob's correction drops log.csv's and ada's rows of the day
    append(ledger, "2026-01-02,mrr,6,\n2026-01-03,mrr,131,\n")  # settled day; a new conflict
    assert_same(ledger, show=True)
    with (shards / "ada.csv").open("a") as out:
        out.write("2026-01-03,mrr,7,correction: ada settles it\n2026-01-03,stage,live,\n")
    assert_same(ledger, show=True)
    assert {rel: cached_length(ledger, rel) for rel in SHARDS} == sizes  # small: not rewritten


@pytest.mark.parametrize("rewrite", [False, True], ids=["entry-kept", "entry-rewritten"])
@settings(
    max_examples=int(os.environ.get("SHARD_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(SHARDS), EDIT), min_size=1, max_size=10))
def test_random_edits_of_shards_match_the_uncached_parse(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rewrite: bool,
    edits: list[tuple[str, tuple[str, object]]],
) -> None:
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    if rewrite:  # a new entry after every append, however small
        monkeypatch.setattr(journalcache, "REWRITE_MIN_BYTES", 0)
        monkeypatch.setattr(journalcache, "REWRITE_PART", 1 << 62)
    root = tmp_path / f"ledger-{os.urandom(4).hex()}"
    write_ledger(root, GOALS, HEADER_LINE + "".join(f"{row}\n" for row in ROWS))
    (root / "goals" / "log.d").mkdir()
    for rel in SHARDS[1:]:
        (root / rel).write_text(HEADER_LINE + "2026-01-02,mrr,120,\n2026-01-03,deals,1,\n")
    for rel, edit in edits:
        path = root / rel
        path.write_bytes(apply(path.read_bytes(), edit))
        cached = load_ledger(root)
        plain = load_ledger(root, use_cache=False)
        assert cached.series == plain.series
        assert cached.problems == plain.problems


# --- a git revision's journal, cached by its content ------------------------------------------


def test_revisions_are_cached_by_content(repo: Path) -> None:
    """status --rev, diff and report read a revision's journal from git objects; its parse is
    cached under a digest of its content (a revision never changes), with the same answer as
    without the cache, and a revision with other content is another entry."""
    from tests.conftest import git

    write_ledger(repo, GOALS, HEADER_LINE + "".join(f"{row}\n" for row in ROWS))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    append(repo, "2026-01-07,mrr,150,\n2026-01-02,mrr,5,correction: late\n")
    git(repo, "commit", "-q", "-am", "more")
    append(repo, "2026-01-08,deals,9,\n")  # and the working tree differs from both
    for args in (
        ["status", "--json", "--rev", "HEAD~1", "--as-of", "2026-06-30"],
        ["status", "--json", "--rev", "HEAD", "--as-of", "2026-06-30"],
        ["diff", "HEAD~1", "--json", "--as-of", "2026-06-30"],
        ["diff", "HEAD~1", "HEAD", "--json", "--as-of", "2026-06-30"],
    ):
        cached = run(repo, args, cached=True)
        assert cached[0] in (0, 1), cached
        assert cached == run(repo, args, cached=False), args
        assert cached == run(repo, args, cached=True), args  # from the entries now
    identities = sorted(meta(entry)["identity"].split("\0")[0] for entry in entries(repo))
    assert identities == sorted(["revision", "revision", str(repo.resolve())])  # HEAD~1, HEAD, work
