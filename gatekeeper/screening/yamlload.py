"""Read YAML safely into plain data that remembers the line of every key and value.

Only plain YAML is accepted: mappings, lists, text, integers, numbers, booleans and null.
Aliases, Python tags and other explicit tags are refused, so no document can make the loader
build objects or expand an alias bomb. Scalars resolve as in YAML 1.2 (``yes``/``no`` stay
text, ``17:00`` is text, not a base-60 number, ``010`` is ten).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from gatekeeper.errors import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
_ALLOWED_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP})

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL_WORDS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
# Longer digit strings stay text: int() refuses huge literals and no setting needs them.
_INT_RE = re.compile(r"[-+]?[0-9]{1,18}\Z")
_FLOAT_RE = re.compile(
    r"[-+]?(?:[0-9]{1,18}(?:\.[0-9]{0,18})?|\.[0-9]{1,18})(?:[eE][-+]?[0-9]{1,3})?\Z"
)


@dataclass(frozen=True)
class Span:
    """Where a value sits: its first line, and the line its text starts on."""

    line: int
    body_line: int
    exact: bool = False  # literal block text: each newline in the value is a source line

    def line_at(self, text: str, offset: int) -> int:
        """Return the source line of character ``offset`` of the value ``text``."""
        if not self.exact:
            return self.body_line
        return self.body_line + text.count("\n", 0, offset)


class YamlMap(dict[str, object]):
    """A mapping that remembers its own line and the line of each key and value."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        # The line of the key holding this mapping (a missing key is reported there).
        self.owner_line = line
        self.key_lines: dict[str, int] = {}
        self.spans: dict[str, Span] = {}

    def key_line(self, key: str) -> int:
        """Return the line of ``key``, or the mapping's line when it is absent."""
        return self.key_lines.get(key, self.line)

    def value_line(self, key: str) -> int:
        """Return the line of the value of ``key``, or the mapping's line when absent."""
        span = self.spans.get(key)
        return span.line if span else self.line

    def span(self, key: str) -> Span:
        """Return the span of the value of ``key``."""
        return self.spans.get(key) or Span(self.line, self.line)


