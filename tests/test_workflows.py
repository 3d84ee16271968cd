"""The shipped GitHub workflows are valid and keep deploys to main."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_githubs_schema():
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on"
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    workflow["on"] = workflow.pop(True)
    return workflow


def test_pull_requests_check_and_never_deploy():
    workflow = load("check.yml")
    assert "pull_request" in workflow["on"]
    steps = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
    assert "python build.py check --format github" in steps
    assert "pip install -r requirements.txt" in steps  # the runtime only: a content check takes a minute
    assert not any("pytest" in step or ".ci/run" in step for step in steps)
    for name in ("check.yml", "tests.yml"):
        text = (ROOT / ".github" / "workflows" / name).read_text()
        assert "deploy-pages" not in text and "pages: write" not in text


def test_the_generators_tests_run_when_the_generator_changes_and_on_main():
    workflow = load("tests.yml")
    paths = workflow["on"]["pull_request"]["paths"]
    assert "factdesk/**" in paths and "templates/**" in paths and "tests/**" in paths
    assert not any(p.startswith(("content", "site.yaml")) for p in paths)
    assert workflow["on"]["push"]["branches"] == ["main"]
    steps = [s.get("run", "") for s in workflow["jobs"]["tests"]["steps"]]
    assert "bash .ci/run" in steps


def test_main_deploys_with_the_pages_base_url_and_least_permissions():
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    runs = " ".join(s.get("run", "") for s in build["steps"])
    assert "--base-url" in runs and "steps.pages.outputs.base_url" in runs
    uses = [s.get("uses", "") for s in build["steps"] + deploy["steps"]]
    assert any(u.startswith("actions/configure-pages") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)


def test_pre_commit_runs_the_same_check_as_pull_requests():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (hook,) = [h for repo in config["repos"] for h in repo["hooks"]]
    assert hook["entry"] == "python build.py check"
    assert hook["pass_filenames"] is False and hook["language"] == "system"
    import re

    for path in ("site.yaml", "content/claims/x.yaml", "content/articles/a.txt", "templates/base.html"):
        assert re.search(hook["files"], path), path
    assert not re.search(hook["files"], "factdesk/cli.py")
