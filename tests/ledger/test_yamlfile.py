"""yamlfile.py: plain data with the position of every key and item; hostile YAML as problems."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from smartgoals.ledger.yamlfile import MAX_DEPTH, format_loc, parse_yaml


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_yaml(textwrap.dedent(text), "goals/g.yaml")


def messages(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in doc.problems]


def test_positions_of_keys_and_items_are_one_based_lines_and_columns() -> None:
    doc = parse(
        """\
        metrics:
          mrr: {name: MRR}
        goals:
          - id: g
            targets:
              - {metric: mrr, target: 5}
              - metric: mrr
                target: 9
        """
    )
    assert doc.problems == []
    assert doc.marks[("metrics",)] == (1, 1)
    assert doc.marks[("metrics", "mrr")] == (2, 3)
    assert doc.marks[("metrics", "mrr", "name")] == (2, 9)
    assert doc.marks[("goals", 0)] == (4, 5)
    assert doc.marks[("goals", 0, "id")] == (4, 5)
    assert doc.marks[("goals", 0, "targets", 0)] == (6, 9)
    assert doc.marks[("goals", 0, "targets", 0, "target")] == (6, 23)
    assert doc.marks[("goals", 0, "targets", 1, "target")] == (8, 9)
    assert doc.data["goals"][0]["targets"][1] == {"metric": "mrr", "target": 9}


def test_locate_and_problem_fall_back_to_the_deepest_known_node() -> None:
    doc = parse("goals:\n  - id: g\n")
    assert doc.locate(("goals", 0, "targets", 3, "due")) == (2, 5)
    assert doc.locate(("nothing",)) == (1, 1)
    problem = doc.problem(("goals", 0, "title"), "title is required")
    assert str(problem) == "goals/g.yaml:2:5: g.title: title is required"  # named by its id
    assert doc.problem(("goals", 3), "x").field == "goals[3]"  # no such goal: by position
    assert format_loc(("goals", 2, "targets", 0, "due")) == "goals[2].targets[0].due"


def test_duplicate_keys_keep_the_first_and_name_its_line() -> None:
    doc = parse("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n")
    assert doc.data == {"a": 1, "b": {"x": 1}}
    assert messages(doc) == [
        "goals/g.yaml:4:3: b.x: duplicate key 'x' (first at line 3)",
        "goals/g.yaml:5:1: a: duplicate key 'a' (first at line 1)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: !!python/object/apply:os.system [echo pwned]\n",
            "goals/g.yaml:1:4: a: tag tag:yaml.org,2002:python/object/apply:os.system is not "
            "allowed (only plain YAML values)",
        ),
        (
            "a: !foo {x: 1}\n",
            "goals/g.yaml:1:4: a: tag !foo is not allowed (only plain YAML values)",
        ),
        (
            "a: !!set {x, y}\n",
            "goals/g.yaml:1:4: a: tag tag:yaml.org,2002:set is not allowed (only plain YAML values)",
        ),
        ("a: !seq [1]\n", "goals/g.yaml:1:4: a: tag !seq is not allowed (only plain YAML values)"),
    ],
)
def test_tags_are_refused_at_their_place(text: str, message: str) -> None:
    doc = parse(text)
    assert messages(doc) == [message]
    assert doc.data == {"a": None}
    assert doc.unreadable == [("a",)]


def test_yaml_11_numbers_are_kept_as_written() -> None:
    doc = parse(
        """\
        octal: 012
        hex: 0x1F
        sexagesimal: 1:30
        binary: 0b101
        quoted: "012"
        plain: 12
        underscored: 1_000
        real: 1.5
        day: 2025-01-01
        yes_word: yes
        """
    )
    assert doc.problems == []
    assert doc.data == {
        "octal": "012",  # not 10
        "hex": "0x1F",  # not 31
        "sexagesimal": "1:30",  # not 90
        "binary": "0b101",  # not 5
        "quoted": "012",
        "plain": 12,
        "underscored": 1000,
        "real": 1.5,
        "day": dt.date(2025, 1, 1),
        "yes_word": True,  # a YAML boolean still; the goal-file schema refuses it where a value goes
    }


def test_an_impossible_date_is_a_problem() -> None:
    doc = parse("due: 2025-02-30\n")
    assert messages(doc) == [
        "goals/g.yaml:1:6: due: '2025-02-30' is not a valid value (day is out of range for month)"
    ]


def test_an_alias_bomb_stops_with_a_problem() -> None:
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
    )  # 10**9 values once expanded
    doc = parse_yaml(text, "goals/g.yaml")
    assert doc.data is None
    assert len(doc.problems) == 1
    assert doc.problems[0].message == "more than 200,000 values (an alias expansion?)"


def test_a_self_referencing_alias_is_a_problem() -> None:
    doc = parse("a: &a [*a]\n")
    assert messages(doc) == ["goals/g.yaml:1:4: a[0]: an alias refers to itself"]


def test_plain_aliases_and_merge_keys_are_read() -> None:
    doc = parse("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nd: *b\n")
    assert doc.problems == []
    assert doc.data == {"base": {"x": 1}, "c": {"x": 1, "y": 2}, "d": {"x": 1}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", "goals/g.yaml:1:1: nesting"),
        ("".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)), "goals/g.yaml:66:"),
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_a_problem(text: str, message: str) -> None:
    doc = parse_yaml(text, "goals/g.yaml")
    assert doc.data is None
    assert len(doc.problems) == 1
    assert str(doc.problems[0]).startswith(message)
    assert doc.problems[0].message == f"nesting deeper than {MAX_DEPTH} levels"


def test_nesting_up_to_the_limit_is_fine() -> None:
    doc = parse_yaml("a: " + "[" * 60 + "1" + "]" * 60 + "\n", "goals/g.yaml")
    assert doc.problems == []


def test_a_nul_byte_is_a_problem_at_its_line() -> None:
    doc = parse_yaml("a: 1\nb: x\x00y\n", "goals/g.yaml")
    assert doc.data is None
    assert messages(doc) == ["goals/g.yaml:2: file contains a NUL byte"]


def test_keys_that_are_not_plain_values() -> None:
    doc = parse("? [1, 2]\n: x\nyes: 1\n2025-01-01: 2\n")
    assert messages(doc) == ["goals/g.yaml:1:3: a key must be a plain value, not a list or mapping"]
    assert doc.data == {"yes": 1, "2025-01-01": 2}  # kept as written


def test_invalid_yaml_and_empty_documents() -> None:
    doc = parse("a: [1, 2\n")
    assert len(doc.problems) == 1 and doc.problems[0].message.startswith("invalid YAML: ")
    assert doc.problems[0].line == 2
    assert parse("").data is None and parse("").problems == []
    assert parse("# only a comment\n").problems == []
    doc = parse("a: 1\n---\nb: 2\n")
    assert [p.message for p in doc.problems] == [
        "invalid YAML: expected a single document in the stream but found another document"
    ]
