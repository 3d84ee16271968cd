"""The JSON Schemas editors' tools read are the validator's own rules."""

import datetime as dt
from pathlib import Path

import jsonschema
import pytest
import yaml

from factdesk import schema
from factdesk.loading import parse_yaml
from factdesk.problems import Problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_committed_schema_is_current(name):
    committed = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema.json_schema_text(name), "run `python -m factdesk.schema` and commit schemas/"


def editor_view(text: str):
    """The document as a YAML 1.1 editor sees it, with dates as the strings typed."""

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


def validator_accepts(kind: str, text: str) -> bool:
    problems = Problems("sample.yaml")
    node = parse_yaml(text, problems)
    schema.SCHEMAS[kind].read(node, problems)
    return not problems


def schema_accepts(kind: str, text: str) -> bool:
    validator = jsonschema.Draft202012Validator(schema.json_schema(kind))
    return validator.is_valid(editor_view(text))


VALID_CLAIM = """\
claim: A claim.
claimant: Someone
verdict: false
summary: No.
published: 2025-06-02
tags: [russia, steel-mills]
updates:
  - date: 2025-07-01
    note: Added a source.
citations:
  - article: an-article
    quote: some words
  - url: https://example.org/
    title: A page
analysis: |
  Text.
"""

INVALID_CLAIMS = {
    "unknown key": VALID_CLAIM.replace("verdict:", "verdcit:"),
    "missing summary": VALID_CLAIM.replace("summary: No.\n", ""),
    "claim is a list": VALID_CLAIM.replace("claim: A claim.", "claim: [a, b]"),
    "date that is not a date": VALID_CLAIM.replace("published: 2025-06-02", "published: June 2"),
    "tag that is not a slug": VALID_CLAIM.replace("steel-mills", "Steel Mills"),
    "no citations": VALID_CLAIM.split("citations:")[0] + "citations: []\nanalysis: x\n",
    "javascript url": VALID_CLAIM.replace("https://example.org/", "javascript:alert(1)"),
    "citation with neither article nor url": VALID_CLAIM.replace("  - url: https://example.org/\n    title: A page\n", "  - note: hm\n"),
}


def test_schema_and_validator_accept_a_valid_claim():
    assert validator_accepts("claim", VALID_CLAIM)
    assert schema_accepts("claim", VALID_CLAIM)


@pytest.mark.parametrize("case", sorted(INVALID_CLAIMS))
def test_schema_and_validator_refuse_the_same_mistakes(case):
    text = INVALID_CLAIMS[case]
    assert not validator_accepts("claim", text)
    assert not schema_accepts("claim", text)


@pytest.mark.parametrize("path", sorted((ROOT / "content" / "claims").glob("*.yaml")), ids=lambda p: p.name)
def test_schema_accepts_every_example_claim(path):
    assert schema_accepts("claim", path.read_text(encoding="utf-8"))


def test_schema_accepts_the_example_site_yaml():
    assert schema_accepts("site", (ROOT / "site.yaml").read_text(encoding="utf-8"))
