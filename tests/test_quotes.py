"""Quotes (SPEC "Quotes"): what matching forgives, what it does not, and how a quote is shown and linked."""

from urllib.parse import unquote

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from conftest import article, claim_citing, html_page, make_site, only_claim, problems, build_site

from factdesk.quotes import QuoteMatch, QuoteMiss, find_quote, fold

ARTICLE = (
    "Moscow, May 30 (IANS) Russia on Friday rubbished \u201cfake reports\u201d about the mill\u2019s future \u2014 "
    "and its \u2018partners\u2019.\n"
    "Sources in Moscow admitted negotiations taking place on the issue.\n"
    "\n"
    "The deal, worth $1.5 billion, was not signed. Officials said talks would resume in July."
)


def found(quote: str, source: str = ARTICLE) -> QuoteMatch:
    match = find_quote(quote, source)
    assert isinstance(match, QuoteMatch), match
    return match


def missed(quote: str, source: str = ARTICLE) -> str:
    match = find_quote(quote, source)
    assert isinstance(match, QuoteMiss), match
    return match.message


def quoted_text(match: QuoteMatch) -> list[str]:
    """The article's own words for each quoted part."""
    return [s.text for s in match.segments if s.kind == "quote"]


def source_parts(match: QuoteMatch, source: str = ARTICLE) -> list[str]:
    return [source[start:end] for start, end in match.spans]


def parts_found(quote: str, source: str = ARTICLE) -> list[str]:
    """The article's text (source spans) matched by each part of `quote`."""
    return source_parts(found(quote, source), source)


# -- what matching forgives --------------------------------------------------------


def test_exact_quote_is_found():
    assert parts_found("Sources in Moscow admitted negotiations") == ["Sources in Moscow admitted negotiations"]


def test_straight_double_quotes_match_curly_ones():
    assert parts_found('rubbished "fake reports"') == ["rubbished \u201cfake reports\u201d"]


def test_straight_apostrophe_matches_a_curly_one():
    assert parts_found("the mill's future") == ["the mill\u2019s future"]


def test_straight_single_quotes_match_curly_ones():
    assert parts_found("its 'partners'") == ["its \u2018partners\u2019"]


def test_curly_quotes_in_the_quote_match_straight_ones_in_the_article():
    assert parts_found("\u201cno deal\u201d", 'They said "no deal" today.') == ['"no deal"']


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2014", "\u2212", "\u2010"])
def test_dash_variants_match(dash):
    assert parts_found(f"future {dash} and") == ["future \u2014 and"]


def test_hyphen_in_the_article_matches_an_en_dash_in_the_quote():
    assert parts_found("2024\u20132025", "In 2024-2025 the mill") == ["2024-2025"]


def test_line_break_in_the_article_matches_a_space():
    assert parts_found("partners'. Sources in Moscow") == ["partners\u2019.\nSources in Moscow"]


def test_whitespace_runs_in_the_quote_match_one_space():
    assert found("Sources   in\n\tMoscow").spans == found("Sources in Moscow").spans


def test_whitespace_runs_in_the_article_match_one_space():
    assert parts_found("said talks", "Officials said   \n  talks.") == ["said   \n  talks"]


def test_no_break_space_matches_a_space():
    assert parts_found("May 30", "Moscow, May\u00a030 (IANS)") == ["May\u00a030"]
    assert parts_found("May\u00a030", "Moscow, May 30 (IANS)") == ["May 30"]


def test_nfkc_ligature_matches_its_letters():
    assert parts_found("the final offer", "It was the \ufb01nal offer.") == ["the \ufb01nal offer"]


def test_nfkc_full_width_characters_match():
    assert parts_found("\uff21\uff11 road", "the A1 road") == ["A1 road"]


def test_composed_and_decomposed_accents_match():
    assert parts_found("caf\u00e9 owner", "The cafe\u0301 owner spoke.") == ["cafe\u0301 owner"]


def test_quote_after_a_no_break_space_and_a_ligature_marks_only_the_quote():
    match = found("final offer", "It was the\u00a0\ufb01nal offer.")
    assert quoted_text(match) == ["\ufb01nal offer"]


def test_quote_before_a_no_break_space_does_not_take_it():
    assert parts_found("Moscow, May", "Moscow, May\u00a030 (IANS)") == ["Moscow, May"]


def test_paragraph_break_matches_a_space():
    assert parts_found("in July. The", "Talks in July.\n\nThe deal") == ["in July.\n\nThe"]


# -- what counts ---------------------------------------------------------------------


def test_case_counts():
    assert missed("sources in moscow admitted").startswith("the quote is not in the article")


def test_words_count():
    assert missed("Sources in Moscow denied negotiations").startswith("the quote is not in the article")


def test_punctuation_counts():
    missed("The deal worth $1.5 billion")


def test_missing_words_count():
    missed("Sources in admitted negotiations")


# -- word boundaries ---------------------------------------------------------------------


def test_quote_cannot_start_mid_word():
    missed("ources in Moscow")


def test_quote_cannot_end_mid_word():
    missed("Sources in Mos")


def test_quote_cannot_take_part_of_a_number():
    missed("0.5 million", "It cost 10.5 million")


def test_word_that_also_occurs_inside_another_word_is_found_on_its_own():
    match = found("mill", "the mills and the mill")
    assert match.spans == ((18, 22),)


def test_quote_that_starts_with_punctuation_may_follow_a_word():
    assert parts_found('"no"', 'He said"no"') == ['"no"']


# -- elisions --------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["...", "\u2026", "[...]", "[\u2026]", " ... "])
def test_elision_marks(mark):
    match = found(f"Russia on Friday rubbished{mark}the mill's future")
    assert source_parts(match) == ["Russia on Friday rubbished", "the mill\u2019s future"]


def test_elided_parts_may_span_paragraphs():
    match = found("Sources in Moscow admitted ... was not signed.")
    assert source_parts(match) == ["Sources in Moscow admitted", "was not signed."]


def test_elision_at_the_start_or_end_is_ignored():
    assert parts_found("... admitted negotiations ...") == ["admitted negotiations"]


def test_three_parts_in_order():
    assert parts_found("Moscow, ... Sources ... July.") == ["Moscow,", "Sources", "July."]


def test_elided_parts_out_of_order_fail_with_a_clear_message():
    message = missed("The deal ... Russia on Friday")
    assert message == (
        'the part "Russia on Friday" comes before the earlier parts in the article; '
        "parts of an elided quote must appear in order"
    )


def test_elided_part_not_in_the_article_is_named():
    message = missed("Russia on Friday ... praised the deal")
    assert message.startswith('the part "praised the deal" is not in the article')


def test_a_quote_of_only_an_elision_has_no_words():
    assert missed("...") == "the quote has no words"


def test_repeated_part_is_found_after_the_previous_one():
    match = found("the ... the", "the cat and the dog")
    assert match.spans == ((0, 3), (12, 15))


# -- the hint on a miss ---------------------------------------------------------------------------


def test_hint_names_the_closest_passage():
    message = missed("Sources in Moscow denied negotiations taking place")
    assert message == (
        "the quote is not in the article; the closest passage is: "
        '"Sources in Moscow admitted negotiations taking place"'
    )


def test_hint_shows_the_articles_own_typography():
    message = missed("about the mill's future - and its partner")
    assert "\u2019" in message.split("closest passage is:")[1]


def test_hint_is_left_out_when_nothing_is_close():
    assert missed("zebra") == "the quote is not in the article"


def test_hint_for_a_missed_quote_on_the_command_line(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": claim_citing("Sources in Moscow denied negotiations")})
    (message,) = problems(site)
    assert message.startswith("content/claims/steel-contract.yaml:8:12: error: quote not found in 'moscow-denial'")
    assert message.endswith('the closest passage is: "Sources in Moscow admitted negotiations"')


# -- segments: the quote in the article's words, with context ----------------------------------------


def test_segments_use_the_articles_typography():
    match = found('rubbished "fake reports" about the mill\'s future - and')
    assert quoted_text(match) == ["rubbished \u201cfake reports\u201d about the mill\u2019s future \u2014 and"]


def test_segments_show_context_around_the_quote():
    match = found("admitted negotiations")
    kinds = [s.kind for s in match.segments]
    assert kinds == ["context", "quote", "context"]
    assert match.segments[0].text.endswith("Sources in Moscow ")
    assert match.segments[2].text.startswith(" taking place on the issue.")


def test_context_stays_within_the_paragraph():
    match = found("The deal, worth $1.5 billion")
    assert match.segments[0].kind == "quote"
    assert "Moscow" not in "".join(s.text for s in match.segments)


def test_long_context_is_cut_at_a_word_with_an_ellipsis():
    source = " ".join(f"word{i}" for i in range(200)) + " the quoted words " + " ".join(f"tail{i}" for i in range(200))
    match = found("the quoted words", source)
    before, _, after = match.segments
    assert before.text.startswith("\u2026word")
    assert after.text.endswith("\u2026")
    assert len(before.text) <= 170 and len(after.text) <= 170


def test_short_gap_of_an_elision_is_shown_as_gap():
    match = found("Russia ... rubbished")
    assert [(s.kind, s.text) for s in match.segments[1:4]] == [
        ("quote", "Russia"),
        ("gap", " on Friday "),
        ("quote", "rubbished"),
    ]


def test_gap_across_paragraphs_is_elided():
    match = found("Sources in Moscow ... was not signed")
    assert "elided" in [s.kind for s in match.segments]
    assert "The deal" not in "".join(s.text for s in match.segments if s.kind != "context")


def test_segments_collapse_line_breaks():
    match = found("partners'. Sources")
    assert quoted_text(match) == ["partners\u2019. Sources"]


# -- text fragments ------------------------------------------------------------------------------------


def test_fragment_of_a_simple_quote():
    assert found("Sources in Moscow admitted").fragment == "#:~:text=Sources%20in%20Moscow%20admitted"


@pytest.mark.parametrize(
    "quote, encoded",
    [
        ("A-B", "A%2DB"),
        ("A & B", "A%20%26%20B"),
        ("A, B", "A%2C%20B"),
        ("100% sure", "100%25%20sure"),
    ],
)
def test_fragment_encodes_characters_that_have_a_meaning_in_text_directives(quote, encoded):
    assert found(quote, f"He was {quote} here.").fragment == f"#:~:text={encoded}"


def test_fragment_uses_the_articles_characters():
    fragment = found('"fake reports"').fragment
    assert unquote(fragment) == "#:~:text=\u201cfake reports\u201d"


def test_fragment_of_a_long_passage_uses_start_and_end():
    words = [f"w{i}" for i in range(80)]
    source = "Intro. " + " ".join(words) + " Outro."
    fragment = found(" ".join(words), source).fragment
    assert fragment == "#:~:text=w0%20w1%20w2%20w3%20w4,w75%20w76%20w77%20w78%20w79"


def test_fragment_of_a_multi_paragraph_passage_uses_start_and_end():
    fragment = found("on the issue. The deal, worth").fragment
    assert fragment == "#:~:text=on%20the%20issue.,The%20deal%2C%20worth"


def test_fragment_of_an_elided_quote_has_a_directive_per_part():
    fragment = found("Russia on Friday ... talks would resume").fragment
    assert fragment == "#:~:text=Russia%20on%20Friday&text=talks%20would%20resume"


def test_fragment_roundtrips_to_the_passage():
    match = found("The deal, worth $1.5 billion, was not signed.")
    directive = match.fragment.removeprefix("#:~:text=")
    assert "," not in directive and "&" not in directive
    assert unquote(directive) == "The deal, worth $1.5 billion, was not signed."


# -- on the page -----------------------------------------------------------------------------------------


def test_claim_page_marks_the_articles_own_words(tmp_path):
    body = "He said \u201cthe mill\u2019s future is bright\u201d today.\n"
    site = make_site(
        tmp_path,
        articles={"moscow-denial": article(body)},
        claims={"steel-contract": claim_citing("He said \"the mill's future is bright\"")},
    )
    page = html_page(build_site(site), "claims/steel-contract/index.html")
    (mark,) = page.find("blockquote", class_="quote").find_all("mark")
    assert mark.text == "He said \u201cthe mill\u2019s future is bright\u201d"


def test_claim_page_links_to_the_passage_with_a_text_fragment(tmp_path):
    page = html_page(build_site(make_site(tmp_path)), "claims/steel-contract/index.html")
    hrefs = [a.attrs["href"] for a in page.find("section", class_="citations").find_all("a")]
    assert "https://news.example.com/story#:~:text=Sources%20in%20Moscow%20admitted%20negotiations" in hrefs


def test_no_text_fragment_link_when_the_article_has_no_url(tmp_path):
    site = make_site(tmp_path, articles={"moscow-denial": article(url=None)})
    page = html_page(build_site(site), "claims/steel-contract/index.html")
    hrefs = [a.attrs.get("href", "") for a in page.find_all("a")]
    assert not any(":~:text=" in h for h in hrefs)


def test_quote_matched_in_the_model(tmp_path):
    (citation,) = only_claim(make_site(tmp_path)).citations
    assert quoted_text(citation.match) == ["Sources in Moscow admitted negotiations"]


# -- properties --------------------------------------------------------------------------------------------

letters = st.characters(categories=["L", "N", "M", "P", "S"], exclude_characters=".\u2026")
words = st.text(letters, min_size=1, max_size=8).filter(lambda w: w.strip() == w and not any(c.isspace() for c in w))
separators = st.sampled_from([" ", "  ", "\n", "\u00a0", "\n\n", "\t", " \n "])
quote_marks = {"'": "\u2019", '"': "\u201c", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2018": "'"}


@st.composite
def article_and_slice(draw):
    """(article text, quote): words joined by whitespace, and a run of them."""
    ws = draw(st.lists(words, min_size=1, max_size=30))
    seps = draw(st.lists(separators, min_size=len(ws) - 1, max_size=len(ws) - 1))
    source = ws[0] + "".join(s + w for s, w in zip(seps, ws[1:]))
    start = draw(st.integers(0, len(ws) - 1))
    end = draw(st.integers(start + 1, len(ws)))
    return source, " ".join(ws[start:end])


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(article_and_slice())
def test_any_run_of_words_of_an_article_is_found(case):
    source, quote = case
    assume(fold(quote))
    assert isinstance(find_quote(quote, source), QuoteMatch)


@given(article_and_slice(), st.data())
def test_extra_whitespace_in_a_found_quote_still_finds_it(case, data):
    source, quote = case
    assume(fold(quote))
    spaced = quote.replace(" ", data.draw(st.sampled_from(["  ", "\n", " \t ", "\u00a0"])))
    assert isinstance(find_quote(spaced, source), QuoteMatch)


@given(article_and_slice())
def test_swapping_straight_and_curly_quotes_still_finds_it(case):
    source, quote = case
    assume(fold(quote))
    swapped = "".join(quote_marks.get(c, c) for c in quote)
    assert isinstance(find_quote(swapped, source), QuoteMatch)


@example(("It was the\u00a0\ufb01nal offer.", "final offer"))
@given(article_and_slice())
def test_source_span_of_a_match_folds_to_the_quote(case):
    source, quote = case
    assume(fold(quote))
    match = find_quote(quote, source)
    assert isinstance(match, QuoteMatch)
    ((start, end),) = match.spans
    assert fold(source[start:end]) == fold(quote)
