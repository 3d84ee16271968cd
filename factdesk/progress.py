"""How far a build has got: a line on the terminal that rewrites itself, and
the time each phase took (and the memory used by its end).

The line appears only on a terminal, and only once a build has run for
DELAY seconds, so short builds and logs stay as they were.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

DELAY = 2.0  # seconds before the line appears: a short build prints only its summary
INTERVAL = 0.1  # seconds between redraws


@dataclass
class Progress:
    stream: TextIO | None = None  # None: keep time, show nothing
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds, in the order run
    # phase -> the largest resident set so far, in MiB, of this process and of those it waited for
    peaks: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._started = time.perf_counter()
        self._phase: str | None = None
        self._phase_started = 0.0
        self._done = self._total = 0
        self._drawn_at = 0.0
        self._width = 0

    @classmethod
    def for_terminal(cls, stream: TextIO = sys.stderr, quiet: bool = False) -> "Progress":
        return cls(stream if not quiet and stream.isatty() else None)

    def phase(self, name: str, total: int = 0) -> None:
        """Start a phase (ending the one before); `total` items, if it counts them."""
        self._end_phase()
        self._phase, self._phase_started = name, time.perf_counter()
        self._done, self._total = 0, total
        self._draw()

    def advance(self, items: int = 1) -> None:
        self._done += items
        self._draw()

    def finish(self) -> None:
        """End the last phase and clear the line."""
        self._end_phase()
        if self.stream is not None and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def _end_phase(self) -> None:
        if self._phase is not None:
            elapsed = time.perf_counter() - self._phase_started
            self.timings[self._phase] = self.timings.get(self._phase, 0.0) + elapsed
            self.peaks[self._phase] = (_peak_mib(resource.RUSAGE_SELF), _peak_mib(resource.RUSAGE_CHILDREN))
            self._phase = None

    def peak_mib(self, leaving_out: str | None = None) -> float:
        """The largest resident set, in MiB, of the build's processes: this one and those it
        waited for (workers, tools); `leaving_out`: a phase whose other processes (a tool's)
        are not counted, nor any started after it (the marks are high-water marks)."""
        own = max((own for own, _ in self.peaks.values()), default=0.0)
        others = 0.0
        for phase, (_, waited_for) in self.peaks.items():
            if phase == leaving_out:
                break
            others = waited_for
        return max(own, others)

    def _draw(self) -> None:
        now = time.perf_counter()
        if self.stream is None or now - self._started < DELAY or now - self._drawn_at < INTERVAL:
            return
        self._drawn_at = now
        counted = f" {self._done:,}/{self._total:,}" if self._total else ""
        text = f"{self._phase}{counted} ({now - self._started:.0f} s)"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
