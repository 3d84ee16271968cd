#!/usr/bin/env python3
"""Screenshots of a claim page of a small Urdu desk, read right to left, for docs/languages.md.

    python scripts/urdu_screenshots.py [--out docs/screenshots/urdu]

Writes a small desk in Urdu to a temporary folder (two checks, one archived Urdu article whose
letters are the Arabic codes an editor's quote does not use, one English wire story quoted on the
Urdu page, people, the default rating scale in Urdu), builds and serves it as
scripts/screenshots.py does, and has Debian's Chromium take its first claim page 390 px wide
(a phone) and 1280 px wide (a desktop): docs/screenshots/urdu/claim-phone.png and
claim-desktop.png (a folder of their own: the README shows every image directly under docs/screenshots/). The pages name no web font: the shots show the fonts of this machine
(Debian's fonts-noto-core has Noto Nastaliq Urdu; without it Chromium falls back to another
face that has the letters, or draws boxes).

Needs Playwright for Python and /usr/bin/chromium, as scripts/screenshots.py does.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import PROJECT_DIR, launch, served_site  # noqa: E402

EXAMPLE_ARTICLE = PROJECT_DIR / "tests" / "fixtures" / "example-desk" / "content" / "articles" / "sakshi-russia-rubbishes-fake-reports.txt"
CLAIM = "claims/steel-mill-contract/"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}

SITE = """\
title: حقائق ڈیسک
description: دعووں کی جانچ، ہر حوالہ محفوظ شدہ ذریعے سے تصدیق شدہ۔
base_url: https://example.org/
language: ur
publisher:
  name: حقائق ڈیسک ٹرسٹ
  url: https://example.org/
people:
  - id: ayesha-khan
    name: عائشہ خان
    role: جانچ کار
  - id: bilal-ahmed
    name: بلال احمد
    role: مدیر
"""

# An Urdu report as one site printed it: Arabic yeh (ي), kaf (ك) and heh (ه) where Urdu
# keyboards type ی, ک and ہ; the checks quote it in Urdu letters and the quotes still match.
URDU_ARTICLE = """\
---
title: اسٹیل مل کی بحالی پر روس سے بات چیت جاری
publisher: مثال نیوز
published: 2025-07-11
url: https://news.example.com/urdu/steel-mill
---
اسلام آباد: وفاقی وزير صنعت نے كها كه پاكستان اسٹيل ملز كي بحالي كے ليے روس كے ساتھ بات چيت جاري هے۔
انھوں نے بتايا كه مذاكرات ابتدائي مرحلے ميں هيں اور ابھي كسي معاهدے پر دستخط نهيں هوئے۔
"""

STEEL_MILL_CONTRACT = """\
claim: روس اور پاکستان نے کراچی اسٹیل مل کے اربوں ڈالر کے معاہدے پر دستخط کر دیے ہیں۔
claimant: سوشل میڈیا پوسٹس
claim_date: 2025-05-29
verdict: "false"
headline: اسٹیل مل کے معاہدے پر دستخط نہیں ہوئے، بات چیت جاری ہے
summary: >-
  ماسکو کے ذرائع نے بات چیت کی تصدیق کی لیکن کسی معاہدے پر دستخط کی تردید کی۔ پاکستان کے
  مطابق اسٹیل مل کی بحالی پر مذاکرات جولائی 2025 میں بھی ابتدائی مرحلے میں تھے۔
published: 2025-06-03
author: ayesha-khan
reviewed_by: bilal-ahmed
tags: [اسٹیل مل, روس]
updates:
  - date: 2025-07-12
    note: وفاقی وزیر صنعت کے بیان کی رپورٹ شامل کی۔ درجہ بندی میں کوئی تبدیلی نہیں۔
citations:
  - article: sakshi-russia-rubbishes-fake-reports
    quote: 'Sources in Moscow admitted negotiations taking place on the issue but slammed reports which claimed that a "multibillion dollar contract" has been signed'
    note: 'انگریزی خبر: ماسکو کے ذرائع نے بات چیت مانی، معاہدہ نہیں۔'
  - article: misal-news-steel-mill
    quote: 'مذاکرات ابتدائی مرحلے میں ہیں اور ابھی کسی معاہدے پر دستخط نہیں ہوئے'
analysis: |
  ماسکو کے ذرائع نے تسلیم کیا کہ اس معاملے پر بات چیت ہو رہی ہے، لیکن اربوں ڈالر کے معاہدے کی
  خبروں کو رد کیا [1]۔ جولائی میں پاکستان کے وفاقی وزیر صنعت نے بھی کہا کہ ابھی کسی معاہدے پر
  دستخط نہیں ہوئے [2]۔
"""

REOPENING = """\
claim: کراچی اسٹیل مل اگلے مہینے دوبارہ کام شروع کر دے گی۔
claimant: Steel Workers Forum
claim_date: 2025-07-15
verdict: unproven
summary: بحالی پر بات چیت ابتدائی مرحلے میں ہے؛ کام شروع ہونے کی کوئی تاریخ کسی ذریعے میں نہیں۔
published: 2025-07-20
author: bilal-ahmed
reviewed_by: ayesha-khan
tags: [اسٹیل مل]
single_source: بحالی کے منصوبے کا واحد سرکاری بیان وزیر صنعت کا ہے۔
citations:
  - article: misal-news-steel-mill
    quote: 'پاکستان اسٹیل ملز کی بحالی کے لیے روس کے ساتھ بات چیت جاری ہے'
analysis: |
  وزیر صنعت کے مطابق بحالی پر بات چیت جاری ہے [1]، لیکن کام دوبارہ شروع ہونے کی کوئی تاریخ
  نہیں دی گئی۔
"""

ABOUT = """\
---
title: ہمارے بارے میں
nav: true
---
ہم سیاسی اور معاشی دعووں کی جانچ کرتے ہیں، اور ہر حوالہ اس مضمون سے تصدیق کرتے ہیں جو ہم نے محفوظ کیا ہے۔
"""


def write_urdu_desk(folder: Path) -> Path:
    """The desk's files under `folder`; returns the folder."""
    files = {
        "site.yaml": SITE,
        "content/articles/misal-news-steel-mill.txt": URDU_ARTICLE,
        "content/claims/steel-mill-contract.yaml": STEEL_MILL_CONTRACT,
        "content/claims/steel-mill-reopening.yaml": REOPENING,
        "content/pages/about.md": ABOUT,
    }
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE_ARTICLE, folder / "content" / "articles" / EXAMPLE_ARTICLE.name)
    return folder


def take(out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="factdesk-urdu-") as temporary:
        site = write_urdu_desk(Path(temporary))
        with served_site(site) as (base, _), sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for name, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                                  color_scheme="light", reduced_motion="reduce")
                    page = context.new_page()
                    page.goto(base + CLAIM, wait_until="load")
                    page.evaluate("document.fonts.ready")
                    path = out_dir / f"claim-{name}.png"
                    page.screenshot(path=str(path), full_page=False)
                    written.append(path)
                    context.close()
            finally:
                browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "screenshots" / "urdu")
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
