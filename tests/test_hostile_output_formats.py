"""Hostile pull requests, round two: what an editor writes cannot forge CI output, break
an output format, or slip a malformed web address through.

- CI output: `check` prints one problem a line (text), GitHub workflow commands
  (`--format github`) and a Markdown job summary ($GITHUB_STEP_SUMMARY). A file name (from
  the filesystem: anything but "/" and NUL) or a value quoted in a message can never start
  a line of its own, end a workflow command, or make a heading, link, image or HTML in the
  summary. See `visible`, `format_github`, `markdown_text` and `markdown_code` in
  factdesk/problems.py.
- XML: every character XML 1.0 forbids (and the controls the site refuses anyway) is an
  error at its line with "remove it", in every text field; everything XML allows builds,
  and feed.xml, sitemap.xml, claims.json and each page's JSON-LD parse.
- URLs: every URL field, Markdown link and --base-url is parsed strictly (urllib.parse):
  no host, spaces or controls, a bad port, credentials or stray brackets are errors at
  their line, with the fix; a bad --base-url is the command line's mistake (exit 2).

Each case asserts its exact outcome: the exit status and the whole of standard error.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import ARTICLE, CLAIM, PAGE, SITE_YAML, make_site, run

CLAIM_PATH = "content/claims/steel-contract.yaml"
ARTICLE_PATH = "content/articles/moscow-denial.txt"
PAGE_PATH = "content/pages/about.md"
ONE_ERROR = "1 error in 1 file"


def q(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON strings are YAML). YAML reads a raw U+2028
    or U+2029 as a line break, so those are written as escapes."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def check(site: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """`python build.py check --site SITE`: its exit status and its standard error's lines."""
    result = run("check", "--site", site, *extra, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.splitlines()


def one_error(line: str) -> tuple[int, list[str]]:
    """What `check` gives for a site with exactly this one problem."""
    return 1, [line, ONE_ERROR]


def with_citation(yaml_lines: str) -> str:
    """The default claim with one more citation (its first line is line 9)."""
    return CLAIM.replace("analysis: |\n", yaml_lines + "analysis: |\n")


def with_analysis(markdown: str) -> str:
    """The default claim with its analysis replaced; the analysis starts on line 10."""
    return CLAIM.split("analysis: |\n")[0] + "analysis: |\n" + "".join(f"  {line}\n" for line in markdown.split("\n"))


def claims_folder_file(site: Path, name: str | bytes, text: str = CLAIM) -> None:
    """A claim file named `name` exactly, as the filesystem takes it (bytes need not be UTF-8)."""
    folder = os.fsencode(site / "content" / "claims")
    raw = name if isinstance(name, bytes) else name.encode("utf-8")
    with open(os.path.join(folder, raw), "wb") as file:
        file.write(text.encode("utf-8"))


# =========================================================================================
# CI output forging
# =========================================================================================

# A file name that tries everything at once: a fake problem line after a newline, a CR, the
# Unicode line separators, an ANSI escape, and Markdown (heading, link, image, code, HTML).
FORGING_NAME = (
    "x\ncontent\\claims\\forged.yaml:3:1: error: forged\r\n## Pwned [link](https:\\\\evil.example)"
    " ![img](x.png) ``tick` <b>\u2028\x85\x1b[31m.yaml"
)
# How the text output shows it: one line, each control as an escape (\n, \r, \x85, \u2028...)
FORGING_NAME_SHOWN = (
    "x\\ncontent\\claims\\forged.yaml:3:1: error: forged\\r\\n## Pwned [link](https:\\\\evil.example)"
    " ![img](x.png) ``tick` <b>\\u2028\\x85\\x1b[31m.yaml"
)
# The file name problem's own message quotes the stem, its whitespace collapsed to spaces
FORGING_STEM_IN_MESSAGE = (
    "x content\\claims\\forged.yaml:3:1: error: forged ## Pwned [link](https:\\\\evil.example)"
    " ![img](x.png) ``tick` <b> \\x1b[31m"
)


class TestCiOutputForging:
    """Nothing the editor wrote ends a line, a workflow command or a Markdown block."""

    def test_text_output_shows_a_forging_file_name_on_its_own_line(self, tmp_path):
        site = make_site(tmp_path)
        claims_folder_file(site, FORGING_NAME)
        assert check(site) == one_error(
            f"content/claims/{FORGING_NAME_SHOWN}:1:1: error: the file name '{FORGING_STEM_IN_MESSAGE}' "
            "is longer than 80 characters"
        )

    @pytest.mark.parametrize(
        "char, in_path, in_message, suggestion",
        [
            # the message quotes the stem with its whitespace collapsed (str.split): a space
            ("\n", "\\n", " ", "a-b"),
            ("\r", "\\r", " ", "a-b"),
            ("\t", "\\t", " ", "a-b"),
            ("\x0b", "\\x0b", " ", "a-b"),
            ("\x0c", "\\x0c", " ", "a-b"),
            ("\x1b", "\\x1b", "\\x1b", "a-b"),
            ("\x7f", "\\x7f", "\\x7f", "a-b"),
            ("\x85", "\\x85", " ", "ab"),
            ("\u2028", "\\u2028", " ", "a-b"),
            ("\u2029", "\\u2029", " ", "a-b"),
        ],
        ids=["LF", "CR", "TAB", "VT", "FF", "ESC", "DEL", "NEL", "LS", "PS"],
    )
    def test_each_line_breaking_or_control_character_in_a_file_name_is_escaped(
        self, tmp_path, char, in_path, in_message, suggestion
    ):
        site = make_site(tmp_path)
        claims_folder_file(site, f"a{char}b.yaml")
        assert check(site) == one_error(
            f"content/claims/a{in_path}b.yaml:1:1: error: the file name 'a{in_message}b' "
            f"must be lowercase letters, digits and hyphens, with no spaces; try '{suggestion}'"
        )

    def test_a_file_name_that_is_not_utf8_is_shown_not_a_crash(self, tmp_path):
        site = make_site(tmp_path)
        claims_folder_file(site, b"bad\xff.yaml")
        assert check(site) == one_error(
            "content/claims/bad\\udcff.yaml:1:1: error: the file name 'bad\\udcff' "
            "must be lowercase letters, digits and hyphens, with no spaces; try 'bad'"
        )

    def test_a_value_quoted_in_a_message_cannot_start_a_line(self, tmp_path):
        # YAML's \e is ESC, \N is NEL: a terminal colour and a line break in a quoted value
        site = make_site(tmp_path, claims={"steel-contract": CLAIM + 'draft: "\\e[31mno\\N' + '\\x1b[0m"\n'})
        assert check(site) == one_error(
            f"{CLAIM_PATH}:11:8: error: expected true or false, found '\\x1b[31mno \\x1b[0m'"
        )

    def test_github_commands_escape_a_forging_file_name(self, tmp_path):
        site = make_site(tmp_path)
        claims_folder_file(site, FORGING_NAME)
        result = run("check", "--site", site, "--format", "github")
        assert result.returncode == 1
        # \r and \n as the runner decodes them (so the annotation finds the file), ":" and ","
        # as a property needs, other controls shown; the message as on the command line
        assert result.stdout.split("\n") == [
            "::error file=content/claims/x%0Acontent\\claims\\forged.yaml%3A3%3A1%3A error%3A forged%0D%0A"
            "## Pwned [link](https%3A\\\\evil.example) ![img](x.png) ``tick` <b>\\u2028\\x85\\x1b[31m.yaml,"
            f"line=1,col=1,title=Content error::the file name '{FORGING_STEM_IN_MESSAGE}' is longer than 80 characters",
            "",
        ]

    def test_github_command_of_a_file_name_with_commas_colons_and_percent(self, tmp_path):
        site = make_site(tmp_path)
        claims_folder_file(site, "a,line=9,title=x::y%0A.yaml")
        result = run("check", "--site", site, "--format", "github")
        assert (result.returncode, result.stdout.split("\n")) == (
            1,
            [
                "::error file=content/claims/a%2Cline=9%2Ctitle=x%3A%3Ay%250A.yaml,line=1,col=1,title=Content error::"
                "the file name 'a,line=9,title=x::y%250A' must be lowercase letters, digits and hyphens, "
                "with no spaces; try 'a-line-9-title-x-y-0a'",
                "",
            ],
        )

    def test_github_message_escapes_percent_and_controls(self, tmp_path):
        site = make_site(tmp_path, claims={"steel-contract": CLAIM + 'draft: "100%\\e[2J"\n'})
        result = run("check", "--site", site, "--format", "github")
        assert (result.returncode, result.stdout) == (
            1,
            f"::error file={CLAIM_PATH},line=11,col=8,title=Content error::"
            "expected true or false, found '100%25\\x1b[2J'\n",
        )

    def test_summary_escapes_a_verdict_label(self, tmp_path):
        label = "False |\n## Pwned [link](https://evil.example) ![img](https://evil.example/i.png) <img src=x> `x` *b* @team :+1: $x$"
        scale = f'verdicts:\n  - id: "false"\n    label: {q(label)}\n    description: Wrong.\n'
        site = make_site(tmp_path, site_yaml=SITE_YAML + scale)
        summary = tmp_path / "summary.md"
        code, errors = check(site, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert (code, errors) == (0, [])
        text = summary.read_text(encoding="utf-8")
        assert text == (
            "## Content check\n"
            "\n"
            "| Verdict | Checks |\n"
            "| --- | ---: |\n"
            "| False \\|\\\\n\\#\\# Pwned \\[link\\]\\(https\\://evil\\.example\\) \\!\\[img\\]\\(https\\://evil\\.example/i\\.png\\)"
            " &lt;img src\\=x&gt; \\`x\\` \\*b\\* \\@team \\:\\+1\\: \\$x\\$ | 1 |\n"
            "\n"
            "No problems found.\n"
        )
        html = render_summary(text)
        assert html.count("<h2>") == 1 and "<a " not in html and "<img" not in html and "<code>" not in html
        assert "<em>" not in html and "<h2>Pwned" not in html
        (row,) = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*</tr>", html, re.S)
        assert row == (
            "False |\\n## Pwned [link](https://evil.example) ![img](https://evil.example/i.png)"
            " &lt;img src=x&gt; `x` *b* @team :+1: $x$",
            "1",
        )

    def test_summary_escapes_a_forging_file_name_and_its_message(self, tmp_path):
        site = make_site(tmp_path)
        claims_folder_file(site, FORGING_NAME)
        summary = tmp_path / "summary.md"
        code, _ = check(site, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert code == 1
        text = summary.read_text(encoding="utf-8")
        # the code span's fence (```) is longer than the longest backtick run (``) inside
        assert text == (
            "## Content check\n"
            "\n"
            "**1 error in 1 file**\n"
            "\n"
            f"- error: ```content/claims/{FORGING_NAME_SHOWN}:1:1``` the file name "
            "'x content\\\\claims\\\\forged\\.yaml\\:3\\:1\\: error\\: forged \\#\\# Pwned "
            "\\[link\\]\\(https\\:\\\\\\\\evil\\.example\\) \\!\\[img\\]\\(x\\.png\\) \\`\\`tick\\` &lt;b&gt; "
            "\\\\x1b\\[31m' is longer than 80 characters\n"
        )
        html = render_summary(text)
        assert html.count("<h2>") == 1 and "<a " not in html and "<img" not in html and "<b>" not in html
        (code_span,) = re.findall(r"<code>(.*?)</code>", html, re.S)
        assert code_span == f"content/claims/{FORGING_NAME_SHOWN}:1:1".replace("<", "&lt;").replace(">", "&gt;")
        (item,) = re.findall(r"<li>(.*?)</li>", html, re.S)
        assert item.endswith(
            "the file name 'x content\\claims\\forged.yaml:3:1: error: forged ## Pwned "
            "[link](https:\\\\evil.example) ![img](x.png) ``tick` &lt;b&gt; \\x1b[31m' is longer than 80 characters"
        )

    @pytest.mark.parametrize(
        "name, item",
        [
            ("a`b.yaml", "- error: ``content/claims/a`b.yaml:1:1`` the file name 'a\\`b' "),
            ("a``.yaml", "- error: ```content/claims/a``.yaml:1:1``` the file name 'a\\`\\`' "),
            ("a.yaml`", "- error: ``content/claims/a.yaml`:1:1`` content/claims/ holds only \\.yaml files"),
        ],
        ids=["one", "two", "after-the-extension"],
    )
    def test_summary_code_span_outgrows_the_backticks_inside(self, tmp_path, name, item):
        site = make_site(tmp_path)
        claims_folder_file(site, name)
        summary = tmp_path / "summary.md"
        check(site, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
        (line,) = [line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
        assert line.startswith(item)
        (code,) = re.findall(r"<code>(.*?)</code>", render_summary(line))
        assert code == f"content/claims/{name}:1:1"

    @pytest.mark.parametrize(
        "text, span",
        [
            ("plain", "`plain`"),
            ("`tick", "`` `tick ``"),
            ("tick`", "`` tick` ``"),
            ("a ``` b", "````a ``` b````"),
            (" spaced ", "`  spaced  `"),
            ("two\nlines", "`two\\nlines`"),
        ],
    )
    def test_markdown_code_renders_back_to_its_text(self, text, span):
        from factdesk.problems import markdown_code, visible

        assert markdown_code(text) == span
        (code,) = re.findall(r"<code>(.*?)</code>", render_summary(f"- {span}"), re.S)
        assert code == visible(text)

    @pytest.mark.parametrize(
        "text",
        [
            "# heading", "[a](https://evil.example)", "![i](https://evil.example/i.png)", "<img src=x onerror=alert(1)>",
            "&lt;b&gt; &amp;", "*em* _em_ **strong** ~~del~~", "a | b", "www.evil.example https://evil.example a@b.example",
            "\\[not a link\\]", "`code`", "line\n## two\r\n- item\u2028> quote", "1. list", "---", "<!-- c -->",
        ],
    )
    def test_markdown_text_renders_back_to_its_text(self, text):
        from factdesk.problems import markdown_text, visible

        html = render_summary(f"| Verdict | Checks |\n| --- | --- |\n| {markdown_text(text)} | 1 |\n")
        (cell,) = re.findall(r"<tbody>\s*<tr>\s*<td>(.*?)</td>", html, re.S)
        assert cell == visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_summary(text: str) -> str:
    """The summary as GitHub-flavoured Markdown renders it (tables and strikethrough on)."""
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).render(text)


# =========================================================================================
# XML-forbidden characters
# =========================================================================================

# (YAML escape, code point, what the message calls it): every class XML 1.0 forbids, and
# the controls the site refuses though XML would take them (DEL, the C1 controls).
FORBIDDEN = [
    ("\\0", 0x0000, "a control character"),
    ("\\x01", 0x0001, "a control character"),
    ("\\b", 0x0008, "a control character"),
    ("\\v", 0x000B, "a control character"),
    ("\\f", 0x000C, "a control character"),
    ("\\r", 0x000D, "a control character"),
    ("\\x0e", 0x000E, "a control character"),
    ("\\e", 0x001B, "a control character"),
    ("\\x1f", 0x001F, "a control character"),
    ("\\x7f", 0x007F, "a control character"),
    ("\\N", 0x0085, "a control character"),
    ("\\x9f", 0x009F, "a control character"),
    ("\\uFFFE", 0xFFFE, "a noncharacter, which XML does not allow"),
    ("\\uFFFF", 0xFFFF, "a noncharacter, which XML does not allow"),
]
FORBIDDEN_IDS = [f"U+{code:04X}" for _, code, _ in FORBIDDEN]


def holds(code: int, kind: str, at: int) -> str:
    return f"the text holds {kind} (U+{code:04X}) at character {at}; remove it"


class TestXmlForbiddenCharacters:
    """A character XML forbids is an error at its line; all the rest builds into valid files."""

    @pytest.mark.parametrize("escape, code, kind", FORBIDDEN, ids=FORBIDDEN_IDS)
    def test_in_a_claim(self, tmp_path, escape, code, kind):
        text = CLAIM.replace("claim: Russia and Pakistan signed a steel-mill contract.", f'claim: "Steel {escape} mill"')
        site = make_site(tmp_path, claims={"steel-contract": text})
        assert check(site) == one_error(f"{CLAIM_PATH}:1:8: error: {holds(code, kind, 7)}")

    @pytest.mark.parametrize("escape, code, kind", FORBIDDEN, ids=FORBIDDEN_IDS)
    def test_in_the_site_title(self, tmp_path, escape, code, kind):
        site = make_site(tmp_path, site_yaml=SITE_YAML.replace("title: Test Desk", f'title: "Desk {escape} name"'))
        assert check(site) == one_error(f"site.yaml:1:8: error: {holds(code, kind, 6)}")

    @pytest.mark.parametrize("escape, code, kind", FORBIDDEN, ids=FORBIDDEN_IDS)
    def test_in_an_article_title(self, tmp_path, escape, code, kind):
        text = ARTICLE.replace("title: Russia denies reports on steel mill", f'title: "Report {escape} x"')
        site = make_site(tmp_path, articles={"moscow-denial": text})
        assert check(site) == one_error(f"{ARTICLE_PATH}:2:8: error: {holds(code, kind, 8)}")

    @pytest.mark.parametrize(
        "files, expected",
        [
            pytest.param(
                {"claims": {"steel-contract": CLAIM.replace("summary: No contract was signed.", 'summary: "No\\uFFFFcontract."')}},
                f"{CLAIM_PATH}:4:10: error: {holds(0xFFFF, 'a noncharacter, which XML does not allow', 3)}",
                id="claim-summary",
            ),
            pytest.param(
                {"claims": {"steel-contract": with_analysis("The record.") + 'headline: "Head\\x02line"\n'}},
                f"{CLAIM_PATH}:11:11: error: {holds(0x0002, 'a control character', 5)}",
                id="claim-headline",
            ),
            pytest.param(
                {"claims": {"steel-contract": with_citation('  - url: https://example.org/r\n    title: "A\\x0cpage"\n')}},
                f"{CLAIM_PATH}:10:12: error: {holds(0x000C, 'a control character', 2)}",
                id="citation-title",
            ),
            pytest.param(
                {"claims": {"steel-contract": CLAIM.replace("analysis: |\n  The record shows talks, not a contract.\n",
                                                            'analysis: "The record\\uFFFE shows talks."\n')}},
                f"{CLAIM_PATH}:9:11: error: {holds(0xFFFE, 'a noncharacter, which XML does not allow', 11)}",
                id="claim-analysis-markdown",
            ),
            pytest.param(
                {"articles": {"moscow-denial": ARTICLE.replace("publisher: Wire Service", 'publisher: "Wire\\x1fService"')}},
                f"{ARTICLE_PATH}:3:12: error: {holds(0x001F, 'a control character', 5)}",
                id="article-publisher",
            ),
            pytest.param(
                {"articles": {"moscow-denial": ARTICLE + "A late line with \ufffe in it.\n"}},
                f"{ARTICLE_PATH}:11:18: error: the text holds a noncharacter, which XML does not allow (U+FFFE); remove it",
                id="article-body",
            ),
            pytest.param(
                {"pages": {"about": PAGE.replace("title: About us", 'title: "About\\vus"')}},
                f"{PAGE_PATH}:2:8: error: {holds(0x000B, 'a control character', 6)}",
                id="page-title",
            ),
            pytest.param(
                {"site_yaml": SITE_YAML + 'description: "A desk\\uFFFF."\n'},
                f"site.yaml:6:14: error: {holds(0xFFFF, 'a noncharacter, which XML does not allow', 7)}",
                id="site-description",
            ),
            pytest.param(
                {"site_yaml": SITE_YAML.replace("  name: Test Desk Org", '  name: "Test\\x08Org"')},
                f"site.yaml:4:9: error: {holds(0x0008, 'a control character', 5)}",
                id="publisher-name",
            ),
            pytest.param(
                {"site_yaml": SITE_YAML + 'verdicts:\n  - id: "false"\n    label: "Fal\\uFFFEse"\n    description: Wrong.\n'},
                f"site.yaml:8:12: error: {holds(0xFFFE, 'a noncharacter, which XML does not allow', 4)}",
                id="verdict-label",
            ),
        ],
    )
    def test_in_every_text_field(self, tmp_path, files, expected):
        assert check(make_site(tmp_path, **files)) == one_error(expected)

    @pytest.mark.parametrize(
        "raw, line",
        [("\x01", 1), ("\ufffe", 1), ("\uffff", 1)],
        ids=["U+0001", "U+FFFE", "U+FFFF"],
    )
    def test_written_as_is_in_a_yaml_file(self, tmp_path, raw, line):
        text = CLAIM.replace("claim: Russia", f"claim: Rus{raw}sia")
        site = make_site(tmp_path, claims={"steel-contract": text})
        assert check(site) == one_error(
            f"{CLAIM_PATH}:{line}:11: error: the character U+{ord(raw):04X} is a control character, "
            "which YAML does not allow; remove it"
        )

    @pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d\\ude00"], ids=["high", "low", "pair"])
    def test_a_surrogate_escape_is_an_error_at_its_line(self, tmp_path, escape):
        # libyaml refuses every \u escape of a surrogate, even a pair (write the emoji itself)
        for what, files, path, line, col in [
            ("claim", {"claims": {"steel-contract": CLAIM.replace(
                "claim: Russia and Pakistan signed a steel-mill contract.", f'claim: "Steel {escape} mill"')}},
             CLAIM_PATH, 1, 17),
            ("site title", {"site_yaml": SITE_YAML.replace("title: Test Desk", f'title: "Desk {escape} name"')},
             "site.yaml", 1, 16),
            ("article title", {"articles": {"moscow-denial": ARTICLE.replace(
                "title: Russia denies reports on steel mill", f'title: "Report {escape} x"')}},
             ARTICLE_PATH, 2, 18),
        ]:
            site = make_site(tmp_path, name=what.replace(" ", "-"), **files)
            assert check(site) == one_error(
                f"{path}:{line}:{col}: error: YAML syntax error: an escape such as \\ud800 names half of a character,"
                " which no page can hold; remove it (found invalid Unicode character escape code)"
            ), what

    def test_a_lone_surrogate_that_reaches_a_text_is_refused(self):
        # libyaml stops "\ud800" first; the pure-Python YAML reader would let it through
        from factdesk.fields import forbidden_character

        assert forbidden_character("ab\ud800c") == (
            2, "the text holds half of a character (a lone surrogate, which XML and UTF-8 cannot hold) (U+D800)"
        )
        assert forbidden_character("ab\udfffc")[0] == 2

    @pytest.mark.parametrize("raw", ["\x01", "\ufffe"], ids=["U+0001", "U+FFFE"])
    def test_in_a_page_body(self, tmp_path, raw):
        site = make_site(tmp_path, pages={"about": PAGE + f"More about {raw}us.\n"})
        code, lines = check(site)
        assert code == 1 and lines[0].startswith(f"{PAGE_PATH}:6:12: error: the text holds ")

    def test_a_surrogate_escape_says_remove_it(self, tmp_path):
        text = CLAIM.replace("claim: Russia and Pakistan signed a steel-mill contract.", 'claim: "Steel \\ud800 mill"')
        code, lines = check(make_site(tmp_path, claims={"steel-contract": text}))
        assert code == 1 and "remove it" in lines[0]

    def test_every_allowed_tricky_character_builds_into_well_formed_files(self, tmp_path):
        tricky = "& < > \" ' ]]> -- <!-- --> </script> 😀 \u200f\u200eעברית\u200f \u2028 \u2029 \ufdd0 end"
        site = make_site(
            tmp_path,
            site_yaml=SITE_YAML.replace("title: Test Desk", f"title: {q('Desk ' + tricky)}") + f"description: {q(tricky)}\n",
            articles={"moscow-denial": ARTICLE.replace(
                "title: Russia denies reports on steel mill", f"title: {q('Report ' + tricky)}") + tricky + "\n"},
            claims={"steel-contract": CLAIM
                    .replace("claim: Russia and Pakistan signed a steel-mill contract.", f"claim: {q('Claim ' + tricky)}")
                    .replace("claimant: Media reports", f"claimant: {q('Claimant ' + tricky)}")
                    .replace("summary: No contract was signed.", f"summary: {q('Summary ' + tricky)}")
                    + f"headline: {q('Headline ' + tricky)}\n"},
            pages={"about": PAGE.replace("title: About us", f"title: {q('About ' + tricky)}") + tricky + "\n"},
        )
        assert check(site) == (0, [])
        out = tmp_path / "out"
        result = run("build", "--site", site, "--out", out)
        assert (result.returncode, result.stderr) == (0, "")

        feed = ET.parse(out / "feed.xml").getroot()
        atom = "{http://www.w3.org/2005/Atom}"
        for text in (feed.findtext(f"{atom}title"), feed.find(f"{atom}entry").findtext(f"{atom}title")):
            for part in ("&", "<", ">", '"', "'", "]]>", "--", "</script>", "😀", "\u200eעברית\u200f"):
                assert part in text, (part, text)
        ET.parse(out / "sitemap.xml")
        texts = set(strings(json.loads((out / "claims.json").read_text(encoding="utf-8"))))
        assert {"Claim " + tricky, "Summary " + tricky, "Claimant " + tricky} <= texts
        blocks = [
            (page, block)
            for page in sorted(out.rglob("*.html"))
            for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
        ]
        assert blocks, "no JSON-LD found"
        for page, block in blocks:
            parsed = json.loads(block)
            assert parsed, page
            assert "</script" not in block.lower(), page


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# =========================================================================================
# URL strictness
# =========================================================================================

NO_HOST = "has no host name; write https:// and the host before the path, as in https://example.org/page"
NO_HOST_BEFORE_PORT = "has no host name; write one after https://, as in https://example.org/page"
SPACES = "contains spaces or control characters; it is not a web address: write each space as %20 and remove the other characters"
BRACKETS = (
    "has an unbalanced or misplaced [ or ] in its host; only an IPv6 address is written in brackets, "
    "as in https://[2001:db8::1]/, and a host name without them"
)


def port(value: str, fixed: str) -> str:
    return f"has the port ':{value}', which is not a number from 1 to 65535; correct it, or leave it out: {fixed}"


def credentials(fixed: str) -> str:
    return f"holds a user name or password before its host (the part up to @); remove it: {fixed}"


# (the address as YAML writes it, the address as the message shows it, what is wrong and the fix)
MALFORMED = [
    pytest.param("'https://'", "https://", NO_HOST, id="no-host"),
    pytest.param("'https:///steel'", "https:///steel", NO_HOST, id="no-host-three-slashes"),
    pytest.param("'https://:8080/x'", "https://:8080/x", NO_HOST_BEFORE_PORT, id="port-without-host"),
    pytest.param("'https://example.org/a page'", "https://example.org/a page", SPACES, id="space"),
    pytest.param('"https://example.org/\\x01x"', "https://example.org/\\x01x", SPACES, id="control-character"),
    pytest.param('"https://example.org/\\u202ex"', "https://example.org/\u202ex", SPACES, id="direction-override"),
    pytest.param('"https://example.org/\\uFFFEx"', "https://example.org/\ufffex", SPACES, id="noncharacter"),
    pytest.param("'https://example.org:99999/x'", "https://example.org:99999/x", port("99999", "https://example.org/x"), id="port-too-big"),
    pytest.param("'https://example.org:abc/x'", "https://example.org:abc/x", port("abc", "https://example.org/x"), id="port-not-a-number"),
    pytest.param("'https://example.org:0/'", "https://example.org:0/", port("0", "https://example.org/"), id="port-zero"),
    pytest.param("'https://example.org:+80/'", "https://example.org:+80/", port("+80", "https://example.org/"), id="port-with-sign"),
    pytest.param("'https://example.org:8_0/'", "https://example.org:8_0/", port("8_0", "https://example.org/"), id="port-with-underscore"),
    pytest.param("'https://user:pass@example.org/x'", "https://user:pass@example.org/x", credentials("https://example.org/x"), id="user-and-password"),
    pytest.param("'https://user@example.org/'", "https://user@example.org/", credentials("https://example.org/"), id="user"),
    pytest.param("'https://[2001:db8::1/x'", "https://[2001:db8::1/x", BRACKETS, id="ipv6-unclosed"),
    pytest.param("'https://2001:db8::1]/x'", "https://2001:db8::1]/x", BRACKETS, id="ipv6-unopened"),
    pytest.param("'https://[::1]x/'", "https://[::1]x/", BRACKETS, id="text-after-ipv6"),
    pytest.param(
        "'https://[example.org]/x'", "https://[example.org]/x",
        "has [example.org] as its host, which is not an IPv6 address; write the address or a host name, "
        "as in https://example.org/page",
        id="brackets-round-a-name",
    ),
    pytest.param(
        "'https://exa%2Fmple.org/'", "https://exa%2Fmple.org/",
        "has '%' in its host name 'exa%2Fmple.org', which a host name cannot hold; a host name is letters, digits, hyphens and dots",
        id="percent-in-host",
    ),
    pytest.param(
        "'https://example.org\\@evil.example/'", "https://example.org\\@evil.example/",
        credentials("https://evil.example/"),
        id="backslash-before-at",
    ),
    pytest.param(
        "'https://evil.example\\.example.org/'", "https://evil.example\\.example.org/",
        "has '\\' in its host name 'evil.example\\.example.org', which a host name cannot hold; "
        "a host name is letters, digits, hyphens and dots",
        id="backslash-in-host",
    ),
    pytest.param(
        "'https://evil.example／.example.org/'", "https://evil.example／.example.org/",
        "has '／' in its host name 'evil.example／.example.org', which a host name cannot hold; "
        "a host name is letters, digits, hyphens and dots",
        id="fullwidth-solidus-in-host",
    ),
    pytest.param(
        "'https://example..org/'", "https://example..org/",
        "has an empty part in its host name 'example..org'; remove the extra dot",
        id="empty-host-label",
    ),
]

WELL_FORMED = [
    "https://example.org/",
    "HTTPS://Example.org/x",
    "http://example.org:8080/a?b=c#d",
    "https://example.org:/x",
    "https://[2001:db8::1]/x",
    "https://[2001:db8::1]:8443/x",
    "https://bücher.example/straße",
    "https://हिन्दी.example/",
    "https://例え.テスト/",
    "https://127.0.0.1:8000/",
    "http://localhost/",
    "https://my_host.example.org/",
    "https://example.org./x",
    "https://example.org/a%20b?q=\"'><&",
]


class TestUrlStrictness:
    """Every address an editor writes is parsed strictly, and a bad one is an error at its line."""

    @pytest.mark.parametrize("written, shown, why", MALFORMED)
    def test_in_a_citation(self, tmp_path, written, shown, why):
        site = make_site(tmp_path, claims={"steel-contract": with_citation(f"  - url: {written}\n    title: A page\n")})
        assert check(site) == one_error(f"{CLAIM_PATH}:9:10: error: '{shown}' {why}")

    @pytest.mark.parametrize("url", WELL_FORMED)
    def test_well_formed_addresses_are_accepted(self, tmp_path, url):
        site = make_site(tmp_path, claims={"steel-contract": with_citation(f"  - url: {q(url)}\n    title: A page\n")})
        assert check(site)[0] == 0

    @pytest.mark.parametrize(
        "files, expected",
        [
            pytest.param(
                {"site_yaml": SITE_YAML.replace("base_url: https://example.org/", "base_url: https://example.org:99999/")},
                f"site.yaml:2:11: error: 'https://example.org:99999/' {port('99999', 'https://example.org/')}",
                id="base-url",
            ),
            pytest.param(
                {"site_yaml": SITE_YAML.replace("  url: https://example.org/", "  url: https://desk:secret@example.org/")},
                f"site.yaml:5:8: error: 'https://desk:secret@example.org/' {credentials('https://example.org/')}",
                id="publisher-url",
            ),
            pytest.param(
                {"articles": {"moscow-denial": ARTICLE.replace("url: https://news.example.com/story", "url: https://[news.example.com/story")}},
                f"{ARTICLE_PATH}:6:6: error: 'https://[news.example.com/story' {BRACKETS}",
                id="article-url",
            ),
            pytest.param(
                {"articles": {"moscow-denial": ARTICLE.replace("author: Staff", "archive_url: https:///web/2025/x")}},
                f"{ARTICLE_PATH}:4:14: error: 'https:///web/2025/x' {NO_HOST}",
                id="article-archive-url",
            ),
            pytest.param(
                {"claims": {"steel-contract": CLAIM + "appeared_in: ['https://example.org:abc/post']\n"}},
                f"{CLAIM_PATH}:11:15: error: 'https://example.org:abc/post' {port('abc', 'https://example.org/post')}",
                id="appeared-in",
            ),
        ],
    )
    def test_in_every_url_field(self, tmp_path, files, expected):
        assert check(make_site(tmp_path, **files)) == one_error(expected)

    def test_in_the_publisher_logo(self, tmp_path):
        site = make_site(tmp_path, site_yaml=SITE_YAML + "  logo: https://desk:secret@example.org/logo.png\n")
        assert check(site) == one_error(
            f"site.yaml:6:9: error: 'https://desk:secret@example.org/logo.png' {credentials('https://example.org/logo.png')}"
        )

    @pytest.mark.parametrize(
        "markdown, col, href, why",
        [
            pytest.param("See [x](https://).", 11, "https://", NO_HOST, id="no-host"),
            pytest.param("See [x](https:example.org).", 11, "https:example.org", NO_HOST, id="no-slashes"),
            pytest.param("See [x](https://:8080/x).", 11, "https://:8080/x", NO_HOST_BEFORE_PORT, id="port-without-host"),
            pytest.param("See [x](https://example.org:99999/x).", 11, "https://example.org:99999/x",
                         port("99999", "https://example.org/x"), id="port-too-big"),
            pytest.param("See [x](https://example.org:abc/x).", 11, "https://example.org:abc/x",
                         port("abc", "https://example.org/x"), id="port-not-a-number"),
            pytest.param("See [x](https://user:pass@example.org/x).", 11, "https://user:pass@example.org/x",
                         credentials("https://example.org/x"), id="credentials"),
            pytest.param("See <https://user:pass@example.org/x>.", 8, "https://user:pass@example.org/x",
                         credentials("https://example.org/x"), id="autolink-credentials"),
            # markdown-it percent-encodes the bracket it cannot pair: the message shows its link
            pytest.param("See [x](https://[2001:db8::1/x).", 11, "https://:1%5B2001:db8:/x", BRACKETS, id="ipv6-unclosed"),
            pytest.param("See [x](https://2001:db8::1]/x).", 11, "https://2001:db8::1%5D/x", BRACKETS, id="ipv6-unopened"),
            pytest.param("See [x](<https://exa mple.org/>).", 12, "https://exa%20mple.org/",
                         "has '%' in its host name 'exa%20mple.org', which a host name cannot hold; "
                         "a host name is letters, digits, hyphens and dots", id="space-in-host"),
        ],
    )
    def test_in_a_markdown_link(self, tmp_path, markdown, col, href, why):
        site = make_site(tmp_path, claims={"steel-contract": with_analysis(markdown)})
        assert check(site) == one_error(f"{CLAIM_PATH}:10:{col}: error: link '{href}' {why}")

    def test_in_a_markdown_reference_definition(self, tmp_path):
        site = make_site(tmp_path, claims={"steel-contract": with_analysis("See [the report][r].\n\n[r]: https://example.org:99999/r")})
        assert check(site) == one_error(
            f"{CLAIM_PATH}:12:7: error: link 'https://example.org:99999/r' {port('99999', 'https://example.org/r')}"
        )

    def test_in_a_page_link(self, tmp_path):
        site = make_site(tmp_path, pages={"about": PAGE + "Write to [us](https://desk:pw@example.org/contact).\n"})
        assert check(site) == one_error(
            f"{PAGE_PATH}:6:15: error: link 'https://desk:pw@example.org/contact' {credentials('https://example.org/contact')}"
        )

    def test_well_formed_markdown_links_build(self, tmp_path):
        links = "\n\n".join(f"[{n}]({url})" for n, url in enumerate(WELL_FORMED[:-1]))
        site = make_site(tmp_path, claims={"steel-contract": with_analysis(links + "\n\n[mail](mailto:desk@example.org) [rel](/about/)")})
        assert check(site) == (0, [])

    @pytest.mark.parametrize(
        "value, expected",
        [
            pytest.param(
                "example.org/desk",
                "error: --base-url 'example.org/desk' is not an http:// or https:// web address; "
                "write the whole address, such as --base-url https://example.org/desk",
                id="no-scheme",
            ),
            pytest.param(
                "/desk/",
                "error: --base-url '/desk/' is not an http:// or https:// web address; "
                "write the whole address, such as --base-url https://example.org/desk/",
                id="path-only",
            ),
            pytest.param(
                "https://example.org:99999/desk/",
                f"error: --base-url 'https://example.org:99999/desk/' {port('99999', 'https://example.org/desk/')}",
                id="bad-port",
            ),
            pytest.param(
                "https://token@example.org/desk/",
                f"error: --base-url 'https://token@example.org/desk/' {credentials('https://example.org/desk/')}",
                id="credentials",
            ),
            pytest.param(
                "https://example.org/de\nsk/",
                f"error: --base-url 'https://example.org/de\\nsk/' {SPACES}",
                id="newline",
            ),
            pytest.param(
                "javascript:alert(1)",
                "error: --base-url 'javascript:alert(1)' is not an http:// or https:// web address",
                id="javascript",
            ),
        ],
    )
    def test_a_bad_base_url_option_is_a_command_line_error(self, tmp_path, value, expected):
        site = make_site(tmp_path)
        result = run("build", "--site", site, "--out", tmp_path / "out", "--base-url", value)
        assert (result.returncode, result.stderr.splitlines(), result.stdout) == (2, [expected], "")
        assert not (tmp_path / "out").exists()

    def test_a_good_base_url_option_with_spaces_around_it_builds(self, tmp_path):
        site = make_site(tmp_path)
        result = run("build", "--site", site, "--out", tmp_path / "out", "--base-url", " https://facts.example.com/desk ")
        assert result.returncode == 0, result.stderr
        assert "https://facts.example.com/desk/claims/steel-contract/" in (tmp_path / "out" / "sitemap.xml").read_text()
