"""Every internal link goes through here, so every one carries the base path."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Article, Claim, NavLink, Page, Verdict


@dataclass(frozen=True)
class Urls:
    base_url: str

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def path(self, relative: str = "") -> str:
        """The link for an output path such as "claims/x/" (as a path from the host's root)."""
        return self.base_path + relative

    def absolute(self, relative: str = "") -> str:
        return self.base_url + relative

    # output paths of the site's pages, relative to the output folder

    @staticmethod
    def claim(claim: Claim) -> str:
        return f"claims/{claim.slug}/"

    @staticmethod
    def verdict(verdict: Verdict) -> str:
        return f"verdicts/{verdict.id}/"

    @staticmethod
    def tag(tag: str) -> str:
        return f"tags/{tag}/"

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
    def tag_verdict(tag: str, verdict: Verdict) -> str:
        """The checks on one topic with one rating: both filters at once."""
        return f"tags/{tag}/verdicts/{verdict.id}/"

    @staticmethod
    def card(claim: Claim) -> str:
        """The claim's share card (a PNG image)."""
        return f"cards/{claim.slug}.png"

    SEARCH = "search/"  # the search page
    SEARCH_BUNDLE = "pagefind/"  # Pagefind's index and scripts


def output_file(relative: str) -> str:
    """The file that serves an output path: pretty URLs end in index.html."""
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative
