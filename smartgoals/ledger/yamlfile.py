"""Safe YAML reading that keeps each node's line and column and reports problems as values.

Documents are composed into nodes (never constructed as arbitrary objects) and converted here, so
duplicate keys, unknown tags, alias bombs and impossible dates become Problems with a position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from smartgoals.errors import Problem

try:  # libyaml is about 10x faster; the pure-Python loader behaves the same
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

MAX_NODES = 200_000  # far beyond any goal file; stops "billion laughs" alias expansion
MAX_DEPTH = 64  # goal files nest four levels; deep nesting is hostile or a mistake
MAX_BYTES = 5_000_000
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_SURPRISE = re.compile(
    r"^[-+]?(0[0-9_]+|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$"
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class YamlDocument:
    """The plain data of one YAML file, with the position of every key and item."""

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[Path_] = field(default_factory=list)  # values refused while reading

    def locate(self, loc: Path_) -> tuple[int, int]:
        """The (line, column) of the deepest known node along loc; (1, 1) if none."""
        for end in range(len(loc), 0, -1):
            found = self.marks.get(loc[:end])
            if found:
                return found
        return (1, 1)

    def problem(self, loc: Path_, message: str, field: str | None = None) -> Problem:
        line, column = self.locate(loc)
        return Problem(self.path, line, column, message, self.name(loc) if field is None else field)

    def name(self, loc: Path_) -> str:
        """loc as a person reads it: a goal or risk by its id where it has one,
        ('goals', 6, 'targets', 0) -> 'lightning-revenue.targets[0]', else 'goals[6].targets[0]'."""
        if len(loc) >= 2 and loc[0] in ("goals", "risks") and isinstance(loc[1], int):
            items = self.data.get(loc[0]) if isinstance(self.data, dict) else None
            item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
            name = item.get("id") if isinstance(item, dict) else None
            if isinstance(name, str) and _NAMEABLE.match(name):
                return format_loc((name, *loc[2:]))
        return format_loc(loc)


_NAMEABLE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")  # ids that read unambiguously in a path


def format_loc(loc: Path_) -> str:
    """('goals', 0, 'targets', 1, 'due') -> 'goals[0].targets[1].due'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, doc: YamlDocument) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0
        self.active: set[int] = set()

    def fail(self, node: yaml.Node, message: str, loc: Path_) -> None:
        self.doc.unreadable.append(loc)
        mark = node.start_mark
        self.doc.problems.append(
            Problem(self.doc.path, mark.line + 1, mark.column + 1, message, format_loc(loc))
        )

    def convert(self, node: yaml.Node, loc: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(node)
        if len(loc) > MAX_DEPTH:
            raise _TooDeep(node)
        if id(node) in self.active:
            self.fail(node, "an alias refers to itself", loc)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, loc)
            if isinstance(node, yaml.SequenceNode):
                return self.sequence(node, loc)
        finally:
            self.active.discard(id(node))
        self.fail(node, "unsupported YAML node", loc)  # pragma: no cover
        return None

    def scalar(self, node: yaml.ScalarNode, loc: Path_) -> Any:
        if not node.style and node.tag in (_INT_TAG, _FLOAT_TAG) and _SURPRISE.match(node.value):
            # YAML 1.1 reads 012 as 10, 0x1F as 31 and 1:30 as 90; people meant what they wrote
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            problem = exc.problem or "cannot be read"
            self.fail(node, f"{problem} (only plain YAML values are allowed)", loc)
        except ValueError as exc:  # e.g. an impossible date such as 2025-02-30
            self.fail(node, f"{node.value!r} is not a valid value ({exc})", loc)
        return None

    def mapping(self, node: yaml.MappingNode, loc: Path_) -> Any:
        if node.tag != _MAP_TAG:
            self.fail(node, f"tag {node.tag} is not allowed (only plain YAML values)", loc)
            return None
        try:
            self.loader.flatten_mapping(node)  # resolves "<<" merge keys
        except yaml.constructor.ConstructorError as exc:
            self.fail(node, exc.problem or "bad merge key", loc)
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be a plain value, not a list or mapping", loc)
                continue
            key = self.scalar(key_node, loc)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = key_node.value  # e.g. "yes:" or "2025-01-01:" keys stay as written
            key_loc = (*loc, key)
            mark = key_node.start_mark
            if key in result:
                first = self.doc.marks.get(key_loc, (0, 0))[0]
                self.fail(key_node, f"duplicate key {key!r} (first at line {first})", key_loc)
                continue
            self.doc.marks[key_loc] = (mark.line + 1, mark.column + 1)
            result[key] = self.convert(value_node, key_loc)
        return result

    def sequence(self, node: yaml.SequenceNode, loc: Path_) -> Any:
        if node.tag != _SEQ_TAG:
            self.fail(node, f"tag {node.tag} is not allowed (only plain YAML values)", loc)
            return None
        items = []
        for index, item in enumerate(node.value):
            mark = item.start_mark
            self.doc.marks[(*loc, index)] = (mark.line + 1, mark.column + 1)
            items.append(self.convert(item, (*loc, index)))
        return items


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node | None, mark: Any = None) -> None:
        self.node = node
        self.mark = node.start_mark if node is not None else mark


