"""Reading files: YAML values stay what the editor wrote, and bad files are refused with a position."""

import codecs
import datetime as dt


from conftest import ARTICLE, CLAIM, PAGE, SITE_YAML, make_site, only_claim, problems, run

CLAIM_PATH = "content/claims/steel-contract.yaml"


def claim_site(tmp_path, text):
    return make_site(tmp_path, claims={"steel-contract": text})


# -- values stay text ----------------------------------------------------------


def test_bare_false_verdict_is_the_verdict_false(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace('verdict: "false"', "verdict: false"))
    assert only_claim(site).verdict.id == "false"


def test_bare_true_verdict_is_the_verdict_true(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace('verdict: "false"', "verdict: true"))
    assert only_claim(site).verdict.id == "true"


def test_no_in_a_text_field_stays_no(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace("claimant: Media reports", "claimant: no"))
    assert only_claim(site).claimant == "no"


def test_yes_and_on_in_text_fields_stay_text(tmp_path):
    site = claim_site(tmp_path, CLAIM + "headline: on\nauthor: yes\n")
    claim = only_claim(site)
    assert (claim.headline, claim.author.name) == ("on", "yes")  # a name as written: the site lists no people


def test_yes_and_no_as_tags_stay_text(tmp_path):
    site = claim_site(tmp_path, CLAIM + "tags: [no, yes, off]\n")
    assert only_claim(site).tags == ("no", "yes", "off")


def test_sexagesimal_looking_text_stays_as_written(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace("summary: No contract was signed.", "summary: 1:30"))
    assert only_claim(site).summary == "1:30"


def test_numbers_in_text_fields_keep_their_spelling(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace("claimant: Media reports", "claimant: 0x1F"))
    assert only_claim(site).claimant == "0x1F"


def test_null_looking_text_in_quotes_is_text(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace("claimant: Media reports", 'claimant: "null"'))
    assert only_claim(site).claimant == "null"


def test_dates_written_as_yaml_dates_are_dates(tmp_path):
    site = claim_site(tmp_path, CLAIM + "claim_date: 2025-05-14\n")
    claim = only_claim(site)
    assert claim.published == dt.date(2025, 6, 2)
    assert claim.claim_date == dt.date(2025, 5, 14)


def test_dates_written_in_quotes_are_dates_too(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace("published: 2025-06-02", "published: '2025-06-02'"))
    assert only_claim(site).published == dt.date(2025, 6, 2)


def test_draft_yes_means_true(tmp_path):
    site = claim_site(tmp_path, CLAIM + "draft: yes\n")
    from factdesk.validation import load_site

    assert load_site(site).site.claims == ()
    assert load_site(site, include_drafts=True).site.claims[0].draft is True


# -- YAML features that are refused ------------------------------------------


def test_duplicate_key_is_an_error_at_the_second_key_naming_the_first(tmp_path):
    text = CLAIM.replace("summary: No contract was signed.\n", "summary: a\nclaimant: again\n")
    assert problems(claim_site(tmp_path, text)) == [
        f"{CLAIM_PATH}:5:1: error: duplicate key 'claimant' (first set on line 2); keep only one"
    ]


def test_duplicate_key_in_a_nested_mapping(tmp_path):
    text = CLAIM.replace(
        "    quote: Sources in Moscow admitted negotiations\n",
        "    quote: Sources in Moscow admitted negotiations\n    article: moscow-denial\n",
    )
    assert problems(claim_site(tmp_path, text)) == [
        f"{CLAIM_PATH}:9:5: error: duplicate key 'article' (first set on line 7); keep only one"
    ]


def test_anchor_is_refused_at_its_line(tmp_path):
    text = CLAIM.replace("claimant: Media reports", "claimant: &who Media reports")
    assert problems(claim_site(tmp_path, text)) == [
        f"{CLAIM_PATH}:2:11: error: YAML anchors (&who) are not supported; write the value out"
    ]


def test_alias_is_refused_at_its_line(tmp_path):
    text = CLAIM.replace("summary: No contract was signed.", "summary: *who")
    assert problems(claim_site(tmp_path, text)) == [
        f"{CLAIM_PATH}:4:10: error: YAML aliases (*who) are not supported; write the value out"
    ]


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    laughs = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    text = "l0: &l0 lol\n" + laughs + CLAIM
    (message,) = problems(claim_site(tmp_path, text))
    assert message.startswith(f"{CLAIM_PATH}:1:5: error: YAML anchors (&l0) are not supported")


def test_yaml_tags_are_refused(tmp_path):
    text = CLAIM.replace("claimant: Media reports", "claimant: !!python/object:os.system echo")
    (message,) = problems(claim_site(tmp_path, text))
    assert message.startswith(f"{CLAIM_PATH}:2:11: error: YAML tags")


