"""Every content problem: its file, line, column and wording, from load_site and from `check`."""

import os

import pytest

from conftest import (
    ARTICLE,
    CLAIM,
    PAGE,
    SITE_YAML,
    claim_citing,
    make_site,
    problems,
    run,
)

from factdesk import validation
from factdesk.validation import load_site

CLAIM_PATH = "content/claims/steel-contract.yaml"
ARTICLE_PATH = "content/articles/moscow-denial.txt"
PAGE_PATH = "content/pages/about.md"
NOT_ALLOWED = "is not allowed: only http, https, mailto and relative links are"


def claim_problems(tmp_path, text):
    return problems(make_site(tmp_path, claims={"steel-contract": text}))


def with_analysis(markdown: str) -> str:
    """The default claim with its analysis replaced; the analysis starts on line 10."""
    indented = "".join(f"  {line}\n" if line else "\n" for line in markdown.split("\n"))
    return CLAIM.split("analysis: |\n")[0] + "analysis: |\n" + indented


def with_citation(yaml_lines: str) -> str:
    """The default claim with one more citation (its first line is line 9)."""
    return CLAIM.replace("analysis: |\n", yaml_lines + "analysis: |\n")


# -- a valid site ----------------------------------------------------------------


def test_the_default_site_is_valid(site):
    loaded = load_site(site)
    assert loaded.problems == []
    assert loaded.ok


def test_problems_mean_no_site(tmp_path):
    loaded = load_site(make_site(tmp_path, claims={"steel-contract": CLAIM.replace("verdict:", "verdcit:")}))
    assert not loaded.ok
    assert loaded.site is None


def test_a_desk_of_100000_checks_is_within_the_limit_of_files_a_folder():
    assert validation.MAX_FILES >= 100_000  # the size the speed targets are set for (docs/speed.md)


def test_each_file_past_a_folders_limit_is_an_error_at_that_file(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "MAX_FILES", 2)
    pages = {f"page-{n}": PAGE.replace("About", f"About {n}") for n in range(1, 4)}
    assert problems(make_site(tmp_path, pages=pages)) == [
        "content/pages/page-3.md:1:1: error: content/pages/ holds more than 2 files; this one is past the limit"
    ]


# -- keys -----------------------------------------------------------------------


def test_misspelt_key_is_reported_with_a_suggestion(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("verdict:", "verdcit:")) == [
        f"{CLAIM_PATH}:1:1: error: missing required key 'verdict' (An id from the site's rating scale)",
        f"{CLAIM_PATH}:3:1: error: unknown key 'verdcit'; did you mean 'verdict'?",
    ]


def test_unknown_key_with_nothing_close_lists_the_keys(tmp_path):
    (message,) = claim_problems(tmp_path, CLAIM + "colour: red\n")
    assert message.startswith(f"{CLAIM_PATH}:11:1: error: unknown key 'colour'; the keys of a claim are: claim, claimant,")


def test_misspelt_key_in_a_citation(tmp_path):
    text = CLAIM.replace("    quote: Sources", "    qoute: Sources")
    assert f"{CLAIM_PATH}:8:5: error: unknown key 'qoute'; did you mean 'quote'?" in claim_problems(tmp_path, text)


def test_misspelt_key_in_article_front_matter(tmp_path):
    text = ARTICLE.replace("author: Staff", "autor: Staff")
    site = make_site(tmp_path, articles={"moscow-denial": text}, claims={})
    assert problems(site) == [f"{ARTICLE_PATH}:4:1: error: unknown key 'autor'; did you mean 'author'?"]


def test_misspelt_key_in_page_front_matter(tmp_path):
    site = make_site(tmp_path, pages={"about": PAGE.replace("nav: true", "nva: true")})
    assert problems(site) == [f"{PAGE_PATH}:3:1: error: unknown key 'nva'; did you mean 'nav'?"]


def test_misspelt_key_in_site_yaml(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML + "languag: en\n")
    assert problems(site) == ["site.yaml:6:1: error: unknown key 'languag'; did you mean 'language'?"]


def test_missing_required_key(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("claimant: Media reports\n", "")) == [
        f"{CLAIM_PATH}:1:1: error: missing required key 'claimant' (Who made the claim)"
    ]