class _TooDeep(_TooLarge):
    pass


class _BoundedComposer(Composer):
    """Counts nodes and nesting while the document is composed, so that a huge or deep file
    stops at the limit instead of being built whole first (4.8 MB of flow sequences took 10 s
    and 800 MB that way). Aliases reuse a node and are counted again when converted."""

    _nodes = 0
    _depth = 0
    peek_event: Any  # from the parser it is combined with

    def compose_node(self, parent: Any, index: Any) -> Any:
        mark = self.peek_event().start_mark
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _TooLarge(None, mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep(None, mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _bounded_loader(text: str) -> Any:
    """A loader whose composition is bounded: libyaml still scans and parses (fast, in C),
    the composing into nodes is done in Python with the counts above."""
    try:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - PyYAML without libyaml
        return _PureBounded(text)

    class _Bounded(_BoundedComposer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    return _Bounded(text)


class _PureBounded(_BoundedComposer, yaml.SafeLoader):
    pass


# Below this size a document cannot hold more than MAX_NODES nodes (every node takes at least
# one character), so libyaml composes it in C at full speed; above it, composition is counted.
_SMALL = MAX_NODES


def _nesting_depth(text: str) -> int:
    """Upper bound of flow nesting, checked before libyaml sees text that could crash it."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


_UNQUOTED_COMPARISON = re.compile(r"^\s*(?:-\s+)?([\w-]+):\s*(>=?\s*[^\s#][^#]*?)\s*(?:#.*)?$")


def yaml_hint(text: str, line: int) -> str:
    """What most likely went wrong around a YAML syntax error at line (1-based), as a hint to
    append to the parser's message: a tab in the indentation, or an unquoted `>= 50` (YAML
    reads `>` as the start of a folded block)."""
    lines = text.splitlines()
    for number in (line, line - 1):
        if not 0 < number <= len(lines):
            continue
        here = lines[number - 1]
        indent = here[: len(here) - len(here.lstrip(" \t"))]
        if "\t" in indent:
            return f" (line {number}: tab characters cannot indent YAML; use spaces)"
        found = _UNQUOTED_COMPARISON.match(here)
        if found:
            key, value = found.groups()
            return f' (quote it: {key}: "{value}")'
    return ""


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document into plain data with positions; problems are collected."""
    doc = YamlDocument(path, None)
    if len(text) > MAX_BYTES:
        doc.problems.append(Problem(path, 0, 0, f"file is larger than {MAX_BYTES:,} bytes"))
        return doc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        doc.problems.append(Problem(path, line, 0, "file contains a NUL byte"))
        return doc
    if ("[" in text or "{" in text) and _nesting_depth(text) > MAX_DEPTH:
        doc.problems.append(Problem(path, 1, 1, f"nesting deeper than {MAX_DEPTH} levels"))
        return doc
    loader = _Loader(text) if len(text) <= _SMALL else _bounded_loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            doc.data = _Converter(loader, doc).convert(node, ())
            if doc.unreadable and len(doc.unreadable) == len(doc.problems):
                # each refused value's problem, named by id now that the ids are known
                doc.problems = [
                    problem._replace(field=doc.name(loc))
                    for problem, loc in zip(doc.problems, doc.unreadable, strict=True)
                ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message += yaml_hint(text, line)
        doc.problems.append(Problem(path, line, column, f"invalid YAML: {message}"))
    except _TooLarge as exc:
        mark = exc.mark
        what = (
            f"nesting deeper than {MAX_DEPTH} levels"
            if isinstance(exc, _TooDeep)
            else (f"more than {MAX_NODES:,} values (an alias expansion?)")
        )
        doc.problems.append(Problem(path, mark.line + 1, mark.column + 1, what))
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(path, 0, 0, f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return doc
