"""Content problems as values: collected during a run, reported together."""

from __future__ import annotations

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
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


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


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command that puts the problem on the file's line."""

    def escape_data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape_data(text).replace(":", "%3A").replace(",", "%2C")

    title = "Content error" if problem.severity == "error" else "Content warning"
    return (
        f"::{problem.severity} file={escape_property(problem.path)},"
        f"line={problem.line},col={problem.col},title={escape_property(title)}"
        f"::{escape_data(problem.message)}"
    )