def test_required_key_without_a_value(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("claimant: Media reports", "claimant:")) == [
        f"{CLAIM_PATH}:2:10: error: 'claimant' has no value (Who made the claim)"
    ]


def test_empty_text(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("claimant: Media reports", 'claimant: ""')) == [
        f"{CLAIM_PATH}:2:11: error: this text is empty; write something or remove the key"
    ]


def test_missing_required_key_of_a_citation(tmp_path):
    text = CLAIM.replace("    quote: Sources in Moscow admitted negotiations\n", "")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:7:5: error: missing required key 'quote' (Words quoted verbatim from the article; ... marks a gap)"
    ]


def test_citation_without_article_or_url(tmp_path):
    text = with_citation("  - note: Something\n")
    assert f"{CLAIM_PATH}:9:5: error: a citation needs 'article' or 'url'" in claim_problems(tmp_path, text)


def test_empty_citations(tmp_path):
    text = CLAIM.replace(
        "citations:\n  - article: moscow-denial\n    quote: Sources in Moscow admitted negotiations\n", "citations: []\n"
    )
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:6:12: error: needs at least one citation"]


def test_link_citation_needs_a_title(tmp_path):
    text = with_citation("  - url: https://example.org/report\n")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:9:5: error: missing required key 'title' (The page's title)"
    ]


# -- types ----------------------------------------------------------------------


def test_list_where_text_is_expected(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("claimant: Media reports", "claimant: [a, b]")) == [
        f"{CLAIM_PATH}:2:11: error: expected text, found a list"
    ]


def test_mapping_where_text_is_expected(tmp_path):
    text = CLAIM.replace("claimant: Media reports", "claimant:\n  name: Media")
    assert f"{CLAIM_PATH}:3:3: error: expected text, found a mapping of keys" in claim_problems(tmp_path, text)


def test_mapping_for_tags(tmp_path):
    assert claim_problems(tmp_path, CLAIM + "tags: {russia: yes}\n") == [
        f"{CLAIM_PATH}:11:7: error: expected a list of tags, found a mapping"
    ]


def test_single_tag_without_a_list_is_one_tag(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + "tags: russia\n"})
    assert load_site(site).site.claims[0].tags == ("russia",)


def test_text_where_citations_list_is_expected(tmp_path):
    text = CLAIM.replace(
        "citations:\n  - article: moscow-denial\n    quote: Sources in Moscow admitted negotiations\n",
        "citations: moscow-denial\n",
    )
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:6:12: error: expected a list of citations (one '- ' line each)"
    ]


def test_not_a_boolean(tmp_path):
    assert claim_problems(tmp_path, CLAIM + "draft: maybe\n") == [
        f"{CLAIM_PATH}:11:8: error: expected true or false, found 'maybe'"
    ]


def test_site_yaml_that_is_a_list(tmp_path):
    site = make_site(tmp_path, site_yaml="- title\n- base_url\n")
    (message,) = problems(site)
    assert message.startswith("site.yaml:1:1: error: expected site.yaml (keys and values), found a list")


# -- verdicts ---------------------------------------------------------------------


def test_unknown_verdict_with_suggestion(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace('"false"', "flase")) == [
        f"{CLAIM_PATH}:3:10: error: 'flase' is not on the site's rating scale; did you mean 'false'? "
        "The scale: true, mostly-true, misleading, mostly-false, false, unproven"
    ]


def test_unknown_verdict_against_the_sites_own_scale(tmp_path):
    scale = "verdicts:\n  - id: accurate\n    label: Accurate\n    description: Right.\n"
    site = make_site(tmp_path, site_yaml=SITE_YAML + scale)
    assert problems(site) == [
        f"{CLAIM_PATH}:3:10: error: 'false' is not on the site's rating scale; the scale: accurate"
    ]


def test_verdict_of_the_sites_own_scale_is_accepted(tmp_path):
    scale = "verdicts:\n  - id: accurate\n    label: Accurate\n    description: Right.\n"
    site = make_site(
        tmp_path, site_yaml=SITE_YAML + scale, claims={"steel-contract": CLAIM.replace('"false"', "accurate")}
    )
    assert load_site(site).site.claims[0].verdict.label == "Accurate"


# -- articles referred to ----------------------------------------------------------


def test_unknown_article_id_with_suggestion(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("article: moscow-denial", "article: moscow-denail")) == [
        f"{CLAIM_PATH}:7:14: error: no archived article 'moscow-denail' (content/articles/moscow-denail.txt); "
        "did you mean 'moscow-denial'? Or archive it with: python build.py archive URL --id moscow-denail"
    ]


def test_unknown_article_id_in_appeared_in(tmp_path):
    assert claim_problems(tmp_path, CLAIM + "appeared_in: [moscow-denial, other-story]\n") == [
        f"{CLAIM_PATH}:11:30: error: no archived article 'other-story' (content/articles/other-story.txt);"
        " archive it with: python build.py archive URL --id other-story"
    ]


def test_appeared_in_takes_article_ids_and_urls(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM + "appeared_in: [moscow-denial, 'https://x.example/a']\n"})
    (claim,) = load_site(site).site.claims
    assert [(a.article.id if a.article else None, a.url) for a in claim.appeared_in] == [
        ("moscow-denial", None),
        (None, "https://x.example/a"),
    ]


def test_article_with_errors_is_not_reported_as_missing(tmp_path):
    text = ARTICLE.replace("title: Russia", "titel: Russia")
    site = make_site(tmp_path, articles={"moscow-denial": text})
    assert not any("no archived article" in p for p in problems(site))


def test_article_id_cannot_name_a_path(tmp_path):
    (message,) = claim_problems(tmp_path, CLAIM.replace("article: moscow-denial", "article: ../../etc/passwd"))
    assert message.startswith(f"{CLAIM_PATH}:7:14: error: article id '../../etc/passwd' must be lowercase letters")


# -- dates ----------------------------------------------------------------------


def test_date_that_does_not_exist(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("2025-06-02", "2025-02-30")) == [
        f"{CLAIM_PATH}:5:12: error: '2025-02-30' is not a date that exists"
    ]


def test_date_in_another_format(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("2025-06-02", "02/06/2025")) == [
        f"{CLAIM_PATH}:5:12: error: '02/06/2025' is not a date; write it as YYYY-MM-DD"
    ]


def test_month_13_in_an_update(tmp_path):
    text = CLAIM + "updates:\n  - date: 2025-13-01\n    note: Fixed.\n"
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:12:11: error: '2025-13-01' is not a date that exists"]


def test_a_zero_day_or_month_is_a_date_that_does_not_exist(tmp_path):
    assert claim_problems(tmp_path, CLAIM.replace("2025-06-02", "2025-06-00")) == [
        f"{CLAIM_PATH}:5:12: error: '2025-06-00' is not a date that exists"
    ]
    site = make_site(tmp_path / "partial", articles={"moscow-denial": ARTICLE.replace("published: 2025-05-30", "published: 2025-00")})
    assert [str(p) for p in problems(site)] == ["content/articles/moscow-denial.txt:5:12: error: '2025-00' is not a date that exists"]


def test_article_may_have_a_partial_date(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": ARTICLE.replace("published: 2025-05-30", "published: 2025-05")})
    assert problems(site) == []


def test_claim_date_must_be_a_full_date(tmp_path):
    assert claim_problems(tmp_path, CLAIM + "claim_date: 2025-05\n") == [
        f"{CLAIM_PATH}:11:13: error: '2025-05' is not a date; write it as YYYY-MM-DD"
    ]


# -- file names and slugs ------------------------------------------------------------


def test_claim_file_name_that_is_not_a_slug(tmp_path):
    site = make_site(tmp_path, claims={"Steel_Contract": CLAIM})
    assert problems(site) == [
        "content/claims/Steel_Contract.yaml:1:1: error: the file name 'Steel_Contract' must be lowercase letters, "
        "digits and hyphens, with no spaces; try 'steel-contract'"
    ]


def test_article_file_name_with_a_space(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": ARTICLE, "Bad Name": ARTICLE})
    (message,) = problems(site)
    assert message.startswith("content/articles/Bad Name.txt:1:1: error: the file name 'Bad Name' must be lowercase")
    assert message.endswith("try 'bad-name'")


def test_page_file_name_that_is_not_a_slug(tmp_path):
    (message,) = problems(make_site(tmp_path, pages={"About_Us": PAGE}))
    assert message.startswith("content/pages/About_Us.md:1:1: error: the file name 'About_Us'")


def test_claim_file_with_another_extension(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract.yml": CLAIM})
    assert problems(site) == [
        "content/claims/steel-contract.yml:1:1: error: content/claims/ holds only .yaml files; rename or move this one"
    ]


def test_folder_inside_a_content_folder(tmp_path):
    site = make_site(tmp_path)
    (site / "content" / "claims" / "old").mkdir()
    (message,) = problems(site)
    assert message.startswith("content/claims/old:1:1: error: content/claims/ holds no folders")


def test_link_to_a_file_outside_the_site_is_refused(tmp_path):
    site = make_site(tmp_path, articles={})
    outside = tmp_path / "secret.txt"
    outside.write_text(ARTICLE)
    os.symlink(outside, site / "content" / "articles" / "moscow-denial.txt")
    (message, *_) = problems(site)
    assert message.startswith(f"{ARTICLE_PATH}:1:1: error: this is a link to a file outside the site folder")


def test_tags_that_name_a_path_or_hide_a_character(tmp_path):
    # topics are labels in any script (tests/test_scripts_labels.py); a slash or an invisible character is not
    assert claim_problems(tmp_path, CLAIM + "tags: [Steel Mills, ok, ../up, \"a\\u200bb\"]\n") == [
        f"{CLAIM_PATH}:11:25: error: tag '../up' holds a slash; a topic is a word or a few, such as 'steel mills'",
        f"{CLAIM_PATH}:11:32: error: tag 'a\u200bb' holds an invisible character (U+200B); delete it",
    ]


def test_overlong_slug(tmp_path):
    (message,) = claim_problems(tmp_path, CLAIM + f"tags: [{'a' * 81}]\n")
    assert message == f"{CLAIM_PATH}:11:8: error: tag '{'a' * 81}' is longer than 80 characters"


@pytest.mark.parametrize("slug", ["claims", "tags", "verdicts", "sources", "static", "404", "index"])
def test_page_named_like_a_reserved_output(tmp_path, slug):
    site = make_site(tmp_path, pages={slug: PAGE})
    assert problems(site) == [
        f"content/pages/{slug}.md:1:1: error: the page name '{slug}' is taken by the site's own pages; rename the file"
    ]


# -- web addresses ---------------------------------------------------------------


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "example.org/x"])
def test_bad_url_in_a_link_citation(tmp_path, bad):
    text = with_citation(f"  - url: '{bad}'\n    title: A page\n")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:9:10: error: '{bad}' is not an http:// or https:// web address"
    ]


def test_protocol_relative_url_in_a_citation(tmp_path):
    text = with_citation("  - url: //evil.example/x\n    title: A page\n")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:9:10: error: '//evil.example/x' is not an http:// or https:// web address"
    ]


def test_url_with_a_space(tmp_path):
    text = with_citation("  - url: https://example.org/a page\n    title: A page\n")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:9:10: error: 'https://example.org/a page' contains spaces or control characters; "
        "it is not a web address: write each space as %20 and remove the other characters"
    ]


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,x"])
def test_bad_url_in_appeared_in(tmp_path, bad):
    assert claim_problems(tmp_path, CLAIM + f"appeared_in: ['{bad}']\n") == [
        f"{CLAIM_PATH}:11:15: error: '{bad}' is not an http:// or https:// web address"
    ]


def test_bad_url_of_an_article(tmp_path):
    text = ARTICLE.replace("url: https://news.example.com/story", "url: javascript:alert(1)")
    site = make_site(tmp_path, articles={"moscow-denial": text})
    assert f"{ARTICLE_PATH}:6:6: error: 'javascript:alert(1)' is not an http:// or https:// web address" in problems(site)


def test_bad_archive_url_of_an_article(tmp_path):
    text = ARTICLE.replace("author: Staff", "archive_url: data:text/html,hi")
    site = make_site(tmp_path, articles={"moscow-denial": text})
    assert f"{ARTICLE_PATH}:4:14: error: 'data:text/html,hi' is not an http:// or https:// web address" in problems(site)


def test_mixed_case_scheme_url_is_accepted(tmp_path):
    text = with_citation("  - url: HTTPS://example.org/x\n    title: A page\n")
    assert claim_problems(tmp_path, text) == []


# -- links in Markdown ----------------------------------------------------------------


