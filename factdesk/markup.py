"""Markdown from editors: rendered without raw HTML, links checked at their line."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .problems import Problems

ALLOWED_SCHEMES = ("http", "https", "mailto")


def link_problem(href: str) -> str | None:
    """Why a link target is refused, or None when it is http(s), mailto or relative."""
    target = href.strip()
    if target.startswith("//"):
        return f"link '{href}' leaves out the scheme; write https://{target[2:]}"
    if target.lower().startswith("www."):
        return f"link '{href}' is a web address without its scheme; write https://{target}"
    head = target.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if ":" in head:
        scheme = head.split(":", 1)[0].lower()
        if scheme not in ALLOWED_SCHEMES:
            return f"link '{href}' is not allowed: only http, https, mailto and relative links are"
    return None


class Markdown:
    """One configured parser, reused for every document of a build."""

    def __init__(self, base_path: str):
        self.base_path = base_path
        # js-default: CommonMark plus tables and strikethrough, with raw HTML off
        self.md = MarkdownIt("js-default")
        # accept every link while parsing so that refused ones can be reported at
        # their line (markdown-it would otherwise drop them silently)
        self.md.validateLink = lambda url: True

    def render(self, text: str, problems: Problems, first_line: int, source_lines: list[str]) -> str:
        """HTML for `text`, whose first line is line `first_line` of its file."""
        env: dict = {}
        tokens = self.md.parse(text, env)
        refused_references = self._check_references(env, problems, first_line, source_lines)
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"  # the page's title is the only h1
            refused = False
            for child in token.children or ():
                href = _target(child)
                if href is None:
                    continue
                if link_problem(href):
                    refused = refused or href not in refused_references
                elif href.startswith("/"):
                    child.attrs["src" if child.type == "image" else "href"] = self.base_path + href[1:]
            if refused and token.map:
                self._report_lines(
                    (first_line + token.map[0], first_line + token.map[1]), env, problems, source_lines, refused_references
                )
        return self.md.renderer.render(tokens, self.md.options, env)

    def _check_references(self, env: dict, problems: Problems, first_line: int, source_lines: list[str]) -> set[str]:
        """Report refused targets of reference definitions ([name]: url) at the definition."""
        refused = set()
        for label, reference in sorted(env.get("references", {}).items()):
            href = reference.get("href", "")
            problem = link_problem(href)
            if not problem:
                continue
            refused.add(href)
            definition = re.compile(r"^\s*\[" + re.escape(label).replace("\\ ", r"\s+") + r"\]:", re.IGNORECASE)
            line, col = first_line, 1
            for number in range(first_line, len(source_lines) + 1):
                found = definition.search(source_lines[number - 1])
                if found:
                    line, col = number, found.end() + 1
                    break
            problems.add(line, col, problem)
        return refused

    def _report_lines(self, lines: tuple[int, int], env: dict, problems: Problems, source_lines: list[str], skip: set[str]) -> None:
        """Report each refused link at its own line and column, reading the block line by line."""
        for number in range(lines[0], min(lines[1], len(source_lines) + 1)):
            line = source_lines[number - 1]
            children = [c for t in self.md.parseInline(line, {"references": env.get("references", {})}) for c in t.children or ()]
            targets = [href for c in children if (href := _target(c)) is not None]
            starts = [m.end() for m in _DESTINATION.finditer(line)]
            for index, href in enumerate(targets):
                problem = link_problem(href)
                if problem and href not in skip:
                    col = starts[index] + 1 if index < len(starts) else len(line) - len(line.lstrip()) + 1
                    problems.add(number, col, problem)


# Where link destinations start in a line: after "](" or "<" of an autolink.
_DESTINATION = re.compile(r"\]\(\s*<?|<(?=[A-Za-z][A-Za-z0-9+.\-]{1,31}:)|(?<=<)(?=[^<>\s@]+@)")


def _target(token: Token) -> str | None:
    if token.type == "link_open":
        return str(token.attrs.get("href", ""))
    if token.type == "image":
        return str(token.attrs.get("src", ""))
    return None