class YamlList(list[object]):
    """A list that remembers its own line and the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.spans: list[Span] = []

    def item_line(self, index: int) -> int:
        """Return the line of item ``index``."""
        return self.spans[index].line

    def span(self, index: int) -> Span:
        """Return the span of item ``index``."""
        return self.spans[index]


@dataclass(frozen=True)
class LoadedYaml:
    """One YAML document as plain data (None when empty), with the problems found reading it."""

    data: object
    problems: list[Problem]


_REFUSED = object()  # a value already reported as refused; its key or item is left out


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Resolver(BaseResolver):
    def resolve(self, kind: object, value: object, implicit: object) -> str:
        if kind is ScalarNode:
            plain = isinstance(implicit, tuple) and bool(implicit[0])
            return _scalar_tag(str(value)) if plain else _STR
        return _SEQ if kind is SequenceNode else _MAP


class _Loader(Reader, Scanner, Parser, Composer, _Resolver):
    """PyYAML's safe reading pipeline up to the node graph; it never constructs objects."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        # check_event() leaves the upcoming event in current_event (peek_event is untyped).
        if self.check_event(AliasEvent):
            event = self.current_event
            raise _Refused(
                event.start_mark.line + 1,
                f"aliases are not allowed (*{event.anchor}); write the value out in full",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self.check_event()
                line = self.current_event.start_mark.line + 1
                raise _Refused(line, f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _scalar_tag(value: str) -> str:
    if value in _NULL_WORDS:
        return _NULL
    if value in _BOOL_WORDS:
        return _BOOL
    if _INT_RE.match(value):
        return _INT
    if _FLOAT_RE.match(value):
        return _FLOAT
    return _STR


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Builder:
    """Turns a node graph into YamlMap / YamlList / scalars, collecting problems."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def build(self, node: Node) -> object:
        line = node.start_mark.line + 1 if node.start_mark else 1
        if node.tag not in _ALLOWED_TAGS:
            self.problem(line, f"tag '{_short_tag(node.tag)}' is not allowed; use plain YAML")
            return _REFUSED
        if isinstance(node, MappingNode):
            return self._mapping(node, line)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.problem(line, f"a list cannot be tagged '{_short_tag(node.tag)}'")
            out = YamlList(line)
            for item in node.value:
                value = self.build(item)
                if value is not _REFUSED:
                    out.append(value)
                    out.spans.append(_span(item))
            return out
        return self._scalar(node, line)

    def _mapping(self, node: MappingNode, line: int) -> YamlMap:
        if node.tag != _MAP:
            self.problem(line, f"a mapping cannot be tagged '{_short_tag(node.tag)}'")
        out = YamlMap(line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self.problem(key_line, "a key must be plain text, not a list or mapping")
                continue
            key = str(key_node.value)
            if key in out:
                first = out.key_lines[key]
                self.problem(key_line, f"duplicate key '{key}' (first at line {first})")
                continue
            value = self.build(value_node)
            if value is _REFUSED:
                continue
            if isinstance(value, YamlMap):
                value.owner_line = key_line
            out[key] = value
            out.key_lines[key] = key_line
            out.spans[key] = _span(value_node)
        return out

    def _scalar(self, node: Node, line: int) -> object:
        text = str(node.value)
        tag = node.tag
        if tag == _STR:
            return text
        if tag == _NULL and text in _NULL_WORDS:
            return None
        if tag == _BOOL and text in _BOOL_WORDS:
            return _BOOL_WORDS[text]
        if tag == _INT and _INT_RE.match(text):
            return int(text)
        if tag == _FLOAT and _FLOAT_RE.match(text):
            return float(text)
        self.problem(line, f"'{text}' is not a valid {_short_tag(tag)}")
        return _REFUSED


def _span(node: Node) -> Span:
    line = node.start_mark.line + 1 if node.start_mark else 1
    style = getattr(node, "style", None)
    if style in ("|", ">"):
        # The text of a block scalar starts on the line after its indicator.
        return Span(line, line + 1, exact=style == "|")
    return Span(line, line)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem, context = exc.problem or "", exc.context or ""
    start, at = exc.context_mark, exc.problem_mark
    if context.startswith("while ") and start and at and start.line != at.line:
        context = f"{context} that starts at line {start.line + 1}"
    if problem and context:
        # PyYAML splits sentences like "expected a single document ... but found another".
        detail = f"{context} {problem}" if problem.startswith("but ") else f"{problem} ({context})"
    else:
        detail = problem or context or "invalid YAML"
    if "'\\t'" in detail:
        detail += "; indent with spaces, not tabs"
    return f"YAML syntax error: {detail}"


def load_yaml_text(text: str, display: str) -> LoadedYaml:
    """Parse one YAML document; ``display`` names the source in problems."""
    # Text that never was a file (a form, a database column) gets the same size limit.
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return LoadedYaml(None, [Problem(display, 1, "file is larger than 1 MiB; refused")])
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except _Refused as refused:
        return LoadedYaml(None, [Problem(display, refused.line, refused.message)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return LoadedYaml(None, [Problem(display, line, _syntax_message(exc))])
    except ReaderError as exc:
        position = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        message = f"character U+{code:04X} is not allowed in YAML"
        return LoadedYaml(None, [Problem(display, line, message)])
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return LoadedYaml(None, [])
    builder = _Builder(display)
    data = builder.build(node)
    if data is _REFUSED:
        data = None
    return LoadedYaml(data, builder.problems)


def load_yaml_file(path: str | Path, display: str | None = None) -> LoadedYaml:
    """Read and parse one YAML file, refusing huge files and bytes that are not UTF-8."""
    name = display if display is not None else str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        return LoadedYaml(None, [Problem(name, 1, "is a directory, not a YAML file")])
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return LoadedYaml(None, [Problem(name, 1, f"cannot read file ({reason})")])
    if len(raw) > MAX_BYTES:
        return LoadedYaml(None, [Problem(name, 1, "file is larger than 1 MiB; refused")])
    skip = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = raw.count(b"\n", 0, offset) + 1
        message = f"not UTF-8 (byte 0x{raw[offset]:02x} at offset {offset})"
        return LoadedYaml(None, [Problem(name, line, message)])
    return load_yaml_text(text, name)
