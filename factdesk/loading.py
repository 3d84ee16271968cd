"""Reading the site's files: text decoding, front matter and YAML with positions.

YAML is read into small node trees that keep each value's line and column,
so validation can point at the exact place. Values stay the strings the
editor wrote: YAML 1.1's guesses (`no` → False, `2025-05-30` → date,
`1:30` → 90) are never applied; the schema decides what a value means.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import yaml

from .problems import Problems

try:  # libyaml's parser is much faster; the pure-Python one is the fallback
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 16  # entries need 4 levels; deeper is a mistake or an attack


@dataclass
class Node:
    line: int  # counted from 1
    col: int


@dataclass
class Scalar(Node):
    value: str
    plain: bool  # unquoted, so "", "~" and "null" mean nothing was written

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


def decode_text(data: bytes, problems: Problems) -> str | None:
    """A file's bytes as text: UTF-8 with LF line ends, or None with a problem added."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add(1, 1, "the file is saved as UTF-16; save it as UTF-8")
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1  # characters, as editors count
        problems.add(line, col, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.add(line, 1, "the file contains a NUL character; is it really a text file?")
        return None
    return text


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, lines before the body)."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return None, text, 0
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            return "", text, -1  # opened, never closed
    front = text[4 : end + 1]
    body = text[end + 5 :]
    return front, body, front.count("\n") + 2


def parse_yaml(text: str, problems: Problems, first_line: int = 1) -> Node | None:
    """Compose one YAML document into nodes, or None with problems added.

    Built from the parser's events rather than PyYAML's composer so that
    aliases, duplicate keys and runaway nesting are refused where they
    stand, before anything walks them (libyaml's composer recurses, and
    crashes the interpreter on very deep nesting).
    """
    offset = first_line - 1
    document = Sequence(0, 0)  # the root's parent, so that every node has one
    stack: list[Node] = [document]
    pending_keys: list[Scalar | None] = [None]
    documents = 0
    loader = _Loader(text)
    try:
        while True:
            # one C call per event (yaml.parse makes two); events by exact type, the hot path first
            event = loader.get_event()
            kind = type(event)
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                pending_keys.pop()
                if not _attach(stack.pop(), stack, pending_keys, problems):
                    return None
                continue
            if kind is _STREAM_END:
                break
            mark = event.start_mark
            line, col = mark.line + 1 + offset, mark.column + 1
            if kind is _SCALAR or kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor:
                    problems.add(line, col, f"YAML anchors (&{event.anchor}) are not supported; write the value out")
                    return None
                if event.tag:
                    problems.add(line, col, f"YAML tags ({event.tag}) are not supported; remove it")
                    return None
            elif kind is _ALIAS:
                problems.add(line, col, f"YAML aliases (*{event.anchor}) are not supported; write the value out")
                return None
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    problems.add(line, col, "only one YAML document is allowed here; remove the extra '---'")
                    return None
                continue
            else:
                continue  # stream start, document end
            if kind is _SCALAR:
                node = Scalar(line, col, event.value, plain=event.style in (None, ""))
                if not _attach(node, stack, pending_keys, problems):
                    return None
                continue
            if len(stack) > MAX_DEPTH:
                problems.add(line, col, f"the YAML is nested more than {MAX_DEPTH} levels deep")
                return None
            stack.append(Mapping(line, col) if kind is _MAPPING_START else Sequence(line, col))
            pending_keys.append(None)
    except yaml.MarkedYAMLError as exc:
        if typed := _typing_slip(text):  # a tab or a no-break space: libyaml's words would not say so
            at_line, at_col, message = typed
            problems.add(at_line + offset, at_col, message)
            return None
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote or bracket: point where it opened
        line = mark.line + 1 + offset if mark else first_line
        col = mark.column + 1 if mark else 1
        problems.add(line, col, f"YAML syntax error: {_explain(exc.problem or exc.context or '')}")
        return None
    except yaml.reader.ReaderError as exc:
        # a character YAML refuses, reported by its offset: turn that into a line and column
        before = text[: exc.position]
        line = before.count("\n") + first_line
        col = exc.position - (before.rfind("\n") + 1) + 1
        problems.add(line, col, f"the character U+{exc.character:04X} is a control character, which YAML does not allow; remove it")
        return None
    except yaml.YAMLError as exc:
        problems.add(first_line, 1, f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    return document.items[0] if document.items else None


_INDENT_TAB = re.compile(r"^ *\t", re.MULTILINE)
_KEY_NBSP = re.compile(r"^[ \t-]*[^\s:#'\"][^:\n]*:(\u00a0)", re.MULTILINE)


def _typing_slip(text: str) -> tuple[int, int, str] | None:
    """The first tab in an indentation, or no-break space after a key's colon, in a file YAML refused."""
    found = []
    if tab := _INDENT_TAB.search(text):
        at = tab.end() - 1
        found.append((at, "a tab in the indentation; YAML indents with spaces only: replace the tab with spaces"))
    if nbsp := _KEY_NBSP.search(text):
        at = nbsp.start(1)
        found.append((at, "a no-break space after the colon (pasted from a web page or a word processor);"
                          " YAML needs an ordinary space there: delete it and type a space"))
    if not found:
        return None
    at, message = min(found)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1, message


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOCUMENT_START, _STREAM_END = yaml.DocumentStartEvent, yaml.StreamEndEvent


# libyaml's words for the mistakes editors make most, and what to do about them
_EXPLANATIONS = {
    "mapping values are not allowed": "a colon and a space inside a value; put the whole value in double quotes",
    "found character that cannot start any token": "a character YAML cannot start a value with (a tab, @ or `); use spaces to indent, or quote the value",
    "did not find expected key": "a line does not continue what came before; check its indentation, and quotes inside quoted text",
    "could not find expected ':'": "a line without 'key:' where one was expected; indent continuation lines of a text under its key",
    "found unexpected end of stream": "a quote or bracket opened here is never closed",
    "found undefined alias": "YAML aliases (*name) are not supported; write the value out",
    "found invalid Unicode character escape code": "an escape such as \\ud800 names half of a character, which no page can hold; remove it",
    # newer libyaml stops runaway nesting itself, while scanning ahead, before our own check sees it
    "exceeded maximum nesting depth": f"the YAML is nested more than {MAX_DEPTH} levels deep",
}


def _explain(problem: str) -> str:
    for words, explanation in _EXPLANATIONS.items():
        if problem.startswith(words):
            return f"{explanation} ({problem})"
    return problem


def _attach(node: Node, stack: list[Node], pending_keys: list, problems: Problems) -> bool:
    """Add a finished node to its parent; False when the document cannot go on."""
    parent = stack[-1]
    if isinstance(parent, Sequence):
        parent.items.append(node)
        return True
    assert isinstance(parent, Mapping)
    key = pending_keys[-1]
    if key is None:
        if not isinstance(node, Scalar):
            problems.add(node.line, node.col, "a key must be a plain word, not a list or mapping")
            return False
        pending_keys[-1] = node
        return True
    pending_keys[-1] = None
    for earlier, _ in parent.items:
        if earlier.value == key.value:
            problems.add(
                key.line,
                key.col,
                f"duplicate key '{key.value}' (first set on line {earlier.line}); keep only one",
            )
            return True
    parent.items.append((key, node))
    return True
