"""What a build says while it runs and when it is done.

On a terminal, a build that runs longer than a couple of seconds shows a line
naming its phase and how far it has got; in a log (not a terminal) or with
--quiet it shows none. The last line always says what was built and how long
it took; --timings adds the seconds of each phase.
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time

from factdesk import progress as progress_module
from factdesk.output import MARKER
from factdesk.progress import Progress

from conftest import PROJECT_DIR, run

SUMMARY = re.compile(r"Built (\d+) checks \((\d+) files, (\d+) pages and cards rendered\) into .+ in \d+\.\d\d s")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_shows_the_phase_and_the_count(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.setattr(progress_module, "INTERVAL", 0.0)
    terminal = FakeTerminal()
    shown = Progress.for_terminal(terminal)
    shown.phase("rendering pages", 1200)
    shown.advance(250)
    shown.finish()
    text = terminal.getvalue()
    assert "rendering pages 250/1,200" in text
    assert text.endswith("\r"), "the line is cleared at the end, so the summary starts on a clean line"


def test_nothing_is_shown_before_the_delay():
    terminal = FakeTerminal()
    shown = Progress.for_terminal(terminal)
    shown.phase("reading content")
    shown.advance()
    shown.finish()
    assert terminal.getvalue() == ""


def test_no_line_when_not_a_terminal_or_when_quiet(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    assert Progress.for_terminal(io.StringIO()).stream is None
    assert Progress.for_terminal(FakeTerminal(), quiet=True).stream is None


def test_phases_are_timed_even_when_nothing_is_shown():
    timed = Progress()
    timed.phase("reading content")
    time.sleep(0.01)
    timed.phase("rendering pages", 3)
    timed.finish()
    assert list(timed.timings) == ["reading content", "rendering pages"]
    assert timed.timings["reading content"] >= 0.01


def test_the_last_line_says_what_was_built_and_how_long_it_took(tmp_path, site):
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    found = SUMMARY.fullmatch(last)
    assert found, last
    files = sum(1 for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != MARKER)  # the marker is not the site's
    assert int(found.group(2)) == files
    assert "\r" not in result.stdout + result.stderr, "no progress line in a log"


def test_a_second_build_says_it_rendered_nothing(tmp_path, site):
    assert run("build", "--site", site, "--out", tmp_path / "out").returncode == 0
    result = run("build", "--site", site, "--out", tmp_path / "out")
    assert SUMMARY.fullmatch(result.stdout.strip().splitlines()[-1]).group(3) == "0"


def test_timings_name_every_phase(tmp_path, site):
    result = run("build", "--site", site, "--out", tmp_path / "out", "--timings")
    assert result.returncode == 0, result.stderr
    phases = re.findall(r"^  (\S.*?)\s+\d+\.\d+ s$", result.stdout, re.MULTILINE)
    for phase in ("reading content", "planning pages", "rendering pages", "drawing share cards", "search index"):
        assert phase in phases
    assert SUMMARY.fullmatch(result.stdout.strip().splitlines()[-1])


def test_timings_tell_the_peak_memory_with_and_without_the_search_index(tmp_path, site):
    result = run("build", "--site", site, "--out", tmp_path / "out", "--timings")
    assert result.returncode == 0, result.stderr
    peak = re.search(r"^  peak memory\s+(\d+) MiB$", result.stdout, re.MULTILINE)
    without = re.search(r"^  without the search index\s+(\d+) MiB$", result.stdout, re.MULTILINE)
    assert peak and without, result.stdout
    assert 10 < int(without.group(1)) <= int(peak.group(1)), "a Python process, and no more than all of them"


def test_the_peak_without_a_phase_leaves_out_the_processes_of_that_phase_and_after():
    """Marks are high-water marks: a tool started in one phase (Pagefind, in the search index)
    shows in the waited-for processes' mark from that phase on, never in this process's."""
    timed = Progress()
    timed.peaks = {"reading content": (100.0, 50.0), "rendering pages": (110.0, 300.0),
                   "search index": (120.0, 900.0), "saving the cache": (130.0, 900.0)}
    assert timed.peak_mib() == 900.0
    assert timed.peak_mib(leaving_out="search index") == 300.0
    timed.peaks["rendering pages"] = (110.0, 60.0)
    assert timed.peak_mib(leaving_out="search index") == 130.0, "this process's own mark counts to the end"


def in_a_terminal(tmp_path, *args: str) -> str:
    """Run a build on a pseudo-terminal (the progress line shown from the start); what it printed."""
    code = (
        f"import sys; sys.path.insert(0, {str(PROJECT_DIR)!r}); import factdesk.progress as p; p.DELAY = 0.0; "
        "from factdesk.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the build closed its end
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert proc.wait(timeout=120) == 0, output.decode(errors="replace")
    return output.decode(errors="replace")


def test_a_terminal_sees_the_progress_line(tmp_path, site):
    output = in_a_terminal(tmp_path, "build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert "\rreading content" in output
    assert SUMMARY.search(output)


def test_quiet_hides_the_progress_line_on_a_terminal(tmp_path, site):
    output = in_a_terminal(tmp_path, "build", "--site", str(site), "--out", str(tmp_path / "out"), "--quiet")
    assert "\r" not in output.replace("\r\n", "\n")
    assert SUMMARY.search(output)
