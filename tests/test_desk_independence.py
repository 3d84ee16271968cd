"""The tests never read the desk at the repository's root: a newsroom's fork stays green.

A newsroom adopts factdesk by forking the project and replacing `content/` and
`site.yaml` with its own desk. The tests build and read the example desk in
tests/fixtures/example-desk instead, so they pass whatever desk sits at the
root. This test proves it on a copy of the project whose root desk is the one
`build.py init` makes: the test files that used to read the example at the
root must pass there too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLE_DESK, PROJECT_DIR, run

# The test files that once built or read the root desk (they now use EXAMPLE_DESK).
DESK_TESTS = [
    "tests/test_build.py",
    "tests/test_docs.py",
    "tests/test_html_validity.py",
    "tests/test_independence.py",
    "tests/test_linkcheck.py",
    "tests/test_reader_a11y.py",
    "tests/test_reader_pages.py",
    "tests/test_schema.py",
    "tests/test_sources_on_pages.py",
    "tests/test_structured.py",
]
SLOW_WAITING = "tests/test_linkcheck.py"


def project_files() -> list[str]:
    """The project's files as git sees them: tracked, plus new ones not ignored (no .venv, no node_modules)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the copy of the project is made from `git ls-files`)")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_DIR,
        capture_output=True,
    )
    if listed.returncode != 0:
        pytest.skip("the project is not a git checkout (the copy of the project is made from `git ls-files`)")
    return [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def test_the_example_desk_fixture_is_a_whole_desk():
    assert (EXAMPLE_DESK / "site.yaml").is_file()
    for folder in ("articles", "claims", "pages"):
        assert any((EXAMPLE_DESK / "content" / folder).iterdir()), folder


def test_the_desk_tests_pass_in_a_fork_with_another_desk(tmp_path):
    fork = tmp_path / "fork"
    for name in project_files():
        source = PROJECT_DIR / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (fork / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, fork / name)

    # the newsroom's own desk replaces the example at the root
    shutil.rmtree(fork / "content", ignore_errors=True)
    (fork / "site.yaml").unlink(missing_ok=True)
    made = run("init", tmp_path / "newsroom", "--title", "River Desk")
    assert made.returncode == 0, made.stderr
    shutil.move(tmp_path / "newsroom" / "content", fork / "content")
    shutil.move(tmp_path / "newsroom" / "site.yaml", fork / "site.yaml")
    assert not (fork / "content" / "claims" / "multibillion-dollar-steel-contract.yaml").exists()
    assert "River Desk" in (fork / "site.yaml").read_text(encoding="utf-8")

    # test_linkcheck mostly waits on linkchecker: it runs beside the others, in its own session
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "GITHUB_STEP_SUMMARY"))}
    groups = [[t for t in DESK_TESTS if t != SLOW_WAITING], [SLOW_WAITING]]
    sessions = [
        subprocess.Popen(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", f"--basetemp={tmp_path / f'basetemp-{n}'}", *group],
            cwd=fork,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        for n, group in enumerate(groups)
    ]
    try:
        outputs = [session.communicate(timeout=600)[0] for session in sessions]
    finally:
        for session in sessions:
            if session.poll() is None:
                session.kill()
                session.wait()
    for group, session, output in zip(groups, sessions, outputs):
        assert session.returncode == 0, f"{' '.join(group)} in the fork:\n{output[-6000:]}"
