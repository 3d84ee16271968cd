"""Quotes in Urdu, Arabic and Hindi, typed as a reader sees them, against articles written
with the other codes for the same letters (docs/format.md, "Letters that match")."""

import time
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import article, build_site, claim_citing, html_page, make_site, problems

from factdesk.quotes import QuoteMatch, QuoteMiss, find_quote, fold, prepare

# Urdu as typed on an Urdu keyboard: Farsi yeh U+06CC, keheh U+06A9, heh goal U+06C1
URDU_QUOTE = "وزیر اعظم نے کہا کہ اسٹیل مل کی بحالی ہماری ترجیح ہے"
# the same sentence as an Arabic keyboard writes it (yeh U+064A, kaf U+0643, heh U+0647),
# with a tatweel stretching کہـا, a zero-width non-joiner and a vowel mark (zabar) on مَل
URDU_ARTICLE = (
    "اسلام آباد: وزير اعظم نے كهـا كه اسٹيل مَل كي بحالي\u200c هماري ترجيح هے۔ "
    "انہوں نے مزید کہا کہ روس کے ساتھ بات چیت جاری ہے۔"
)
URDU_QUOTED = "وزير اعظم نے كهـا كه اسٹيل مَل كي بحالي\u200c هماري ترجيح هے"

# Arabic fully vowelled in the article, bare in the quote (and the other way round)
ARABIC_ARTICLE = "وفي المؤتمر، قَالَ الوَزِيرُ إِنَّ المَصْنَعَ سَيُعَادُ افْتِتَاحُهُ قَرِيبًا."
ARABIC_QUOTE = "قال الوزير إن المصنع سيعاد افتتاحه"

# Hindi: the article with precomposed nukta letters (U+095B za, U+095E fa), the quote with
# a letter and U+093C, as many keyboards type them; a reader sees the same letters
HINDI_ARTICLE = "सरकार ने कहा कि \u095bमीन का \u095eैसला जल्द होगा। किताबें बाँटी गईं।"
HINDI_QUOTE = "ज\u093cमीन का फ\u093cैसला जल्द होगा"


def found(quote: str, source: str) -> list[str]:
    """The article's own text of each quoted part."""
    match = find_quote(quote, source)
    assert isinstance(match, QuoteMatch), match
    return [source[start:end] for start, end in match.spans]


def missed(quote: str, source: str) -> str:
    match = find_quote(quote, source)
    assert isinstance(match, QuoteMiss), match
    return match.message


# -- what is forgiven --------------------------------------------------------------------------


def test_urdu_quote_matches_the_arabic_codes_of_yeh_kaf_and_heh_with_tatweel_joiners_and_marks():
    assert found(URDU_QUOTE, URDU_ARTICLE) == [URDU_QUOTED]


def test_urdu_quote_with_the_arabic_codes_matches_an_article_with_the_urdu_ones():
    assert found(URDU_QUOTED, "کل " + URDU_QUOTE + "۔") == [URDU_QUOTE]


def test_the_page_shows_the_urdu_articles_own_letters():
    match = find_quote(URDU_QUOTE, URDU_ARTICLE)
    assert [s.text for s in match.segments if s.kind == "quote"] == [URDU_QUOTED]
    assert unquote(match.fragment) == "#:~:text=" + URDU_QUOTED


def test_bare_arabic_quote_matches_a_vowelled_article():
    assert found(ARABIC_QUOTE, ARABIC_ARTICLE) == ["قَالَ الوَزِيرُ إِنَّ المَصْنَعَ سَيُعَادُ افْتِتَاحُهُ"]


def test_vowelled_arabic_quote_matches_a_bare_article():
    assert found("الوَزِيرُ إِنَّ المَصْنَعَ", "وقال الوزير إن المصنع سيعاد") == ["الوزير إن المصنع"]


def test_a_vowel_mark_on_the_last_letter_is_shown_with_it():
    # the span takes in the marks after its last letter, so the page never cuts a letter short
    assert found("الوزير", ARABIC_ARTICLE) == ["الوَزِيرُ"]


def test_hamza_written_on_its_letter_or_as_a_mark_matches():
    # ئ (U+0626) and ی with a hamza mark (U+06CC U+0654) are written both ways on Urdu sites
    assert found("مسائل", "یہ مسا\u06cc\u0654ل ہیں") == ["مسا\u06cc\u0654ل"]
    assert found("مسا\u06cc\u0654ل", "یہ مسائل ہیں") == ["مسائل"]


@pytest.mark.parametrize("joiner", ["\u200c", "\u200d"])
def test_a_zero_width_joiner_or_non_joiner_in_the_quote_is_forgiven(joiner):
    assert found(f"نے کہا{joiner} کہ", "انہوں نے کہا کہ") == ["نے کہا کہ"]


def test_arabic_presentation_forms_match_their_letters():
    # ﻻ (U+FEFB, lam-alef ligature) as some PDFs and old sites store it
    assert found("لا", "قال \ufefb شيء") == ["\ufefb"]


