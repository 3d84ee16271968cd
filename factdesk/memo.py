"""What the preview's last build worked out, so that its next build works out again only what an
edit touched: planning's parts of the site, and the feeds' entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from .model import Site


@dataclass
class _Section:
    claims: tuple  # the site's checks the section was worked out from
    values: list  # each item's
    touches: Sequence  # for each check (by position), the positions of the items it shows in
    entries: dict  # the memo's entries its items recalled, kept while it is


class PlanMemo:
    """Values worked out by the last build, by what they depend on."""

    def __init__(self, keep: bool = True):
        self.keep = keep  # False: a single build, with nothing to reuse and nothing to keep
        self.previous: dict = {}
        self.current: dict = {}
        self.recalled: dict | None = None  # the entries recalled while a section's item is worked out

    def recall(self, part: tuple, inputs: tuple, work):
        """`work()`, or what it gave in the last build if `inputs` are the same (checks among
        them compare as the same objects when unchanged, which is fast, or else field by field)."""
        known = self.previous.get(part)
        value = known[1] if known is not None and known[0] == inputs else work()
        if self.keep:
            self.current[part] = (inputs, value)
            if self.recalled is not None:
                self.recalled[part] = (inputs, value)
        return value

    def section(
        self, name: tuple, inputs: tuple, site: Site, items: Sequence, work: Callable, touches: Callable[[], Sequence]
    ) -> list:
        """`[work(item) for item in items]`, reusing the last build's values while `inputs` (which
        must hold the site's layout: no check moved) are the same: then only the items an edited
        check touches are worked out again. `touches()`: for each check of the site, in its order,
        the positions of the items it touches (computed when the section is worked out whole).
        Looking at each item, even to find it unchanged, was most of the preview's planning."""
        if not self.keep:
            return [work(item) for item in items]
        known = self.previous.get(name)
        if known is not None and known[0] == inputs:
            last: _Section = known[1]
            edited = [n for n, (was, now) in enumerate(zip(last.claims, site.claims)) if was is not now]
            again = {item for n in edited for item in last.touches[n]}
            values, entries = list(last.values), dict(last.entries)
            self.current.update(entries)  # what a later build, after a check moves, recalls item by item
            for item in again:
                values[item] = self._work(work, items[item], entries)
            section = _Section(site.claims, values, last.touches, entries)
        else:
            entries = {}
            values = [self._work(work, item, entries) for item in items]
            section = _Section(site.claims, values, touches(), entries)
        self.current[name] = (inputs, section)
        return values

    def _work(self, work: Callable, item, entries: dict):
        self.recalled = entries
        try:
            return work(item)
        finally:
            self.recalled = None

    def build_done(self) -> None:
        """This build's parts are what the next reuses; the others are forgotten (after a
        failed build, its parts are kept too: they are still true)."""
        self.previous, self.current = self.current, {}
