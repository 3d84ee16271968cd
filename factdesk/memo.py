"""What the last build worked out, so that the next works out again only what an edit touched:
in memory between the preview's builds, and as outlines in the build cache between builds from
the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Hashable, Sequence

from .model import Site


@dataclass
class _Section:
    inputs: tuple[str, ...]
    digests: tuple[str, ...]  # of the site's checks it was worked out from, in the site's order
    touches: Sequence  # for each of those checks, the positions of the items it shows in
    values: list | None = None  # each item's (in memory only)
    entries: dict | None = None  # the memo's entries its items recalled (in memory only)


class PlanMemo:
    """Values worked out by the last build, by what they depend on; and outlines of them."""

    def __init__(self, keep: bool = True):
        self.keep = keep  # False: a build from the command line, with nothing kept in memory
        self.previous: dict = {}
        self.current: dict = {}
        self.recalled: dict | None = None  # the entries recalled while a section's item is worked out
        self.outlines: dict = {}  # the last build's, from the build cache
        self.new_outlines: dict = {}  # this build's, for the next

    def start(self, outlines: dict) -> None:
        """Begin a build from the last one's outlines (kept in the build cache)."""
        self.outlines, self.new_outlines = outlines, {}

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

    def outline(self, part: Hashable):
        """The last build's outline of `part`, kept for the next build; None if it had none."""
        known = self.outlines.get(part)
        if known is not None:
            self.new_outlines[part] = known
        return known

    def outlined(self, part: Hashable, key: str, work):
        """`work()`, or what it gave in the last build (kept in the build cache) if it was made
        from the same `key`: an outline of what `part` is, by a digest of what it depends on."""
        known = self.outlines.get(part)
        value = known[1] if known is not None and known[0] == key else work()
        self.new_outlines[part] = (key, value)
        return value

    def table(self, part: Hashable, key: str) -> dict:
        """A table of values a build adds to as it needs them, kept for the next (in the build
        cache too) while `key`, a digest of what they depend on, is the same."""
        known = self.outlines.get(part)
        table = dict(known[1]) if known is not None and known[0] == key else {}
        self.new_outlines[part] = (key, table)
        return table

    def section(
        self,
        name: tuple,
        inputs: tuple[str, ...],
        site: Site,
        items: Sequence,
        work: Callable,
        touches: Callable[[], Sequence],
        outlined: Callable | None = None,
    ) -> list:
        """`[work(item) for item in items]`, reusing the last build's values while `inputs` (which
        must hold the site's layout: no check moved) are the same: then only the items an edited
        check touches are worked out again. `touches()`: for each check of the site, in its order,
        the positions of the items it touches (computed when the section is worked out whole).
        Between builds from the command line, `outlined(item)` gives an item's value from its
        outline (None if it has none). Looking at each item, even to find it unchanged, was
        most of planning after an edit."""
        if not self.keep and outlined is None:
            return [work(item) for item in items]
        digests = site.digests
        known = self.previous.get(name)
        if known is None and outlined is not None:
            known = self.outlines.get(("section", *name))
        if known is None or known.inputs != inputs:
            entries: dict = {}
            values = [self._work(work, item, entries) for item in items]
            section = _Section(inputs, digests, touches(), values, entries)
        else:
            again = {item for n, (was, now) in enumerate(zip(known.digests, digests)) if was != now for item in known.touches[n]}
            if known.values is not None:  # this process's last build
                values, entries = list(known.values), dict(known.entries)
                self.current.update(entries)  # what a later build, after a check moves, recalls item by item
            else:
                values, entries = [None if n in again else outlined(item) for n, item in enumerate(items)], {}
                again.update(n for n, value in enumerate(values) if value is None)
            for item in again:
                values[item] = self._work(work, items[item], entries)
            section = _Section(inputs, digests, known.touches, values, entries)
        if self.keep:
            self.current[name] = section
        self.new_outlines[("section", *name)] = _Section(inputs, digests, section.touches)
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