def test_hindi_nukta_letter_matches_its_letter_and_nukta():
    assert found(HINDI_QUOTE, HINDI_ARTICLE) == ["\u095bमीन का \u095eैसला जल्द होगा"]
    assert found("\u095bमीन", "कि ज\u093cमीन का") == ["ज\u093cमीन"]


def test_a_joiner_between_devanagari_letters_is_forgiven():
    # ZWJ and ZWNJ choose how a conjunct is drawn; the letters are the same
    assert found("रक्षा नीति", "देश की रक्\u200cषा नीति") == ["रक्\u200cषा नीति"]
    assert found("रक्\u200dषा", "देश की रक्षा नीति") == ["रक्षा"]


def test_hindi_quote_ending_in_a_vowel_sign_is_found():
    assert found("गईं", HINDI_ARTICLE) == ["गईं"]
    assert found("किताबें बाँटी", HINDI_ARTICLE) == ["किताबें बाँटी"]


# -- what is not -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "ताबें",  # starts after a vowel sign, inside किताबें
        "किताब",  # stops before the vowel sign ें that ends the word
        "जमीन का",  # a missing nukta: ज and ज़ are different letters
    ],
)
def test_hindi_words_are_whole_and_nukta_counts(quote):
    assert missed(quote, HINDI_ARTICLE).startswith("the quote is not in the article")


@pytest.mark.parametrize(
    "quote, article_text",
    [
        ("ھماری", "ہماری"),  # heh do-chashmi is a letter of its own
        ("بات چیت جاری ہی", "بات چیت جاری ہے"),  # yeh barree is not yeh
        ("کہا کہ اسٹیل ملز", "کہا کہ اسٹیل مل"),  # a changed word
        ("بات", "بابات"),  # inside a word
    ],
)
def test_other_letters_and_words_still_count(quote, article_text):
    assert missed(quote, article_text).startswith("the quote is not in the article")


def test_a_missed_urdu_quote_gets_the_closest_passage_in_the_articles_letters():
    quote = "وزیر اعظم نے کہا کہ اسٹیل مل کی بحالی ہماری پہلی ترجیح ہے"  # پہلی added
    assert missed(quote, URDU_ARTICLE) == (
        "the quote is not in the article; the closest passage is: "
        '"وزير اعظم نے كهـا كه اسٹيل مَل كي بحالي\u200c هماري ترجيح هے۔ انہوں"'
    )


def test_fold_shows_one_spelling_for_each_letter():
    assert fold(URDU_QUOTE) == fold(URDU_QUOTED)
    assert fold(ARABIC_QUOTE) == fold("قَالَ الوَزِيرُ إِنَّ المَصْنَعَ سَيُعَادُ افْتِتَاحُهُ")


arabic_and_devanagari = st.text(
    st.sampled_from(
        [chr(c) for c in range(0x0600, 0x0700)]
        + [chr(c) for c in range(0x0900, 0x0980)]
        + ["\u200c", "\u200d", " ", "a", "\u0301", "\ufefb", "\ufe70"]
    )
)


@given(arabic_and_devanagari)
def test_fold_of_arabic_script_and_devanagari_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(arabic_and_devanagari)
def test_any_arabic_or_devanagari_text_is_found_in_itself(text):
    if fold(text):
        assert isinstance(find_quote(text, text), QuoteMatch)


# -- on the page, and in reasonable time ------------------------------------------------------


def test_urdu_check_builds_and_shows_the_articles_letters(tmp_path):
    site = make_site(
        tmp_path,
        articles={"urdu-report": article(URDU_ARTICLE + "\n", title="اسٹیل مل")},
        claims={"steel-contract": claim_citing(URDU_QUOTE, "urdu-report")},
    )
    assert [p for p in problems(site) if ": error:" in p] == []
    page = html_page(build_site(site), "claims/steel-contract/index.html")
    (mark,) = page.find("blockquote", class_="quote").find_all("mark")
    assert mark.text == URDU_QUOTED


def test_an_urdu_quote_not_in_the_article_is_an_error_at_its_line(tmp_path):
    site = make_site(
        tmp_path,
        articles={"urdu-report": article(URDU_ARTICLE + "\n")},
        claims={"steel-contract": claim_citing("روس نے معاہدے پر دستخط کیے", "urdu-report")},
    )
    (problem,) = problems(site)
    assert problem.startswith("content/claims/steel-contract.yaml:8:12: error: quote not found in 'urdu-report': the quote is not in the article")


def test_thirty_missed_quotes_against_a_fully_vowelled_2mb_article():
    # every letter carries a mark and every word a tatweel: the most rewriting an article can need
    words = ["وَقَالَ", "الوَزِيرُ", "إِنَّ", "المَصْنَعَ", "سَيُعَادُ", "افْتِتَاحُهُـ", "قَرِيبًا\u200c"]
    text = " ".join(words[i % len(words)] for i in range(2_000_000 // 19))
    started = time.process_time()  # CPU time: other work on a busy machine must not fail it
    prepared = prepare(text)
    messages = [find_quote(f"قال الوزير إن المصنع مغلق {i}", text, prepared) for i in range(30)]
    elapsed = time.process_time() - started
    assert all(isinstance(m, QuoteMiss) for m in messages)
    assert elapsed < 5.0, f"took {elapsed:.1f} s"