def test_javascript_link_in_analysis_at_its_line_and_column(tmp_path):
    text = with_analysis("The record shows talks.\n\nSee [this](javascript:alert(1)) now.")
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:12:14: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_link_on_a_later_line_of_a_paragraph(tmp_path):
    text = with_analysis("The record shows talks\nand [this](javascript:alert(1)) too.")
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:11:14: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_mixed_case_javascript_link(tmp_path):
    text = with_analysis("The record shows talks\nand [this](JaVaScRiPt:alert(1)) too.")
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:11:14: error: link 'JaVaScRiPt:alert(1)' {NOT_ALLOWED}"]


def test_javascript_link_with_spaces_around_it(tmp_path):
    text = with_analysis("See [this]( javascript:alert(1) ).")
    (message,) = claim_problems(tmp_path, text)
    assert message.startswith(f"{CLAIM_PATH}:10:")
    assert NOT_ALLOWED in message


def test_entity_encoded_javascript_link_at_its_line_and_column(tmp_path):
    text = with_analysis("The record shows talks\nand [x](&#106;avascript:alert(1)) too.")
    (message,) = claim_problems(tmp_path, text)
    assert message.startswith(f"{CLAIM_PATH}:11:11: error: link 'javascript:alert(1)'")


def test_entity_encoded_javascript_link_is_refused(tmp_path):
    text = with_analysis("See [x](&#106;avascript:alert(1)).")
    (message,) = claim_problems(tmp_path, text)
    assert message.startswith(f"{CLAIM_PATH}:10:")
    assert NOT_ALLOWED in message


def test_autolink_with_javascript_scheme(tmp_path):
    text = with_analysis("The record shows talks\nand <javascript:alert(1)> too.")
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:11:8: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_protocol_relative_link(tmp_path):
    text = with_analysis("See [p](//evil.example/x).")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:10:11: error: link '//evil.example/x' leaves out the scheme; write https://evil.example/x"
    ]


def test_image_with_data_url(tmp_path):
    text = with_analysis("See ![chart](data:image/png;base64,AAAA).")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:10:16: error: link 'data:image/png;base64,AAAA' {NOT_ALLOWED}"
    ]


def test_same_bad_link_twice_is_reported_at_each_line(tmp_path):
    text = with_analysis("See [a](javascript:void(0)) and\nsee [b](javascript:void(0)) too.")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:10:11: error: link 'javascript:void(0)' {NOT_ALLOWED}",
        f"{CLAIM_PATH}:11:11: error: link 'javascript:void(0)' {NOT_ALLOWED}",
    ]


def test_reference_link_is_reported_at_its_definition(tmp_path):
    text = with_analysis("Talks.\n\nSee [ref].\n\n[ref]: javascript:alert(1)")
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:14:9: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_reference_link_with_a_bad_scheme_is_refused(tmp_path):
    text = with_analysis("Talks.\n\nSee [ref].\n\n[ref]: javascript:alert(1)")
    messages = claim_problems(tmp_path, text)
    assert messages
    assert all(NOT_ALLOWED in m for m in messages)


@pytest.mark.parametrize(
    "target", ["https://example.org/", "http://example.org/", "mailto:desk@example.org", "/about/", "../x", "#top"]
)
def test_allowed_links(tmp_path, target):
    assert claim_problems(tmp_path, with_analysis(f"See [this]({target}).")) == []


