"""Slugs from any text are safe path segments; ids that are not slugs are refused."""

import re

from hypothesis import given, strategies as st

from factdesk.fields import SLUG_PATTERN, slug_problem, slugify_suggestion
from factdesk.scaffold import claim_slug
from factdesk.urls import Urls

SLUG = re.compile(SLUG_PATTERN)


@given(st.text())
def test_any_claim_becomes_a_safe_non_empty_file_name(text):
    slug = claim_slug(text)
    assert slug and SLUG.match(slug)
    assert slug_problem(slug) is None
    assert "/" not in slug and "\\\\" not in slug and slug not in (".", "..")


@given(st.text())
def test_a_suggested_slug_is_always_acceptable(text):
    suggestion = slugify_suggestion(text)
    assert suggestion == "" or slug_problem(suggestion) is None


@given(st.text())
def test_anything_refused_as_an_id_could_not_have_named_a_safe_path(text):
    if slug_problem(text) is None:
        assert SLUG.match(text) and ".." not in text and "/" not in text
    if "/" in text or "\\\\" in text or text in ("", ".", ".."):
        assert slug_problem(text) is not None


@given(st.lists(st.from_regex(SLUG, fullmatch=True).filter(lambda s: len(s) <= 80), min_size=2, max_size=5, unique=True))
def test_distinct_tags_get_distinct_pages(tags):
    assert len({Urls("https://example.org/").tag(tag) for tag in tags}) == len(tags)
