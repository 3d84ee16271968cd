"""`new`: a claim file with every field, each explained, ready to fill in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from slugify import slugify

from .fields import MAX_SLUG_LENGTH

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A fact-check. Fill in each field; `python build.py check` says what is missing.
# The claim checked, as it was made:
claim: {claim}
# Who made the claim (a person, an outlet, "posts on social media"):
claimant:
# When the claim was made (YYYY-MM-DD):
claim_date:
# Where it appeared: ids of articles under content/articles/, or web addresses:
appeared_in: []
# An id from the rating scale in site.yaml (for example: {verdicts}):
verdict:
# Optional: the page's title; the claim is used otherwise.
headline:
# The ruling in a few plain sentences, shown before the analysis:
summary:
published: {today}
# Optional: who wrote the check; the publisher otherwise.
author:
# A draft is left out of builds; `python build.py serve` shows it. Remove when ready.
draft: true
tags: []
# Corrections and updates, oldest first:
#   - date: YYYY-MM-DD
#     note: What changed and why.
updates: []
# The evidence. Quote articles word for word; ... marks words left out.
citations:
  - article:
    quote:
    note:
  # A source that is not archived here: a link and its title, no quote.
  # - url: https://example.org/page
  #   title: The page's title
# The full analysis, in Markdown, indented under the | line:
analysis: |
  Write the analysis here.
"""


def claim_slug(claim: str) -> str:
    return slugify(claim, max_length=60, word_boundary=True) or "claim"


def scaffold(site_dir: Path, claim: str, slug: str | None, verdict_ids: list[str], today: dt.date) -> Path:
    """Write content/claims/SLUG.yaml; FileExistsError if it is already there."""
    slug = slug or claim_slug(claim)
    path = site_dir / "content" / "claims" / f"{slug[:MAX_SLUG_LENGTH]}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = Path("../../schemas/claim.schema.json").as_posix()
    text = TEMPLATE.format(
        schema=schema,
        claim=json.dumps(" ".join(claim.split()), ensure_ascii=False),
        verdicts=", ".join(verdict_ids),
        today=today.isoformat(),
    )
    with open(path, "x", encoding="utf-8") as file:  # "x": never overwrite a check
        file.write(text)
    return path
