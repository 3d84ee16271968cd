"""Markdown from editors: rendered without raw HTML, links checked at their line."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .problems import Problems

ALLOWED_SCHEMES = ("http", "https", "mailto")


def link_problem(href: str) -> str | None:
    """Why a link target is refused, or None when it is http(s), mailto or relative."""
    target = href.strip()
    if target.startswith("//"):
        return f"link '{href}' leaves out the scheme; write https://{target[2:]}"
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
        tokens = self.md.parse(text)
        lines = (first_line, first_line + 1)
        for token in tokens:
            if token.map:
                lines = (first_line + token.map[0], first_line + token.map[1])
            if token.type == "heading_open" or token.type == "heading_close":
                level = min(int(token.tag[1]) + 1, 6)  # the page's title is the only h1
                token.tag = f"h{level}"
            for child in token.children or ():
                self._check_link(child, problems, lines, source_lines)
        return self.md.renderer.render(tokens, self.md.options, {})

    def _check_link(
        self, token: Token, problems: Problems, lines: tuple[int, int], source_lines: list[str]
    ) -> None:
        attr = {"link_open": "href", "image": "src"}.get(token.type)
        if not attr:
            return
        href = str(token.attrs.get(attr, ""))
        problem = link_problem(href)
        if problem:
            problems.add(*_position(source_lines, lines, href), problem)
        elif href.startswith("/"):
            token.attrs[attr] = self.base_path + href[1:]


def _position(source_lines: list[str], lines: tuple[int, int], needle: str) -> tuple[int, int]:
    """The line and column of `needle` within a block's lines, else the block's start."""
    for line in range(lines[0], min(lines[1], len(source_lines) + 1)):
        at = source_lines[line - 1].find(needle)
        if at != -1:
            return line, at + 1
    text = source_lines[lines[0] - 1] if 0 < lines[0] <= len(source_lines) else ""
    return lines[0], len(text) - len(text.lstrip()) + 1
