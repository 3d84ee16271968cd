"""A desk can pin a version: `pip install .` gives a working `factdesk` command, and `init`
makes a desk that checks and builds clean."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, run


def requirement_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith(("#", "-r"))]


def test_the_package_depends_on_what_requirements_txt_installs():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == requirement_lines(PROJECT_DIR / "requirements.txt")


def test_init_makes_a_desk_that_checks_and_builds_clean(tmp_path):
    desk = tmp_path / "desk"
    made = run("init", desk, "--title", "River Desk")
    assert made.returncode == 0, made.stderr
    checked = run("check", "--site", desk)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    assert checked.stdout == "All good: 1 check, 1 article, 3 pages.\n"
    built = run("build", "--site", desk)
    assert built.returncode == 0, built.stderr
    assert "River Desk" in (desk / "_site" / "index.html").read_text()
    assert (desk / "_site" / "ratings" / "index.html").is_file()


def test_init_never_writes_into_a_folder_with_files(tmp_path):
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "notes.txt").write_text("mine")
    result = run("init", tmp_path / "desk")
    assert result.returncode == 2 and "already holds files" in result.stderr
    assert [p.name for p in (tmp_path / "desk").iterdir()] == ["notes.txt"]


def test_version_and_an_unknown_command():
    assert run("--version").stdout.startswith("factdesk ")
    result = run("biuld")
    assert result.returncode == 2
    assert result.stderr == ("error: there is no command 'biuld'; did you mean 'build'? "
                             "the commands are: build, serve, check, new, init, archive, recheck\n")


@pytest.mark.skipif(subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0,
                    reason="pip is not available")
def test_pip_install_gives_a_working_factdesk_command(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    install = subprocess.run([venv / "bin" / "pip", "install", "-q", str(PROJECT_DIR)], capture_output=True, text=True)
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip("the package index is out of reach: " + install.stderr[-200:])
    assert install.returncode == 0, install.stderr[-2000:]
    factdesk = venv / "bin" / "factdesk"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert subprocess.run([factdesk, "init", "desk"], cwd=elsewhere).returncode == 0
    built = subprocess.run([factdesk, "build", "--site", "desk", "--out", "out"], cwd=elsewhere, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert (elsewhere / "out" / "static" / "style.css").is_file()  # the default static files came along


def test_build_py_without_the_packages_says_how_to_set_up(tmp_path):
    # -S leaves site-packages out: the Python an editor might run by mistake
    result = subprocess.run([sys.executable, "-S", str(PROJECT_DIR / "build.py"), "check"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "pip install -q -r requirements.txt" in result.stderr and "package, which factdesk needs" in result.stderr
