"""Share cards: a PNG per claim, deterministic, the og:image and twitter:image of its page."""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import build_site, html_page
from test_reader_pages import BASE, CLAIMS, reader_site

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from factdesk.cards import DEFAULT_COLOURS, CardSpec, read_colours, render_card  # noqa: E402

SPEC = CardSpec(
    site_title="Reader Desk",
    claim="Russia and Pakistan signed a multibillion-dollar contract for a steel mill in Karachi.",
    claimant="Pakistani media reports",
    verdict_label="False",
    tone="bad",
    host="example.org/desk",
    colours=tuple(sorted(DEFAULT_COLOURS.items())),
)


def chunks(png: bytes) -> list[str]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    names, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        names.append(png[at + 4 : at + 8].decode("ascii"))
        at += 12 + length
    return names


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cards")
    return build_site(reader_site(tmp), tmp / "out")


def test_every_claim_has_a_card_of_the_size_social_sites_use(out):
    for slug in CLAIMS:
        image = Image.open(out / "cards" / f"{slug}.png")
        assert image.size == (1200, 630) and image.format == "PNG"


def test_a_card_carries_no_metadata(out):
    assert set(chunks((out / "cards" / "steel-contract.png").read_bytes())) == {"IHDR", "PLTE", "IDAT", "IEND"}


def test_rendering_a_card_twice_gives_the_same_bytes():
    assert render_card(SPEC) == render_card(SPEC)


def test_building_twice_gives_the_same_cards(tmp_path):
    site = reader_site(tmp_path)
    first, second = build_site(site, tmp_path / "a"), build_site(site, tmp_path / "b")
    for slug in CLAIMS:
        assert (first / "cards" / f"{slug}.png").read_bytes() == (second / "cards" / f"{slug}.png").read_bytes()


def test_the_verdict_is_drawn_in_its_colour(out):
    image = Image.open(out / "cards" / "steel-contract.png").convert("RGB")
    colours = {colour for _, colour in image.getcolors(1200 * 630)}
    assert (0xB3, 0x26, 0x1E) in colours  # --bad, the label "False" is drawn on it
    image = Image.open(out / "cards" / "talks-continue.png").convert("RGB")
    assert (0x1D, 0x6B, 0x35) in {colour for _, colour in image.getcolors(1200 * 630)}  # --good


def test_a_different_verdict_or_claim_gives_a_different_card():
    other = CardSpec(**{**SPEC.__dict__, "verdict_label": "True", "tone": "good"})
    assert render_card(other) != render_card(SPEC)
    assert other.key() != SPEC.key()
    longer = CardSpec(**{**SPEC.__dict__, "claim": SPEC.claim + " " + "And more words. " * 40})
    assert Image.open(io.BytesIO(render_card(longer))).size == (1200, 630)  # shortened to fit


def test_og_image_and_twitter_image_are_absolute(out):
    page = html_page(out, "claims/steel-contract/index.html")
    meta = {m.attrs.get("property") or m.attrs.get("name"): m.attrs["content"] for m in page.find_all("meta") if "content" in m.attrs}
    assert meta["og:image"].startswith(f"{BASE}cards/steel-contract.png?v=")
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630"
    assert meta["og:image:alt"] == "False: Russia and Pakistan signed a steel-mill contract."
    assert [m for m in page.find_all("meta") if m.attrs.get("name") == "twitter:card"] != []
    assert len([m for m in page.find_all("meta") if m.attrs.get("name") == "twitter:card"]) == 1


def test_the_card_address_changes_with_the_card(tmp_path):
    site = reader_site(tmp_path)
    out = build_site(site)

    def address():
        page = html_page(out, "claims/steel-contract/index.html")
        return next(m.attrs["content"] for m in page.find_all("meta") if m.attrs.get("property") == "og:image")

    before, card_before = address(), (out / "cards" / "steel-contract.png").read_bytes()
    path = site / "content" / "claims" / "steel-contract.yaml"
    path.write_text(path.read_text().replace('verdict: "false"', 'verdict: "mostly-false"'))
    build_site(site, out)
    assert address() != before
    assert (out / "cards" / "steel-contract.png").read_bytes() != card_before


def test_only_changed_cards_are_drawn_again(tmp_path):
    site = reader_site(tmp_path)
    out = build_site(site)
    inode = {slug: (out / "cards" / f"{slug}.png").stat().st_ino for slug in CLAIMS}
    path = site / "content" / "claims" / "talks-continue.yaml"
    path.write_text(path.read_text().replace("Talks on the mill", "Talks on the steel mill"))
    build_site(site, out)
    assert (out / "cards" / "talks-continue.png").stat().st_ino != inode["talks-continue"]
    assert (out / "cards" / "steel-contract.png").stat().st_ino == inode["steel-contract"]  # carried over


def test_cards_take_the_colours_of_the_sites_stylesheet(tmp_path):
    css = ":root {\n  --bad: #123456;\n  --text: #000;\n}\n@media (prefers-color-scheme: dark) { :root { --bad: #ffffff; } }\n"
    site = reader_site(tmp_path, files={"static/style.css": css})
    assert read_colours([PROJECT_DIR / "static", site / "static"])["bad"] == "#123456"
    assert read_colours([PROJECT_DIR / "static", site / "static"])["text"] == "#000000"
    out = build_site(site)
    image = Image.open(out / "cards" / "steel-contract.png").convert("RGB")
    assert (0x12, 0x34, 0x56) in {colour for _, colour in image.getcolors(1200 * 630)}


def test_right_to_left_and_unspaced_claims_fit_the_card():
    for claim in ("روسيا وباكستان وقعتا عقدا بمليارات الدولارات لمصنع الصلب في كراتشي", "x" * 400, "x" * 2_000_000):
        spec = CardSpec(**{**SPEC.__dict__, "claim": claim})
        assert Image.open(io.BytesIO(render_card(spec))).size == (1200, 630)
