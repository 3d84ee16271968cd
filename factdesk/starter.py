"""`init`: a new desk that builds and checks clean as it stands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .model import DEFAULT_VERDICTS

ARTICLE_ID = "example-wire-report"
ARTICLE = """\
---
title: Ministry says new bridge will open in June
publisher: Example Wire
author: Staff reporter
published: {article_date}
url: https://news.example.com/bridge-opening
---
The transport ministry said on Monday that the new river bridge will open to traffic in June.

"The structure has passed its load tests," a ministry spokesperson told reporters, adding that
road markings were still being painted.

The ministry did not give a date for the opening ceremony.
"""

CLAIM = """\
# An example check: replace it with your own, or run `python build.py new "A claim"`.
claim: The new river bridge is already open to traffic.
claimant: Posts on social media
claim_date: {claim_date}
verdict: "false"
summary: The ministry says the bridge opens in June; it was not open when the posts appeared.
published: {today}
tags: [transport]
citations:
  - article: {article_id}
    quote: the new river bridge will open to traffic in June
    note: The ministry's own statement gives June as the opening month.
analysis: |
  Posts shared widely this week said the bridge was already carrying traffic.

  The transport ministry said the bridge **will open** in June, after load tests; road markings
  were still being painted. No source we found reports it open before then.
"""

ABOUT = """\
---
title: About us
nav: true
---
{title} checks claims made in public against the record. Each check quotes the archived
articles it rests on, word for word, and every quote is verified when the site is built.

Write to us at the address on our home page to suggest a claim or a correction.
"""

METHODOLOGY = """\
---
title: Methodology
nav: true
---
We pick claims that many people saw and that can be checked against the public record.

For each claim we archive the articles it rests on, quote them word for word, and count
how many independent sources the quotes come from: copies of one wire report count once.
A second editor reviews every check before it is published. When we correct a check we
say so on the check, with the date.
"""

SITE = """\
title: {title}
description: Fact-checks of claims made in public, with the evidence quoted word for word.
base_url: https://example.org/
language: en
publisher:
  name: {title}
  url: https://example.org/
"""

def rating_scale_page() -> str:
    """The rating scale, from the same verdicts the site uses."""
    lines = ["---", "title: Our ratings", "nav: true", "---", "Every check ends in one of these ratings.", ""]
    lines += [f"- **{v.label}**: {v.description}" for v in DEFAULT_VERDICTS]
    return "\n".join(lines) + "\n"


def starter_files(title: str, today: dt.date) -> dict[str, str]:
    values = {
        "today": today.isoformat(),
        "claim_date": (today - dt.timedelta(days=2)).isoformat(),
        "article_date": (today - dt.timedelta(days=3)).isoformat(),
        "article_id": ARTICLE_ID,
        "title": title,
    }
    return {
        "site.yaml": SITE.format(**values),
        ".gitignore": "_site/\n.venv/\n__pycache__/\n",
        f"content/articles/{ARTICLE_ID}.txt": ARTICLE.format(**values),
        "content/claims/bridge-already-open.yaml": CLAIM.format(**values),
        "content/pages/about.md": ABOUT.format(**values),
        "content/pages/methodology.md": METHODOLOGY,
        "content/pages/ratings.md": rating_scale_page(),
    }


def init_desk(folder: Path, title: str, today: dt.date) -> None:
    """Write a new desk into `folder`, which must be empty or absent; FileExistsError otherwise."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(folder)
    for relative, text in starter_files(title, today).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
