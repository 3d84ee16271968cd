"""Accessibility: axe-core on every page type in light and dark schemes, and the colours' contrast.

The axe tests build the example site under a sub-path, serve it, open one
page of each type in Debian's Chromium (through Playwright) and inject
axe-core (the npm package, `npm ci` at the project's root): no violation of
impact "serious" or "critical" is allowed, in `prefers-color-scheme: light`
and `dark`. They skip, saying why, without Playwright, /usr/bin/chromium or
node_modules/axe-core.

The contrast tests need no browser: they read the colour variables of both
schemes from static/style.css and compute WCAG 2 contrast ratios.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_DESK, PROJECT_DIR, needs_browser

AXE = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
STYLE = PROJECT_DIR / "static" / "style.css"

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

# One page of each type of the example site (relative to its base URL).
PAGE_TYPES = {
    "home": "",
    "all checks": "claims/",
    "claim": "claims/multibillion-dollar-steel-contract/",
    "ratings": "verdicts/",
    "one rating": "verdicts/unproven/",
    "topics": "tags/",
    "one topic": "tags/steel-mills/",
    "topic and rating": "tags/steel-mills/verdicts/unproven/",
    "sources": "sources/",
    "one source": "sources/sakshi-russia-rubbishes-fake-reports/",
    "claimants": "claimants/",
    "one claimant": None,  # the first claimant listed
    "people": "people/",
    "one person": "people/sara-malik/",
    "corrections log": "corrections/log/",
    "search": "search/?q=steel&verdict=unproven",
    "plain page": "methodology/",
    "not found": "404.html",
}


# -- contrast, from the stylesheet ------------------------------------------------------


def scheme_colours(css: str) -> dict[str, dict[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    light = re.search(r":root\s*\{([^}]*)\}", css).group(1)
    dark = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}", css).group(1)

    def variables(block: str) -> dict[str, str]:
        return dict(re.findall(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{6})", block))

    light_vars = variables(light)
    return {"light": light_vars, "dark": {**light_vars, **variables(dark)}}


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


TEXT_PAIRS = [  # (text, background): all of them body-size text, so AA asks 4.5:1
    ("text", "bg"),
    ("text", "panel"),
    ("muted", "bg"),
    ("muted", "panel"),
    ("link", "bg"),
    ("link", "panel"),
    ("text", "mark"),
    ("bg", "link"),  # the buttons
    *[("on-tone", tone) for tone in ("good", "mixed", "bad", "neutral")],  # verdict labels
]
GRAPHIC_PAIRS = [(tone, "bg") for tone in ("good", "mixed", "bad", "neutral")] + [("muted", "bg")]  # bars, field borders: 3:1


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("foreground, background", TEXT_PAIRS)
def test_text_colours_meet_wcag_aa(scheme, foreground, background):
    colours = scheme_colours(STYLE.read_text(encoding="utf-8"))[scheme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= 4.5, f"{scheme}: --{foreground} on --{background} is {ratio:.2f}:1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("foreground, background", GRAPHIC_PAIRS)
def test_chart_bars_and_borders_stand_out(scheme, foreground, background):
    colours = scheme_colours(STYLE.read_text(encoding="utf-8"))[scheme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= 3, f"{scheme}: --{foreground} on --{background} is {ratio:.2f}:1"


def test_contrast_arithmetic():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# -- axe-core in a real browser ------------------------------------------------------------

needs_axe = pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (run `npm ci` at the project's root)")


@pytest.fixture(scope="module")
def served():
    from screenshots import served_site

    with served_site(EXAMPLE_DESK) as (base, out):
        yield base, out


def first_claimant(out: Path) -> str:
    listing = (out / "claimants" / "index.html").read_text(encoding="utf-8")
    return re.search(r'href="/[^"]*?/(claimants/[^"/]+/)"', listing).group(1)


@needs_browser
@needs_axe
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_no_serious_or_critical_axe_violation(served, browser, page_type, scheme):
    base, out = served
    relative = PAGE_TYPES[page_type] if PAGE_TYPES[page_type] is not None else first_claimant(out)
    # bypass_csp: axe is injected as an inline script, which the site's policy rightly refuses
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(base + relative, wait_until="load")
        if page_type == "search":  # with its results shown, as a reader sees them
            page.wait_for_selector("#search-results li", timeout=15_000)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page_type} ({scheme}):\n" + "\n".join(serious)

