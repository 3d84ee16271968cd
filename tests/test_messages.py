"""Messages for the people the tool is for: suggestions name only values valid on this site,
an editor's backup files are not content, and mistyped dates are warned about."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CLAIM, CLAIM_SLUG, SITE_YAML, make_site, run

CLAIM_PATH = f"content/claims/{CLAIM_SLUG}.yaml"
SCALE_WITHOUT_MOSTLY_FALSE = SITE_YAML + """verdicts:
  - id: accurate
    label: Accurate
    description: Correct.
  - id: mostly-accurate
    label: Mostly accurate
    description: Mostly correct.
  - id: "false"
    label: "False"
    description: Wrong.
"""


def check(site) -> tuple[int, list[str]]:
    result = run("check", "--site", site)
    return result.returncode, result.stderr.splitlines()


def test_a_verdict_written_as_words_suggests_the_id_on_this_scale(tmp_path):
    site = make_site(tmp_path, claims={CLAIM_SLUG: CLAIM.replace('verdict: "false"', "verdict: Mostly False")})
    code, lines = check(site)
    assert code == 1
    assert lines[0] == (f"{CLAIM_PATH}:3:10: error: 'Mostly False' is not on the site's rating scale; "
                        "did you mean 'mostly-false'? The scale: true, mostly-true, misleading, mostly-false, false, unproven")


def test_a_verdict_not_on_this_scale_never_suggests_a_merely_similar_rating(tmp_path):
    site = make_site(tmp_path, site_yaml=SCALE_WITHOUT_MOSTLY_FALSE,
                     claims={CLAIM_SLUG: CLAIM.replace('verdict: "false"', "verdict: mostly false")})
    code, lines = check(site)
    assert code == 1
    assert lines[0] == (f"{CLAIM_PATH}:3:10: error: 'mostly false' is not on the site's rating scale; "
                        "the scale: accurate, mostly-accurate, false")


def test_a_typo_in_a_verdict_is_still_caught(tmp_path):
    site = make_site(tmp_path, claims={CLAIM_SLUG: CLAIM.replace('verdict: "false"', "verdict: flase")})
    assert "did you mean 'false'?" in check(site)[1][0]


@pytest.mark.parametrize("name", [f"{CLAIM_SLUG}.yaml~", f"#{CLAIM_SLUG}.yaml#", f".{CLAIM_SLUG}.yaml.swp"])
def test_an_editors_backup_file_is_not_content(tmp_path, name):
    site = make_site(tmp_path, files={f"content/claims/{name}": "half: [saved"})
    result = run("check", "--site", site)
    assert result.returncode == 0, result.stderr


def test_a_check_dated_in_the_future_is_a_warning(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    site = make_site(tmp_path, claims={CLAIM_SLUG: CLAIM.replace("published: 2025-06-02", f"published: {future}")})
    code, lines = check(site)
    assert code == 0
    assert lines == [f"{CLAIM_PATH}:5:12: warning: the check is dated {future}, in the future; is the year right?"]


def test_a_claim_made_after_its_check_is_a_warning(tmp_path):
    text = CLAIM.replace("published: 2025-06-02", "published: 2025-06-02\nclaim_date: 2025-07-01")
    code, lines = check(make_site(tmp_path, claims={CLAIM_SLUG: text}))
    assert code == 0
    assert lines == [f"{CLAIM_PATH}:5:12: warning: the claim was made on 2025-07-01, after the check's publication "
                     "on 2025-06-02; is one of the dates wrong?"]


def test_a_rename_suggestion_never_names_a_file_that_exists(tmp_path):
    site = make_site(tmp_path, claims={CLAIM_SLUG: CLAIM, "Steel Contract": CLAIM, "Other Claim": CLAIM})
    code, lines = check(site)
    assert code == 1
    assert "content/claims/Other Claim.yaml:1:1: error: the file name 'Other Claim' must be lowercase letters, digits" \
           " and hyphens, with no spaces; try 'other-claim'" in lines
    assert "content/claims/Steel Contract.yaml:1:1: error: the file name 'Steel Contract' must be lowercase letters," \
           " digits and hyphens, with no spaces; steel-contract.yaml exists already, so choose another name" in lines


@pytest.mark.parametrize("before, after, at", [
    ("tags: [transport]", "\ttags: [transport]", "8:1"),
    ("  - article: example-wire-report", "\t- article: example-wire-report", "10:1"),
])
def test_a_tab_in_the_indentation_is_named_with_its_fix(tmp_path, before, after, at):
    desk = tmp_path / "desk"
    run("init", desk)
    claim = desk / "content" / "claims" / "bridge-already-open.yaml"
    claim.write_text(claim.read_text().replace(before, after))
    code, lines = check(desk)
    assert code == 1
    assert lines[0] == (f"content/claims/bridge-already-open.yaml:{at}: error: a tab in the indentation; "
                        "YAML indents with spaces only: replace the tab with spaces")


def test_a_pasted_no_break_space_after_a_colon_is_named_where_it_is(tmp_path):
    desk = tmp_path / "desk"
    run("init", desk)
    claim = desk / "content" / "claims" / "bridge-already-open.yaml"
    claim.write_text(claim.read_text().replace("summary: The", "summary:\u00a0The"))
    code, lines = check(desk)
    assert code == 1
    assert lines[0] == ("content/claims/bridge-already-open.yaml:6:9: error: a no-break space after the colon (pasted"
                        " from a web page or a word processor); YAML needs an ordinary space there: delete it and type a space")
