"""Faults end in one line and leave the previous site intact; site.yaml values no host accepts are errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PROJECT_DIR, SITE_YAML, make_site, run


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("errno_name, words", [("ENOSPC", "No space left on device"), ("EROFS", "Read-only file system")])
def test_a_write_that_fails_ends_with_one_line_and_the_previous_site_intact(tmp_path, errno_name, words):
    site, out = make_site(tmp_path), tmp_path / "out"
    assert run("build", "--site", site, "--out", out).returncode == 0
    before = tree(out)
    (site / "content" / "pages" / "about.md").write_text("---\ntitle: About\nnav: true\n---\nNew words.\n")
    code = (
        f"import errno, os, sys; sys.path.insert(0, {str(PROJECT_DIR)!r})\n"
        "import factdesk.output as output\n"
        "def failing(path, data):\n"
        f"    raise OSError(errno.{errno_name}, os.strerror(errno.{errno_name}), path)\n"
        "output._write_file = failing\n"
        "from factdesk.cli import main\n"
        f"sys.exit(main(['build', '--site', {str(site)!r}, '--out', {str(out)!r}, '--no-cache']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {words} (") and "nothing was changed" in lines[0]
    assert tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.new-")]


@pytest.mark.parametrize("cname", ["https://checks.example.org", "checks.example.org/desk", "not a domain", "localhost",
                                   "-bad-.example.org", "a" * 64 + ".example.org"])
def test_a_cname_no_host_accepts_is_an_error_at_its_line(tmp_path, cname):
    site = make_site(tmp_path, site_yaml=SITE_YAML + f"cname: '{cname}'\n")
    result = run("check", "--site", site)
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml:6:8: error: ") and "is not a domain name" in result.stderr


def test_a_good_cname_is_written_as_given(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML + "cname: Checks.Example.org\n")
    assert run("build", "--site", site, "--out", tmp_path / "out").returncode == 0
    assert (tmp_path / "out" / "CNAME").read_text() == "checks.example.org\n"
