"""The JSON Schemas, docs/format.md's tables and `new`'s claim file all come from schema.py.

The schemas editors' tools read are the validator's own rules; the committed
copies of everything generated match the definitions.
"""

import dataclasses
import datetime as dt
from pathlib import Path

import jsonschema
import pytest
import yaml

from factdesk import schema
from factdesk.loading import parse_yaml
from factdesk.model import Claim
from factdesk.problems import Problems
from factdesk.scaffold import claim_file_text, scaffold

from factdesk.validation import load_site

from conftest import ARTICLE_ID, make_site

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DESK = ROOT / "tests" / "fixtures" / "example-desk"
REGENERATE = "run `python -m factdesk.schema` and commit schemas/ and docs/format.md"


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_committed_schema_is_current(name):
    committed = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema.json_schema_text(name), REGENERATE


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
    "tag that names a path": VALID_CLAIM.replace("steel-mills", "steel/mills"),
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


@pytest.mark.parametrize("path", sorted((EXAMPLE_DESK / "content" / "claims").glob("*.yaml")), ids=lambda p: p.name)
def test_schema_accepts_every_example_claim(path):
    assert schema_accepts("claim", path.read_text(encoding="utf-8"))


def test_schema_accepts_the_example_site_yaml():
    assert schema_accepts("site", (EXAMPLE_DESK / "site.yaml").read_text(encoding="utf-8"))


# -- docs/format.md --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_format_doc_table_is_current(name):
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    committed = schema.committed_table(doc, name)
    assert committed is not None, f"docs/format.md lost its <!-- fields:{name} --> markers; put them back, then {REGENERATE}"
    assert committed == schema.field_table(name), REGENERATE


def test_format_doc_regenerates_to_itself():
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert schema.with_current_tables(doc) == doc, REGENERATE


def test_field_table_lists_every_key_and_nested_object():
    table = schema.field_table("claim")
    for field in [*schema.CLAIM.fields.values(), *schema.ARTICLE_CITATION.fields.values(), *schema.UPDATE.fields.values()]:
        assert f"| `{field.name}` |" in table
    assert "**A citation of a page that is not archived**, under `citations`:" in table
    assert "| `claimant` | yes | Who made the claim. For example: `Posts on social media` |" in table


def test_table_cells_escape_pipes():
    obj = schema.Object("a test", [schema.Field("body", schema.Text(), "Write | and more.")])
    assert "Write \\| and more." in schema.key_table(obj)[-1]


def test_a_doc_without_markers_is_refused():
    with pytest.raises(ValueError, match="fields:site"):
        schema.with_current_tables("# Format\n")


# -- `new` -----------------------------------------------------------------------------------

TODAY = dt.date(2025, 6, 2)
VERDICT_IDS = ["accurate", "false", "unproven"]


def new_claim_text() -> str:
    return claim_file_text("Russia signed  a deal", VERDICT_IDS, TODAY)


def filled_in(text: str) -> str:
    """The new file as an editor completes it: claimant, verdict, summary, one article quote."""
    replacements = {
        "claimant:\n": "claimant: Media reports\n",
        "verdict:\n": 'verdict: "false"\n',
        "summary:\n": "summary: No deal was signed.\n",
        "draft: true\n": "",
        "  - article:\n    quote:\n": f"  - article: {ARTICLE_ID}\n    quote: Sources in Moscow admitted negotiations\n",
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_every_field_of_a_check_reaches_the_model():
    """A field added to the format and not to model.Claim would be checked, then dropped without a word."""
    made_into_another = {"analysis": "analysis_html"}
    on_the_model = {f.name for f in dataclasses.fields(Claim)}
    missing = [name for name in schema.CLAIM.fields if made_into_another.get(name, name) not in on_the_model]
    assert missing == [], f"add {missing} to model.Claim, with a default: validation copies it by name"


def test_new_file_has_every_claim_key_in_the_formats_order():
    assert list(yaml.safe_load(new_claim_text())) == list(schema.CLAIM.fields)


def test_new_file_explains_every_key():
    text = new_claim_text()
    comments = " ".join(line.lstrip(" #") for line in text.splitlines() if line.lstrip().startswith("#"))
    for field in schema.CLAIM.fields.values():
        need = "Required." if field.required else "Optional."
        assert f"{need} {schema.field_help(field)}" in comments, field.name
        if field.example:
            assert f"For example: {field.example}" in comments, field.name
    for obj in schema.nested_objects(schema.CLAIM.fields["citations"].kind):
        for field in obj.fields.values():
            assert f"{field.name} ({'required' if field.required else 'optional'}): " in comments


def test_new_file_starts_with_the_schema_and_what_new_knows():
    text = new_claim_text()
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/claim.schema.json"
    assert 'claim: "Russia signed a deal"' in lines
    assert "published: 2025-06-02" in lines and "draft: true" in lines
    assert "One of: accurate, false, unproven." in text
    assert "appeared_in: []" in lines and "tags: []" in lines and "updates: []" in lines
    assert lines[-2:] == ["analysis: |", "  Write the analysis here."]
    assert "  # - url: https://example.org/page" in lines


def test_new_file_as_written_asks_only_for_the_required_keys_left_empty():
    problems = Problems("new.yaml")
    schema.CLAIM.read(parse_yaml(new_claim_text(), problems), problems)
    # "'claimant' has no value (Who made the claim)": the key is the first quoted word
    assert sorted(p.message.split("'")[1] for p in problems) == ["article", "claimant", "quote", "summary", "verdict"]


def test_new_file_filled_in_passes_the_schema_and_the_validator():
    text = filled_in(new_claim_text())
    assert validator_accepts("claim", text)
    assert schema_accepts("claim", text)


def test_new_file_filled_in_loads_as_a_site(tmp_path):
    site = make_site(tmp_path, claims={})
    path = scaffold(site, "Russia signed a deal", None, VERDICT_IDS, TODAY)
    assert path == site / "content" / "claims" / "russia-signed-a-deal.yaml"
    path.write_text(filled_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    loaded = load_site(site)
    assert [str(p) for p in loaded.problems if p.severity == "error"] == []
    assert [c.slug for c in loaded.site.claims] == ["russia-signed-a-deal"]


def test_new_never_overwrites(tmp_path):
    first = scaffold(tmp_path, "A claim", "a-claim", VERDICT_IDS, TODAY)
    first.write_text("edited\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        scaffold(tmp_path, "Another claim", "a-claim", VERDICT_IDS, TODAY)
    assert first.read_text(encoding="utf-8") == "edited\n"


def test_a_field_added_to_the_format_appears_in_new_files(monkeypatch):
    extra = schema.Field("fact_checker", schema.Text(), "Who checked the facts.", example="A. Editor")
    fields = {**schema.CLAIM.fields, extra.name: extra}
    monkeypatch.setattr(schema.CLAIM, "fields", fields)
    text = new_claim_text()
    assert "# Optional. Who checked the facts.\n# For example: A. Editor\nfact_checker:\n" in text


def test_a_mapping_added_to_the_format_is_written_with_its_keys(monkeypatch):
    reviewer = schema.Object("the reviewer", [schema.Field("name", schema.Text(), "Their name.", required=True)])
    extra = schema.Field("reviewer", reviewer, "Who reviewed the check.")
    monkeypatch.setattr(schema.CLAIM, "fields", {**schema.CLAIM.fields, extra.name: extra})
    text = new_claim_text()
    assert "reviewer:\n  #   name (required): Their name.\n  name:\n" in text
    assert yaml.safe_load(text)["reviewer"] == {"name": None}
