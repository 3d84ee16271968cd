"""Content problems as values: collected during a run, reported together."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place an editor can find.

    `line` and `col` count from 1, as editors and GitHub do.
    """

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{visible(self.path)}:{self.line}:{self.col}: {self.severity}: {visible(self.message)}"


class Problems(list):
    """The problems of one file, with the file's path bound in."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def add(self, line: int, col: int, message: str) -> None:
        self.append(Problem(self.path, line, col, one_line(message)))


def one_line(text: str) -> str:
    """Messages are one line each: the command line and CI parse them by line."""
    return " ".join(text.split())


# What the editor wrote (a file name, a value quoted in a message) reaches the plain text
# output, where one problem is one line: `PATH:LINE:COL: error: MESSAGE`. A file name comes
# from the filesystem and may hold anything but "/" and NUL, a message may quote any value.
# So every character that could end a line or act on the terminal is shown as an escape, as
# Python writes it: control characters (category Cc: \t \n \r \x0b \x0c \x1b, the C1 controls
# U+0080-U+009F with U+0085 NEL among them) as \t, \n, \r or \xNN; the line and paragraph
# separators as \u2028 and \u2029; and a lone surrogate (a file name's byte that is not
# UTF-8, as Python decodes it) as \udcNN, which could not even be written as UTF-8.
# Backslashes are not doubled: the escape is there to be read, not decoded back.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(found: re.Match) -> str:
    char = found.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line, with nothing a terminal acts on: see the comment above."""
    return _UNPRINTABLE.sub(_escape, text)


def _visible_but_line_ends(text: str) -> str:
    """`visible`, but \r and \n kept: for a workflow command's property, which escapes them
    itself, reversibly (so an annotation still finds a file whose name holds a newline)."""
    return _UNPRINTABLE_BUT_LINE_ENDS.sub(_escape, text)


_UNPRINTABLE_BUT_LINE_ENDS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def summary_line(problems: list[Problem]) -> str:
    """"2 errors in 1 file", with the warnings counted after: ", 1 warning"."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    files = len({p.path for p in errors})
    parts = []
    if errors or not warnings:
        parts.append(f"{_count(len(errors), 'error')} in {_count(files, 'file')}")
    if warnings:
        parts.append(_count(warnings, "warning"))
    return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def escape_data(text: str) -> str:
    """A workflow command's message: the runner reads one command a line, and decodes these."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file=...): also ":" and ",", which end one."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command that puts the problem on the file's line.

    The runner reads one command a line and decodes %25, %0D, %0A (and in properties %3A and
    %2C) back. A file name's \r and \n are escaped so, and the runner gives the annotation the
    real name; its other control characters (and a message's, and the line separators
    U+2028, U+2029, which some readers split lines at) are shown as `visible` escapes, as on
    the command line. No value can end the command, add a property, or start another.
    """
    title = "Content error" if problem.severity == "error" else "Content warning"
    return (
        f"::{problem.severity} file={escape_property(_visible_but_line_ends(problem.path))},"
        f"line={problem.line},col={problem.col},title={escape_property(title)}"
        f"::{escape_data(visible(problem.message))}"
    )


# -- Markdown, for the job summary ---------------------------------------------------------
# Editors' text in the summary is inline text, a table cell or a code span: it may not end
# its line (so it cannot start a heading, a list or a table row of its own), nor make a link,
# an image, an autolink, a mention, emphasis or HTML. Every ASCII punctuation character that
# Markdown (with GitHub's extensions: tables, strikethrough, autolinks, emoji, math) gives a
# meaning is backslash-escaped, and <, > and & are written as HTML entities. Quotes, commas,
# "/", "?", "%" and ";" mean nothing inline and are left as they are, for a readable source.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:@$^=])")


def markdown_text(text: str) -> str:
    """`text` as inline Markdown that shows exactly these characters (and fits a table cell)."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", visible(text))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_code(text: str) -> str:
    """`text` as a Markdown code span: the fence is longer than any run of backticks inside."""
    text = visible(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    # a space each side when the text starts or ends with a backtick (which would join the
    # fence) or starts and ends with a space (one of which Markdown would strip)
    pad = " " if text[:1] == "`" or text[-1:] == "`" or (text[:1] == " " and text[-1:] == " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