def test_deep_nesting_is_refused_without_crashing(tmp_path):
    # in a subprocess: a crash of the YAML parser would take the test run with it
    site = claim_site(tmp_path, "claim: " + "[" * 100_000 + "\n")
    result = run("check", "--site", site)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{CLAIM_PATH}:1:")
    assert "nested more than" in lines[0]
    assert lines[-1] == "1 error in 1 file"


def test_deep_nesting_of_mappings_is_refused(tmp_path):
    site = claim_site(tmp_path, "claim: " + "{a: " * 100_000 + "\n")
    result = run("check", "--site", site)
    assert result.returncode == 1
    assert "nested more than" in result.stderr


def test_nesting_that_entries_need_is_accepted(tmp_path):
    site = claim_site(tmp_path, CLAIM + "updates:\n  - date: 2025-07-01\n    note: Fixed a typo.\n")
    assert only_claim(site).updates[0].note == "Fixed a typo."


def test_second_yaml_document_is_refused(tmp_path):
    text = CLAIM + "---\nclaim: another\n"
    assert problems(claim_site(tmp_path, text)) == [
        f"{CLAIM_PATH}:11:1: error: only one YAML document is allowed here; remove the extra '---'"
    ]


def test_a_leading_document_marker_is_fine(tmp_path):
    site = claim_site(tmp_path, "---\n" + CLAIM)
    assert only_claim(site).claimant == "Media reports"


def test_yaml_syntax_error_is_reported_at_its_line(tmp_path):
    text = CLAIM.replace("summary: No contract was signed.", "summary: No contract: was signed.")
    (message,) = problems(claim_site(tmp_path, text))
    assert message.startswith(f"{CLAIM_PATH}:4:21: error: YAML syntax error")


def test_yaml_syntax_error_says_what_is_wrong(tmp_path):
    text = CLAIM.replace("summary: No contract was signed.", "summary: No contract: was signed.")
    (message,) = problems(claim_site(tmp_path, text))
    assert "mapping values are not allowed" in message
    assert "double quotes" in message


def test_bad_indentation_is_reported_at_its_line(tmp_path):
    text = CLAIM.replace("    quote: Sources", "   quote: Sources")
    (message,) = problems(claim_site(tmp_path, text))
    assert message.startswith(f"{CLAIM_PATH}:8:")
    assert "YAML syntax error" in message


def test_unclosed_quoted_string_is_reported_where_it_opens(tmp_path):
    text = CLAIM.replace("summary: No contract was signed.", 'summary: "No contract was signed.')
    (message,) = problems(claim_site(tmp_path, text))
    assert message.startswith(f"{CLAIM_PATH}:4:"), message


def test_syntax_error_in_front_matter_counts_lines_from_the_file_start(tmp_path):
    text = ARTICLE.replace("publisher: Wire Service", "publisher: Wire: Service")
    site = make_site(tmp_path, articles={"moscow-denial": text}, claims={})
    (message,) = problems(site)
    assert message.startswith("content/articles/moscow-denial.txt:3:16: error: YAML syntax error")


# -- encodings and line ends ----------------------------------------------------


def test_utf8_bom_is_accepted(tmp_path):
    site = claim_site(tmp_path, codecs.BOM_UTF8 + CLAIM.encode("utf-8"))
    assert only_claim(site).claim == "Russia and Pakistan signed a steel-mill contract."


def test_utf8_bom_in_an_article_is_accepted_and_keeps_front_matter(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": codecs.BOM_UTF8 + ARTICLE.encode("utf-8")})
    assert only_claim(site).citations[0].article.title == "Russia denies reports on steel mill"


def test_utf16_is_refused(tmp_path):
    site = claim_site(tmp_path, CLAIM.encode("utf-16"))
    assert problems(site) == [f"{CLAIM_PATH}:1:1: error: the file is saved as UTF-16; save it as UTF-8"]


def test_utf16_big_endian_is_refused(tmp_path):
    site = claim_site(tmp_path, codecs.BOM_UTF16_BE + CLAIM.encode("utf-16-be"))
    assert problems(site) == [f"{CLAIM_PATH}:1:1: error: the file is saved as UTF-16; save it as UTF-8"]


def test_invalid_utf8_is_reported_at_its_line_and_column(tmp_path):
    text = CLAIM.encode("utf-8").replace(b"Media reports", b"M\xe9dia reports")  # Latin-1 é
    assert problems(claim_site(tmp_path, text)) == [
        f"{CLAIM_PATH}:2:12: error: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_invalid_utf8_column_counts_characters_not_bytes(tmp_path):
    # "claimant: é M" is 13 characters (14 bytes): the bad byte is the 14th character
    text = CLAIM.encode("utf-8").replace(b"Media reports", "é M".encode("utf-8") + b"\xe9dia")
    (message,) = problems(claim_site(tmp_path, text))
    assert message.startswith(f"{CLAIM_PATH}:2:14: error: the file is not valid UTF-8")


def test_crlf_line_ends_are_accepted(tmp_path):
    site = claim_site(tmp_path, CLAIM.replace("\n", "\r\n"))
    claim = only_claim(site)
    assert claim.claimant == "Media reports"
    assert "\r" not in claim.analysis_html


def test_crlf_positions_count_lines_like_lf(tmp_path):
    text = CLAIM.replace("verdict:", "verdcit:").replace("\n", "\r\n")
    assert f"{CLAIM_PATH}:3:1: error: unknown key 'verdcit'; did you mean 'verdict'?" in problems(
        claim_site(tmp_path, text)
    )


def test_quotes_match_in_a_crlf_article(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": ARTICLE.replace("\n", "\r\n")})
    (citation,) = only_claim(site).citations
    assert citation.article.title == "Russia denies reports on steel mill"
    assert "\r" not in citation.article.text


def test_quote_across_a_crlf_line_break_matches(tmp_path):
    body = "Sources in Moscow admitted\r\nnegotiations taking place.\r\n"
    article = ARTICLE.split("---\n")[1]
    text = ("---\n" + article + "---\n").replace("\n", "\r\n") + body
    site = make_site(tmp_path, articles={"moscow-denial": text})
    (citation,) = only_claim(site).citations
    assert [s.text for s in citation.match.segments if s.kind == "quote"] == ["Sources in Moscow admitted negotiations"]


# -- empty and unfinished files -------------------------------------------------


def test_empty_claim_file_is_reported(tmp_path):
    (message,) = problems(claim_site(tmp_path, ""))
    assert message.startswith(f"{CLAIM_PATH}:1:1: error: the file is empty")


def test_claim_file_of_only_comments_is_reported_as_empty(tmp_path):
    (message,) = problems(claim_site(tmp_path, "# nothing yet\n"))
    assert message.startswith(f"{CLAIM_PATH}:1:1: error: the file is empty")


def test_empty_site_yaml_is_reported(tmp_path):
    site = make_site(tmp_path, site_yaml="")
    assert problems(site) == ["site.yaml:1:1: error: site.yaml is empty; it needs at least title, base_url and publisher"]


def test_missing_site_yaml_is_reported(tmp_path):
    site = make_site(tmp_path)
    (site / "site.yaml").unlink()
    (message,) = problems(site)
    assert message.startswith("site.yaml:1:1: error: there is no site.yaml here")


def test_empty_article_is_reported(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": ""}, claims={})
    assert problems(site) == [
        "content/articles/moscow-denial.txt:1:1: error: the file needs front matter: "
        "a '---' line, keys such as title, and another '---' line"
    ]


def test_article_without_text_after_front_matter_is_reported(tmp_path):
    front = ARTICLE.split("Moscow, May 30")[0]
    site = make_site(tmp_path, articles={"moscow-denial": front}, claims={})
    assert problems(site) == [
        "content/articles/moscow-denial.txt:8:1: error: the article has no text after its front matter; "
        "paste the article's text"
    ]


def test_empty_page_is_reported(tmp_path):
    site = make_site(tmp_path, pages={"about": ""})
    (message,) = problems(site)
    assert message.startswith("content/pages/about.md:1:1: error: the file needs front matter")


def test_empty_front_matter_is_reported(tmp_path):
    site = make_site(tmp_path, pages={"about": "---\n---\nText.\n"})
    (message,) = problems(site)
    assert message.startswith("content/pages/about.md:1:1: error: the front matter is empty")


def test_front_matter_never_closed_in_an_article(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": "---\ntitle: x\npublisher: y\n"}, claims={})
    assert problems(site) == [
        "content/articles/moscow-denial.txt:1:1: error: the front matter opened with '---' is never closed; "
        "add a '---' line after it"
    ]


def test_front_matter_never_closed_in_a_page(tmp_path):
    site = make_site(tmp_path, pages={"about": "---\ntitle: About\nnav: true\nWe check claims.\n"})
    (message,) = problems(site)
    assert message.startswith("content/pages/about.md:1:1: error: the front matter opened with '---' is never closed")


def test_front_matter_closed_at_end_of_file_without_newline(tmp_path):
    site = make_site(tmp_path, pages={"about": "---\ntitle: About\n---"})
    assert problems(site) == []


def test_nul_byte_is_reported(tmp_path):
    site = make_site(tmp_path, pages={"about": PAGE + "\x00binary\n"})
    (message,) = problems(site)
    assert message.startswith("content/pages/about.md:6:1: error:")
    assert "NUL" in message


def test_hidden_files_in_content_folders_are_ignored(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": CLAIM, ".DS_Store": b"\x00\x01"})
    assert problems(site) == []


def test_site_yaml_values_stay_text(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML.replace("title: Test Desk", "title: no"))
    from factdesk.validation import load_site

    assert load_site(site).site.config.title == "no"
