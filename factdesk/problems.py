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


# What the editor wrote (a file name holds anything but "/" and NUL, a message may quote any
# value) reaches the plain text output, where one problem is one line: every character that
# could end a line or act on the terminal (controls C0 and C1, U+2028, U+2029, and a lone
# surrogate, a file name's byte that is not UTF-8) is shown as an escape, as Python writes it.
# Backslashes are not doubled: the escape is there to be read, not decoded back.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(found: re.Match) -> str:
    return found.group().encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """`text` on one line, with nothing a terminal acts on: see the comment above."""
    return _UNPRINTABLE.sub(_escape, text)


# `visible`, but \r and \n kept: a workflow command's property escapes them itself, reversibly
_UNPRINTABLE_BUT_LINE_ENDS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def summary_line(problems: list[Problem]) -> str:
    """"2 errors in 1 file", with the warnings counted after: ", 1 warning"."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    files = len({p.path for p in errors})
    parts = []
    if errors or not warnings:
        parts.append(f"{count(len(errors), 'error')} in {count(files, 'file')}")
    if warnings:
        parts.append(count(warnings, "warning"))
    return ", ".join(parts)


def count(number: int, noun: str) -> str:
    """'1 error', '1,204 errors': an English count for messages (the site's own words go through i18n)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def escape_data(text: str) -> str:
    """A workflow command's message: the runner reads one command a line, and decodes these."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file=...): also ":" and ",", which end one."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command that puts the problem on the file's line.

    A file name's \r and \n are percent-escaped, which the runner decodes, so the annotation finds
    a file whose name holds a newline; other control characters are shown as `visible` escapes.
    No value can end the command, add a property, or start another.
    """
    title = "Content error" if problem.severity == "error" else "Content warning"
    return (
        f"::{problem.severity} file={escape_property(_UNPRINTABLE_BUT_LINE_ENDS.sub(_escape, problem.path))},"
        f"line={problem.line},col={problem.col},title={escape_property(title)}"
        f"::{escape_data(visible(problem.message))}"
    )


# -- Markdown, for the job summary ---------------------------------------------------------
# Editors' text there may not end its line, nor make a link, an image, a mention, emphasis or
# HTML: every ASCII punctuation character GitHub's Markdown gives a meaning is backslash-escaped,
# and <, > and & become entities. Quotes, commas, "/", "?", "%" and ";" stay, for a readable source.
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
