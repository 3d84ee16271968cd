"""Every internal link goes through here, so every one carries the base path.

Output paths are the files' own names, in any script (tags/ماحولیات/); links to them
are percent-encoded, as browsers send them and static hosts serve them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from .model import Article, Claim, NavLink, Page, SiteConfig, Verdict

LABEL_URLS = ("script", "latin")  # site.yaml's label_urls: the first is the default
MAX_SEGMENT_CHARS = 80
MAX_SEGMENT_BYTES = 200  # of UTF-8: file systems hold 255 bytes in a name
_ASCII_LINK = "".join(map(chr, range(0x21, 0x7F)))  # kept as they are; other characters are encoded
# letters, digits and combining marks (a Devanagari vowel sign is part of its word)
_MARKS = "".join(c for c in map(chr, range(0x30000)) if unicodedata.category(c)[0] == "M")
_WORDS = re.compile(r"(?:[^\W_]|[" + re.escape(_MARKS) + r"])+")
_APOSTROPHES = re.compile("['\u2019]+")
# what an address leaves out: optional Arabic vowel marks, tatweel, zero-width (non-)joiners
LEFT_OUT_OF_ADDRESSES = dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D])


@lru_cache(maxsize=65536)
def label_segment(label: str, latin: bool = False) -> str:
    """The part of an address that a topic or a claimant's name gives (docs/languages.md).

    `script`: the label's own words, lowercase, joined by hyphens (`Steel mills` is
    `steel-mills`, `ماحولیاتی تبدیلی` is `ماحولیاتی-تبدیلی`). `latin`: transliterated to
    ASCII first (`mhwlyty-tbdyly`). "" when no letters or digits are left.
    """
    label = label.translate(LEFT_OUT_OF_ADDRESSES)
    if latin or label.isascii():  # python-slugify, which transliterates, as ids are suggested
        from .fields import slugify_suggestion

        words = slugify_suggestion(label).split("-")
    else:  # the same words without transliterating them: an apostrophe joins its word
        words = _WORDS.findall(_APOSTROPHES.sub("", unicodedata.normalize("NFKC", label)).lower())
    segment = ""
    for word in filter(None, words):
        longer = f"{segment}-{word}" if segment else word
        if len(longer) > MAX_SEGMENT_CHARS or len(longer.encode("utf-8")) > MAX_SEGMENT_BYTES:
            break
        segment = longer
    if not segment and (first := next(filter(None, words), "")):  # one word longer than the limit
        segment = first[:MAX_SEGMENT_CHARS].encode("utf-8")[:MAX_SEGMENT_BYTES].decode("utf-8", "ignore")
    return segment


def label_segment_or_hash(label: str, latin: bool = False, prefix: str = "label") -> str:
    """`label_segment`, or for a label without letters or digits a name made from its digest."""
    return label_segment(label, latin) or f"{prefix}-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:10]


def link(relative: str) -> str:
    """`relative` as it is written in a link: characters beyond ASCII percent-encoded."""
    return relative if relative.isascii() else quote(relative, safe=_ASCII_LINK)


# files every language's pages share: they keep their address under a language's folder
SEARCH_FOLDER = "pagefind"  # Pagefind's index and scripts, under the output
SHARED_FILES = ("static/", "cards/", f"{SEARCH_FOLDER}/", "admin/", "sitemap.xml", "robots.txt")


@dataclass(frozen=True)
class Urls:
    base_url: str
    latin: bool = False  # site.yaml's label_urls: latin
    folder: str = ""  # a language's folder ("ur/"): the pages' links go there, SHARED_FILES' do not

    @classmethod
    def of(cls, config: SiteConfig, language: str = "") -> Urls:
        """The links of `language`'s pages: in its folder ("ur/", "pt-br/" for pt-BR), none for the default's."""
        folder = "" if language in ("", config.default_language) else language.lower() + "/"
        return cls(config.base_url, config.latin_urls, folder)

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def in_folder(self, relative: str) -> str:
        """The output path of a page of this language (`relative` as the default language has it)."""
        return relative if not self.folder or relative.startswith(SHARED_FILES) else self.folder + relative

    def path(self, relative: str = "") -> str:
        """The link for an output path such as "claims/x/" (as a path from the host's root)."""
        return self.base_path + link(self.in_folder(relative))

    def absolute(self, relative: str = "") -> str:
        return self.base_url + link(self.in_folder(relative))

    # output paths of the site's pages, relative to the output folder

    @staticmethod
    def claim(claim: Claim) -> str:
        return f"claims/{claim.slug}/"

    @staticmethod
    def verdict(verdict: Verdict) -> str:
        return f"verdicts/{verdict.id}/"

    def tag(self, tag: str) -> str:
        return f"tags/{label_segment_or_hash(tag, self.latin, 'topic')}/"

    @staticmethod
    def source(article: Article) -> str:
        return f"sources/{article.id}/"

    @staticmethod
    def page(page: Page | NavLink) -> str:
        return f"{page.slug}/"

    @staticmethod
    def claimant(slug: str) -> str:
        return f"claimants/{slug}/"

    @staticmethod
    def person(person_id: str) -> str:
        return f"people/{person_id}/"

    def tag_verdict(self, tag: str, verdict: Verdict) -> str:
        """The checks on one topic with one rating: both filters at once."""
        return f"{self.tag(tag)}verdicts/{verdict.id}/"

    @staticmethod
    def card(claim: Claim) -> str:
        """The claim's share card (a PNG image)."""
        return f"cards/{claim.slug}.png"

    SEARCH = "search/"  # the search page
    SEARCH_BUNDLE = f"{SEARCH_FOLDER}/"


def output_file(relative: str) -> str:
    """The file that serves an output path: pretty URLs end in index.html."""
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative
