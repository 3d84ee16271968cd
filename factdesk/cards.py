"""Share cards: a PNG per claim for og:image and twitter:image.

A card shows the site's name, the claim, who made it and when, and the verdict
label in its colour (the label is always written out: the colour only repeats it). The colours
are the light scheme's, read from the site's style.css, so a site that
restyles its verdicts gets cards to match.

The font is FiraGO (Latin, Cyrillic, Greek, Arabic, Hebrew, Thai, Georgian,
Devanagari; SIL Open Font License) as shipped by the PyPI package
pymupdf-fonts; without that package, Pillow's own bundled font is used.

Same input, same bytes: the image is drawn into a palette image (a few
colour ramps), written as PNG without any metadata (no time, no text
chunks). Drawing into palette indices, not RGB, makes each card quicker to
draw and smaller.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .i18n import interface


SIZE = (1200, 630)
MARGIN = 72
TEXT_WIDTH = SIZE[0] - 2 * MARGIN
CLAIM_TOP, CLAIM_BOTTOM = 168, 408  # the box the claim is fitted into
CLAIM_SIZES = (60, 54, 48, 43, 38, 34)  # font sizes tried, largest first
LEVELS = 16  # shades of antialiasing between a text colour and its background

# The light scheme of the project's style.css, used where a site's own has no such variable.
DEFAULT_COLOURS = {
    "text": "#1c1c1c",
    "muted": "#595959",
    "bg": "#ffffff",
    "rule": "#d8d6cf",
    "good": "#1d6b35",
    "mixed": "#8a4b00",
    "bad": "#b3261e",
    "neutral": "#4d5566",
    "on-tone": "#ffffff",
}


@dataclass(frozen=True)
class CardSpec:
    """Everything a card shows: its key is a digest of these."""

    site_title: str
    claim: str
    claimant: str
    verdict_label: str
    tone: str
    host: str
    colours: tuple[tuple[str, str], ...]
    claim_date: str = ""  # as pages write it (30 May 2025), or empty when not known
    headings: tuple[str, str] = ("THE CLAIM", "OUR RATING")  # in the site's language
    comma: str = ", "  # between the claimant and the date, as the language writes it
    rtl: bool = False  # the site's language reads right to left: the card is mirrored

    def key(self) -> str:
        texts = (self.site_title, self.claim, self.claimant, self.claim_date, self.verdict_label, self.tone, self.host,
                 *self.headings, self.comma, "rtl" if self.rtl else "ltr")
        colours = (f"{name}={value}" for name, value in self.colours)
        font = "FiraGO (pymupdf-fonts)" if _font_bytes() else "Pillow default"
        parts = ("card", _code_digest(), font, *texts, *colours)
        return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def card_spec(claim, config, colours: tuple[tuple[str, str], ...]) -> CardSpec:
    """`colours`: sorted (name, value) pairs, as `sorted(read_colours(...).items())`."""
    words = interface(config.language, config.strings)
    parts = urlsplit(config.base_url)
    return CardSpec(
        site_title=config.title,
        claim=claim.claim,
        claimant=words.gettext("Claim by %(name)s") % {"name": claim.claimant},  # as listings write it
        claim_date=words.date(claim.claim_date),
        verdict_label=claim.verdict.label,
        tone=claim.verdict.tone,
        host=(parts.netloc + parts.path).rstrip("/"),
        colours=colours,
        headings=(words.gettext("The claim").upper(), words.gettext("Our rating").upper()),
        comma=words.comma,
        rtl=words.direction == "rtl",
    )


_VARIABLE = re.compile(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?)\b")


def read_colours(static_folders: list[Path]) -> dict[str, str]:
    """The light scheme's colours: the first :root block of the last style.css found."""
    colours = dict(DEFAULT_COLOURS)
    css = None
    for folder in static_folders:
        if (folder / "style.css").is_file():
            css = (folder / "style.css").read_text(encoding="utf-8", errors="replace")
    if css:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        root = re.search(r":root\s*\{([^}]*)\}", css)
        if root:
            for name, value in _VARIABLE.findall(root.group(1)):
                if name in colours:
                    colours[name] = _expand(value)
    return colours


def _expand(value: str) -> str:
    value = value.lower()
    return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value


def _rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


@lru_cache(maxsize=1)
def _code_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _font_bytes() -> tuple[bytes, bytes] | None:
    try:
        import pymupdf_fonts
    except ImportError:
        return None
    return pymupdf_fonts.myfont("figo"), pymupdf_fonts.myfont("figbo")


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    fonts = _font_bytes()
    if fonts is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(io.BytesIO(fonts[1 if bold else 0]), size)


