"""A small inline SVG bar chart of how many checks got each rating.

No script or style attribute (the Content-Security-Policy allows neither): bars take their colour
from style.css through their tone class and text the page's, so the chart follows the light and
dark schemes. Each bar is labelled with its rating and count, and the <title> says the same in one
sentence for screen readers: nothing is said by colour alone. Right to left, the chart is mirrored.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .i18n import Interface
from .model import Verdict
from .quotes import clipped

WIDTH = 400  # viewBox units; the stylesheet caps the drawn width
ROW = 26
LABEL_END = 150  # labels are right-aligned against this x
BAR_START = 158
BAR_SPACE = 190  # the longest bar; its count is written after it
LABEL_CHARS = 19  # longer labels are shortened in the drawing (the title has them whole)


def describe(counts: list[tuple[Verdict, int]], what: str, words: Interface) -> str:
    """The chart's figures as one sentence: its text equivalent, in the page's language."""
    total = sum(n for _, n in counts)
    parts = [f"{verdict.label}: {words.number(n)}" for verdict, n in counts]
    return words.gettext("%(what)s (%(num)s in all): %(counts)s.") % {"what": what, "num": words.number(total),
                                                                       "counts": words.semicolon.join(parts)}


def verdict_chart(counts: list[tuple[Verdict, int]], what: str, words: Interface) -> Markup:
    """The SVG: one labelled bar per rating, in the scale's order."""
    rtl = words.direction == "rtl"

    def x(at: float) -> float:  # drawn from the right edge when the language reads that way
        return round(WIDTH - at, 1) if rtl else at

    most = max((n for _, n in counts), default=0) or 1
    height = ROW * len(counts) + 4
    rows = []
    for i, (verdict, n) in enumerate(counts):
        y = 2 + i * ROW
        width = round(BAR_SPACE * n / most, 1)
        # text-anchor "end" is the label's left edge in right-to-left text: it lands against the bar either way
        rows.append(
            f'<text x="{x(LABEL_END)}" y="{y + 17}" text-anchor="end">{escape(clipped(verdict.label, LABEL_CHARS))}</text>'
            f'<rect class="tone-{escape(verdict.tone)}" x="{x(BAR_START + width) if rtl else BAR_START}" y="{y + 3}"'
            f' width="{width}" height="{ROW - 8}" rx="2"/>'
            f'<text x="{x(BAR_START + width + 6)}" y="{y + 17}">{escape(words.number(n))}</text>'
        )
    return Markup(
        f'<svg class="chart" id="verdict-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        + (' direction="rtl"' if rtl else "")
        + ' role="img" aria-labelledby="verdict-chart-title">'
        f'<title id="verdict-chart-title">{escape(describe(counts, what, words))}</title>'
        + "".join(rows)
        + "</svg>"
    )
