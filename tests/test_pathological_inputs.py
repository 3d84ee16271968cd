"""Hostile pull requests: quote matching and Markdown stay linear in their input.

Each input here once held CI for seconds to minutes (or is of the same kind);
each must now finish within a few seconds on a 2-core machine, with the
outcome an editor needs: found, not found with its hint, or a size error.
"""

import time

import pytest

from factdesk.markup import MAX_MARKDOWN_CHARS, Markdown, markdown_size_problem
from factdesk.problems import Problems
from factdesk.quotes import (
    MAX_ARTICLE_BYTES,
    MAX_QUOTE_CHARS,
    QuoteMatch,
    QuoteMiss,
    article_size_problem,
    find_quote,
    prepare,
    quote_parts,
    quote_problem,
)

SECONDS = 5.0  # generous: every case takes well under that; a blow-up takes minutes
WORDS = "the of and to in said minister steel mill Karachi Moscow talks report contract officials deal".split()


def timed(work):
    """`work()`, failing the test if it takes SECONDS or more of this process's CPU time
    (not wall time: other work on a busy machine must not fail it)."""
    start = time.process_time()
    result = work()
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    return result


def words_article(chars: int, paragraph_every: int = 60) -> str:
    """An article of ordinary words, `chars` long or a little more, in paragraphs."""
    count = chars // 6
    words = [WORDS[(i * 7 + i // 16) % len(WORDS)] for i in range(count)]
    for i in range(paragraph_every, count, paragraph_every):
        words[i] += "\n\n"  # articles have paragraph breaks: runs the matcher collapses
    return " ".join(words)


def matched(result) -> QuoteMatch:
    assert isinstance(result, QuoteMatch), result
    return result


def missed(result) -> str:
    assert isinstance(result, QuoteMiss), result
    return result.message


# -- the measured attacks --------------------------------------------------------------------


def test_quote_with_100000_spaces_between_two_words():
    quote = "minister" + " " * 100_000 + "said"
    match = matched(timed(lambda: find_quote(quote, "The minister said so.")))
    assert match.spans == ((4, 17),)


def test_quote_with_100000_spaces_that_is_not_in_the_article():
    quote = "minister" + " " * 100_000 + "denied"
    message = timed(lambda: missed(find_quote(quote, "The minister said so.")))
    assert message == 'the quote is not in the article; the closest passage is: "minister said so."'


def test_thirty_missed_quotes_against_a_3mb_article():
    article = words_article(3_000_000)
    assert article_size_problem(article)  # refused when read, yet a miss stays quick

    def thirty_misses():
        prepared = prepare(article)
        return [missed(find_quote(f"officials said the minister denied claim {i} outright", article, prepared)) for i in range(30)]

    messages = timed(thirty_misses)
    assert all(m.startswith('the quote is not in the article; the closest passage is: "') for m in messages)


def test_thirty_missed_quotes_against_a_2mb_article_each_prepared_anew():
    article = words_article(MAX_ARTICLE_BYTES - 10)
    assert article_size_problem(article) is None
    messages = timed(lambda: [missed(find_quote(f"minister praised deal {i}", article)) for i in range(30)])
    assert all(m.startswith("the quote is not in the article") for m in messages)


def test_16000_refused_reference_definitions():
    text = "\n".join(f"[r{i}]: javascript:alert({i})" for i in range(16_000)) + "\n\nSee [r1] and [r15999].\n"
    problems = Problems("content/claims/x.yaml")
    timed(lambda: Markdown("/").render(text, problems, 1, text.split("\n")))
    assert len(problems) == 16_000
    by_line = {p.line: p for p in problems}
    assert (by_line[1].col, by_line[16_000].col) == (len("[r0]:") + 1, len("[r15999]:") + 1)
    assert "link 'javascript:alert(15999)' is not allowed" in by_line[16_000].message


# -- more of the same kinds: quotes -------------------------------------------------------------


def test_ten_thousand_elisions_are_refused_quickly():
    quote = "minister " + "... " * 10_000 + "said"
    message = timed(lambda: missed(find_quote(quote, "The minister said so.")))
    assert message == (
        "the quote is 40,013 characters; at most 2,000 are allowed; quote a shorter passage and use ... to leave words out"
    )


def test_splitting_ten_thousand_elisions_is_linear():
    parts = timed(lambda: quote_parts("minister" + " ...  ... \n" * 10_000 + "said"))
    assert parts == ["minister", "said"]


def test_hundreds_of_elided_parts_within_the_limit_are_found():
    quote = " ... ".join(["a"] * 333)
    assert len(quote) <= MAX_QUOTE_CHARS
    match = matched(timed(lambda: find_quote(quote, "a " * 1_000_000)))
    assert len(match.spans) == 333 and match.spans[-1] == (664, 665)


def test_elided_parts_out_of_order_in_a_large_article():
    article = "zebra crossing. " + words_article(2_000_000) + " The minister said so."
    message = timed(lambda: missed(find_quote("minister said ... zebra crossing", article)))
    assert message == (
        'the part "zebra crossing" comes before the earlier parts in the article; '
        "parts of an elided quote must appear in order"
    )


def test_quote_of_one_character_repeated_against_an_article_of_it():
    message = timed(lambda: missed(find_quote("a" * MAX_QUOTE_CHARS, "a" * 2_000_000)))
    assert message.startswith('the quote is not in the article; the closest passage is: "aaaa')


def test_quote_whose_every_occurrence_ends_inside_a_word():
    # "ab ab ... ab a" occurs at every word of "ab ab ab ...", always ending inside "ab"
    quote = "ab " * 666 + "a"
    message = timed(lambda: missed(find_quote(quote, "ab " * 666_666)))
    assert message.startswith("the quote is not in the article")


def test_quote_that_occurs_inside_every_word_but_the_last():
    article = "xab " * 500_000 + "ab."
    match = matched(timed(lambda: find_quote("ab", article)))
    assert match.spans == ((2_000_000, 2_000_002),)


def test_quote_in_a_2mb_article_on_one_line():
    article = "the deal was signed " * 50_000 + "minister said talks " + "the deal was signed " * 50_000
    assert "\n" not in article
    match = matched(timed(lambda: find_quote("minister said talks", article)))
    assert match.spans == ((1_000_000, 1_000_019),)
    message = timed(lambda: missed(find_quote("minister denied talks would resume", article)))
    assert message == 'the quote is not in the article; the closest passage is: "minister said talks the deal was signed"'


def test_missed_quote_in_a_2mb_article_of_one_word():
    message = timed(lambda: missed(find_quote("minister denied talks", "x" * 2_000_000 + " minister")))
    assert message == 'the quote is not in the article; the closest passage is: "minister"'


def test_article_of_whitespace_runs():
    article = "a  \n " * 400_000
    match = matched(timed(lambda: find_quote("a a a", article)))
    assert match.spans == ((0, 11),)
    assert timed(lambda: missed(find_quote("a b", article))) == "the quote is not in the article"


def test_article_of_characters_that_nfkc_rewrites():
    article = "\ufb01 " * 1_000_000  # the fi ligature: every character an edit
    match = matched(timed(lambda: find_quote("fi fi", article)))
    assert match.spans == ((0, 3),)
    assert timed(lambda: missed(find_quote("fi fi x", article))).startswith("the quote is not in the article")


def test_article_of_combining_accents():
    article = "cafe\u0301 " * 400_000
    match = matched(timed(lambda: find_quote("caf\u00e9 caf\u00e9", article)))
    assert match.spans == ((0, 11),)


# -- the limits --------------------------------------------------------------------------------------


def test_quote_at_the_limit_is_accepted_and_one_longer_is_refused():
    assert quote_problem("a" * MAX_QUOTE_CHARS) is None
    assert quote_problem("a" * (MAX_QUOTE_CHARS + 1)) == (
        "the quote is 2,001 characters; at most 2,000 are allowed; quote a shorter passage and use ... to leave words out"
    )


def test_whitespace_runs_count_as_one_character_towards_the_limit():
    assert quote_problem("a" + " \n\t " * 10_000 + "b") is None


def test_find_quote_refuses_a_quote_past_the_limit():
    quote = "the " * 3_000 + "zebra"
    assert missed(find_quote(quote, "the zebra")) == quote_problem(quote)


def test_article_at_the_limit_is_accepted_and_one_byte_more_is_refused():
    assert article_size_problem("a" * MAX_ARTICLE_BYTES) is None
    assert article_size_problem("a" * (MAX_ARTICLE_BYTES + 1)) == (
        "the article is 2,000,001 bytes; at most 2,000,000 (2 MB) are allowed; "
        "archive only the article's own text, without comments, menus or other pages"
    )


def test_article_size_counts_utf8_bytes():
    assert article_size_problem("\u00e9" * (MAX_ARTICLE_BYTES // 2)) is None
    assert article_size_problem("\u00e9" * (MAX_ARTICLE_BYTES // 2 + 1)).startswith("the article is 2,000,002 bytes")
    assert article_size_problem(b"a" * (MAX_ARTICLE_BYTES + 1)).startswith("the article is 2,000,001 bytes")


def test_markdown_at_the_limit_is_accepted_and_one_character_more_is_refused():
    assert markdown_size_problem("a" * MAX_MARKDOWN_CHARS) is None
    assert markdown_size_problem("a" * (MAX_MARKDOWN_CHARS + 1)) == (
        "the text is 200,001 characters; at most 200,000 are allowed; "
        "shorten it, or split it into pages that link to each other"
    )
    assert markdown_size_problem("a" * (MAX_MARKDOWN_CHARS + 1), "the analysis").startswith("the analysis is 200,001")


# -- more of the same kinds: Markdown at its size limit --------------------------------------------


def fill(unit: str, chars: int = MAX_MARKDOWN_CHARS) -> str:
    return unit * (chars // len(unit))


MARKDOWN = {
    "unclosed brackets": fill("["),
    "unclosed image brackets": fill("!["),
    "unclosed brackets, one line each": fill("[a\n"),
    "nested brackets": fill("[", MAX_MARKDOWN_CHARS // 2) + "a" + fill("]", MAX_MARKDOWN_CHARS // 2 - 1),
    "brackets closed by one link at the end": fill("[", MAX_MARKDOWN_CHARS - 10) + "](/x)",
    "nested emphasis": fill("*a ", MAX_MARKDOWN_CHARS // 2) + "b" + fill(" a*", MAX_MARKDOWN_CHARS // 2),
    "emphasis delimiters": fill("*_"),
    "links inside emphasis": fill("*[a*](b)"),
    "unclosed link destinations": fill("[a](<b"),
    "unclosed link titles": fill('[a](b "'),
    "deep block quotes": fill("> "),
    "deep lists": fill("- "),
    "a table two thousand columns wide": "|" + "a|" * 2_000 + "\n|" + "-|" * 2_000 + "\n" + fill("x|", MAX_MARKDOWN_CHARS // 2),
    "backticks": fill("`a``"),
    "one long line": fill("word "),
}


@pytest.mark.parametrize("text", MARKDOWN.values(), ids=MARKDOWN.keys())
def test_pathological_markdown_renders_quickly(text):
    assert markdown_size_problem(text) is None
    problems = Problems("content/pages/x.md")
    html = timed(lambda: Markdown("/").render(text, problems, 1, text.split("\n")))
    assert isinstance(html, str) and list(problems) == []


def test_table_row_of_refused_links_reports_each_link_once():
    columns = 2_000
    text = "|" + "a|" * columns + "\n|" + "-|" * columns + "\n|" + "".join(f"[x](javascript:{i})|" for i in range(columns))
    problems = Problems("content/pages/x.md")
    timed(lambda: Markdown("/").render(text, problems, 1, text.split("\n")))
    assert len(problems) == columns
    assert {p.line for p in problems} == {3}
    assert len({p.col for p in problems}) == columns


def test_many_refused_links_on_many_lines():
    text = "\n".join(f"See [x](javascript:{i}) now." for i in range(10_000))
    problems = Problems("content/pages/x.md")
    timed(lambda: Markdown("/").render(text, problems, 1, text.split("\n")))
    assert [(p.line, p.col) for p in problems] == [(i + 1, 9) for i in range(10_000)]