def _is_rtl(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text: str, font, width: float, measure) -> list[str]:
    """Lines of at most `width` pixels, broken between words (inside a word only when it alone is too long).

    `measure` gives a word's width; a line's width is taken as its words' widths plus its
    spaces, so each word is measured once."""
    space = measure(" ")
    lines: list[str] = []
    line, line_width = "", 0.0
    for word in text.split():
        word_width = measure(word)
        if line and line_width + space + word_width <= width:
            line, line_width = f"{line} {word}", line_width + space + word_width
            continue
        if line:
            lines.append(line)
        while word_width > width and len(word) > 1:
            low, high = 1, len(word) - 1  # the longest start of the word that fits, found by halving
            while low < high:
                middle = (low + high + 1) // 2
                if font.getlength(word[:middle]) <= width:
                    low = middle
                else:
                    high = middle - 1
            cut = low
            lines.append(word[:cut])
            word = word[cut:]
            word_width = measure(word)
        line, line_width = word, word_width
    if line:
        lines.append(line)
    return lines


def _ellipsis(line: str, font, width: float) -> str:
    while line and font.getlength(line + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _fitted(text: str, font, width: float) -> str:
    """`text`, or as much of it as fits `width` with … after it."""
    return text if font.getlength(text) <= width else _ellipsis(text, font, width)


def fit_claim(text: str) -> tuple[int, list[str]]:
    """The largest size at which the claim fits its box, and its lines; shortened with … at the smallest.

    Words are measured once, at the largest size, and scaled: glyphs scale with the size
    to within a pixel or two, which the 2% kept free on the right absorbs."""

    def at(size: int):
        scale = size / CLAIM_SIZES[0]
        return lambda word: _word_width(word) * scale

    for size in CLAIM_SIZES:
        font = _font(size)
        lines = wrap(text, font, TEXT_WIDTH * 0.98, at(size))
        fits = int((CLAIM_BOTTOM - CLAIM_TOP) // (size * 1.22))
        if len(lines) <= fits:
            return size, lines
    lines = lines[:fits]
    lines[-1] = _ellipsis(lines[-1], font, TEXT_WIDTH)
    return size, lines


@lru_cache(maxsize=65536)
def _word_width(word: str) -> float:
    """A word's width at the largest claim size: most words recur from card to card."""
    return _font(CLAIM_SIZES[0]).getlength(word)


class _Canvas:
    """A palette image drawn as indices: ramps of LEVELS shades from a background to a text colour."""

    def __init__(self, colours: dict[str, str], tone: str, index=None):
        from PIL import Image, ImageDraw

        self.pairs = {  # name: (index of the ramp's first shade, background, foreground)
            "text": (0, colours["bg"], colours["text"]),
            "muted": (LEVELS, colours["bg"], colours["muted"]),
            "on-tone": (2 * LEVELS, colours[tone], colours["on-tone"]),
        }
        self.rule = 3 * LEVELS
        palette: list[int] = []
        for _, background, foreground in self.pairs.values():
            b, f = _rgb(background), _rgb(foreground)
            for level in range(LEVELS):
                palette += [round(b[c] + (f[c] - b[c]) * level / (LEVELS - 1)) for c in range(3)]
        palette += list(_rgb(colours["rule"]))
        self.palette = palette
        self.index = index if index is not None else Image.new("L", SIZE, 0)
        self.draw = ImageDraw.Draw(self.index)

    def shape(self, kind: str, box, fill: str, **options) -> None:
        ink = self.rule if fill == "rule" else self.pairs[fill][0]
        getattr(self.draw, kind)(box, fill=ink, **options)

    def text(self, pair: str, xy, text: str, font, anchor: str = "ls", rtl: bool = False) -> None:
        """Draw `text` (anchored on its baseline, "ls" or "rs") in a layer the width of the text
        area and the height of the font, then set its shades' indices where it has ink."""
        from PIL import Image, ImageDraw

        options = {"direction": "rtl"} if rtl and _has_raqm() else {}
        ascent, descent = font.getmetrics()
        left, right = MARGIN - 8, SIZE[0] - MARGIN + 8
        top, bottom = max(0, xy[1] - ascent - 4), min(SIZE[1], xy[1] + descent + 4)
        layer = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(layer).text((xy[0] - left, xy[1] - top), text, font=font, fill=255, anchor=anchor, **options)
        inked = layer.point(_INKED)  # a mask that blends nothing: indices are not colours
        self.index.paste(layer.point(_shades(self.pairs[pair][0])), (left, top), mask=inked)

    def png(self) -> bytes:
        from PIL import Image

        image = Image.frombytes("P", SIZE, self.index.tobytes())
        image.putpalette(self.palette)
        out = io.BytesIO()
        # no pnginfo: no time, no text chunks; the fastest level, as every check has a card and
        # about 30 KB is small for a link preview
        image.save(out, format="PNG", compress_level=1)
        return out.getvalue()


_INKED = [0] + [255] * 255


@lru_cache(maxsize=8)
def _shades(base: int) -> list[int]:
    """Coverage 0-255 to the index of its shade in the ramp starting at `base`."""
    return [base] + [base + max(1, round(v * (LEVELS - 1) / 255)) for v in range(1, 256)]


@lru_cache(maxsize=1)
def _has_raqm() -> bool:
    from PIL import features

    return bool(features.check("raqm"))


CLAIM_CHARS = 400  # more never fits the card; longer texts are cut (with …) before they are laid out
NAME_CHARS = 200


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_card(spec: CardSpec) -> bytes:
    spec = replace(
        spec,
        site_title=_cut(spec.site_title, NAME_CHARS),
        claim=_cut(spec.claim, CLAIM_CHARS),
        claimant=_cut(spec.claimant, NAME_CHARS),
        verdict_label=_cut(spec.verdict_label, NAME_CHARS),
        host=_cut(spec.host, NAME_CHARS),
        claim_date=_cut(spec.claim_date, NAME_CHARS),
        headings=tuple(_cut(h, NAME_CHARS) for h in spec.headings),
    )
    tone = spec.tone if spec.tone in ("good", "mixed", "bad", "neutral") else "neutral"
    base = _base(spec.colours, tone, spec.site_title, spec.verdict_label, spec.host, spec.headings, spec.rtl)
    canvas = _Canvas(dict(spec.colours), tone, base.copy())
    right = SIZE[0] - MARGIN

    rtl = _is_rtl(spec.claim)  # the claim is aligned as its own letters read, like dir=auto on pages
    size, lines = fit_claim(spec.claim)
    font = _font(size)
    line_height = round(size * 1.22)
    y = CLAIM_TOP + size
    for line in lines:
        canvas.text("text", (right if rtl else MARGIN, y), line, font, anchor="rs" if rtl else "ls", rtl=rtl)
        y += line_height

    by_font = _font(28)
    claimant = spec.claimant + (f"{spec.comma}{spec.claim_date}" if spec.claim_date else "")
    claimant = _fitted(claimant, by_font, TEXT_WIDTH)
    canvas.text("muted", (right if spec.rtl else MARGIN, 452), claimant, by_font, anchor="rs" if spec.rtl else "ls", rtl=_is_rtl(claimant))
    return canvas.png()


@lru_cache(maxsize=32)
def _base(colours: tuple, tone: str, site_title: str, verdict_label: str, host: str, headings: tuple[str, str],
          mirrored: bool):
    """What cards with the same verdict share (drawn once): the site's name, the labels, the verdict, the address.
    `mirrored`: laid out from the right, for a language written right to left."""
    canvas = _Canvas(dict(colours), tone)
    width, height = SIZE
    right = width - MARGIN
    start, end = (right, MARGIN) if mirrored else (MARGIN, right)  # where lines begin and end
    at_start, at_end = ("rs", "ls") if mirrored else ("ls", "rs")

    def text(pair: str, x: int, y: int, words: str, font, anchor: str) -> None:
        canvas.text(pair, (x, y), words, font, anchor=anchor, rtl=_is_rtl(words))

    canvas.shape("rectangle", (width - 20, 0, width - 1, height) if mirrored else (0, 0, 19, height), "on-tone")  # an accent bar

    title_font = _font(34, bold=True)
    text("text", start, 74, _fitted(site_title, title_font, TEXT_WIDTH), title_font, at_start)
    canvas.shape("line", (MARGIN, 104, right, 104), "rule", width=2)
    text("muted", start, 150, headings[0], _font(24, bold=True), at_start)

    text("muted", start, 506, headings[1], _font(24, bold=True), at_start)
    label_font = _font(44, bold=True)
    label_room = TEXT_WIDTH - 360  # leave room for the site's address
    label = _fitted(verdict_label, label_font, label_room)
    pill = 2 * 26 + round(label_font.getlength(label))
    pill_box = (right - pill, 522, right, 596) if mirrored else (MARGIN, 522, MARGIN + pill, 596)
    canvas.shape("rounded_rectangle", pill_box, "on-tone", radius=12)
    text("on-tone", right - 26 if mirrored else MARGIN + 26, 574, label, label_font, at_start)

    host_font = _font(26)
    host_room = max(200, TEXT_WIDTH - pill - 40)
    text("muted", end, 574, _fitted(host, host_font, host_room), host_font, at_end)
    return canvas.index