def test_link_in_a_quoted_analysis(tmp_path):
    text = CLAIM.split("analysis: |\n")[0] + 'analysis: "See [x](javascript:alert(1))."\n'
    assert claim_problems(tmp_path, text) == [f"{CLAIM_PATH}:9:20: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_javascript_link_in_a_page_at_its_line_and_column(tmp_path):
    site = make_site(tmp_path, pages={"about": PAGE + "\nSee [x](javascript:alert(1)).\n"})
    assert problems(site) == [f"{PAGE_PATH}:7:9: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_vbscript_link_in_a_page_list_item(tmp_path):
    site = make_site(tmp_path, pages={"about": PAGE + "\n- one\n- see [x](VBScript:x)\n"})
    assert problems(site) == [f"{PAGE_PATH}:8:11: error: link 'VBScript:x' {NOT_ALLOWED}"]


def test_autolink_in_a_page(tmp_path):
    site = make_site(tmp_path, pages={"about": PAGE + "\nWrite <javascript:alert(1)>.\n"})
    assert problems(site) == [f"{PAGE_PATH}:7:8: error: link 'javascript:alert(1)' {NOT_ALLOWED}"]


def test_code_spans_and_raw_html_are_not_links(tmp_path):
    page = PAGE + '\n`[x](javascript:no)`\n\n    [y](javascript:no)\n\n<a href="javascript:x">raw</a>\n'
    assert problems(make_site(tmp_path, pages={"about": page})) == []


# -- quotes ------------------------------------------------------------------------------


def test_quote_not_found_is_reported_at_the_quote_with_a_hint(tmp_path):
    text = CLAIM.replace("admitted negotiations", "denied negotiations")
    assert claim_problems(tmp_path, text) == [
        f"{CLAIM_PATH}:8:12: error: quote not found in 'moscow-denial': the quote is not in the article; "
        'the closest passage is: "Sources in Moscow admitted negotiations"'
    ]


def test_quote_in_a_block_scalar_is_reported_at_its_indicator(tmp_path):
    text = claim_citing("Nothing like this at all anywhere")
    (message,) = claim_problems(tmp_path, text)
    assert message.startswith(f"{CLAIM_PATH}:8:12: error: quote not found in 'moscow-denial'")


# -- site.yaml -----------------------------------------------------------------------------


def test_missing_base_url(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML.replace("base_url: https://example.org/\n", ""))
    assert problems(site) == [
        "site.yaml:1:1: error: missing required key 'base_url' "
        "(The site's public address; its path is the base path of every link)"
    ]


@pytest.mark.parametrize("bad", ["ftp://example.org/", "example.org", "javascript:alert(1)", "/steel-desk/"])
def test_base_url_that_is_not_http(tmp_path, bad):
    site = make_site(tmp_path, site_yaml=SITE_YAML.replace("base_url: https://example.org/", f"base_url: '{bad}'"))
    assert problems(site) == [f"site.yaml:2:11: error: '{bad}' is not an http:// or https:// web address"]


def test_missing_publisher(tmp_path):
    yaml = "title: Test Desk\nbase_url: https://example.org/\n"
    assert problems(make_site(tmp_path, site_yaml=yaml)) == [
        "site.yaml:1:1: error: missing required key 'publisher' (The organisation behind every review)"
    ]


def test_duplicate_verdict_ids(tmp_path):
    scale = (
        "verdicts:\n"
        "  - id: accurate\n    label: Accurate\n    description: Right.\n"
        "  - id: accurate\n    label: Also accurate\n    description: Right too.\n"
    )
    site = make_site(tmp_path, site_yaml=SITE_YAML + scale, claims={})
    assert problems(site) == ["site.yaml:10:5: error: the verdict id 'accurate' is used twice; ids must differ"]


def test_verdict_id_that_is_not_a_slug(tmp_path):
    scale = "verdicts:\n  - id: Not Sure\n    label: Not sure\n    description: Unclear.\n"
    (message,) = problems(make_site(tmp_path, site_yaml=SITE_YAML + scale, claims={}))
    assert message.startswith("site.yaml:7:9: error: verdict id 'Not Sure' must be lowercase letters")


def test_empty_verdict_scale(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML + "verdicts: []\n", claims={})
    assert problems(site) == ["site.yaml:6:11: error: needs at least one verdict"]


def test_verdict_without_description(tmp_path):
    scale = "verdicts:\n  - id: accurate\n    label: Accurate\n"
    assert problems(make_site(tmp_path, site_yaml=SITE_YAML + scale, claims={})) == [
        "site.yaml:7:5: error: missing required key 'description' (When this verdict is given, in a sentence or two)"
    ]


# -- everything in one run ---------------------------------------------------------------------

BROKEN = {
    "site_yaml": SITE_YAML + "languag: en\n",
    "articles": {"moscow-denial": ARTICLE, "other-story": ARTICLE.replace("author: Staff", "autor: Staff")},
    "claims": {
        "steel-contract": CLAIM.replace("claimant: Media reports", "claimant: [a]") + "tags: [bad/tag]\n",
        "another": CLAIM.replace("2025-06-02", "2025-02-30"),
    },
    "pages": {"about": PAGE.replace("nav: true", "nav: maybe"), "claims": PAGE},
}
BROKEN_LINES = [
    "content/articles/other-story.txt:4:1: error: unknown key 'autor'; did you mean 'author'?",
    "content/claims/another.yaml:5:12: error: '2025-02-30' is not a date that exists",
    f"{CLAIM_PATH}:2:11: error: expected text, found a list",
    f"{CLAIM_PATH}:11:8: error: tag 'bad/tag' holds a slash; a topic is a word or a few, such as 'steel mills'",
    PAGE_PATH + ":3:6: error: expected true or false, found 'maybe'",
    "content/pages/claims.md:1:1: error: the page name 'claims' is taken by the site's own pages; rename the file",
    "site.yaml:6:1: error: unknown key 'languag'; did you mean 'language'?",
]


def test_all_problems_of_all_files_are_reported_sorted(tmp_path):
    assert problems(make_site(tmp_path, **BROKEN)) == BROKEN_LINES


def test_check_prints_every_problem_then_the_count(tmp_path):
    result = run("check", "--site", make_site(tmp_path, **BROKEN))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [*BROKEN_LINES, "7 errors in 6 files"]
    assert result.stdout == ""


def test_check_counts_one_error(tmp_path):
    result = run("check", "--site", make_site(tmp_path, claims={"steel-contract": CLAIM.replace("verdict:", "verdcit:")}))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "2 errors in 1 file"
    one = run("check", "--site", make_site(tmp_path, name="one", claims={"steel-contract": CLAIM + "draft: maybe\n"}))
    assert one.stderr.splitlines() == [f"{CLAIM_PATH}:11:8: error: expected true or false, found 'maybe'", "1 error in 1 file"]


def test_check_lines_are_parseable(tmp_path):
    result = run("check", "--site", make_site(tmp_path, **BROKEN))
    import re

    pattern = re.compile(r"^(?P<path>[^:]+):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): error: (?P<message>.+)$")
    *errors, count = result.stderr.splitlines()
    assert all(pattern.match(line) for line in errors), errors
    assert not pattern.match(count)


def test_check_sorts_lines_numerically(tmp_path):
    text = CLAIM.replace("verdict:", "verdcit:") + "colour: red\n"
    result = run("check", "--site", make_site(tmp_path, claims={"steel-contract": text}))
    lines = [line.split(": error")[0] for line in result.stderr.splitlines()[:-1]]
    assert lines == [f"{CLAIM_PATH}:1:1", f"{CLAIM_PATH}:3:1", f"{CLAIM_PATH}:11:1"]


def test_check_is_run_from_the_site_folder_by_default(tmp_path):
    site = make_site(tmp_path, **BROKEN)
    result = run("check", cwd=site)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == BROKEN_LINES[0]


def test_check_paths_are_relative_to_the_site_folder_wherever_it_is_run(tmp_path):
    site = make_site(tmp_path, **BROKEN)
    result = run("check", "--site", "site", cwd=tmp_path)
    assert result.stderr.splitlines()[0] == BROKEN_LINES[0]


def test_check_of_a_valid_site_exits_0(site):
    result = run("check", "--site", site)
    assert result.returncode == 0
    assert result.stderr == ""
    assert "1 checks" in result.stdout or "1 check" in result.stdout


def test_check_reports_drafts_too(tmp_path):
    text = CLAIM.replace("verdict:", "verdcit:") + "draft: true\n"
    result = run("check", "--site", make_site(tmp_path, claims={"steel-contract": text}))
    assert result.returncode == 1
    assert f"{CLAIM_PATH}:3:1: error: unknown key 'verdcit'; did you mean 'verdict'?" in result.stderr


def test_build_reports_the_same_problems(tmp_path):
    site = make_site(tmp_path, **BROKEN)
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines()[: len(BROKEN_LINES) + 1] == [*BROKEN_LINES, "7 errors in 6 files"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["claimants", "search", "cards", "pagefind"])
def test_a_page_cannot_take_the_name_of_a_generated_folder(tmp_path, name):
    site = make_site(tmp_path, pages={name: PAGE})
    assert f"content/pages/{name}.md:1:1: error: the page name '{name}' is taken by the site's own pages; rename the file" in problems(site)
