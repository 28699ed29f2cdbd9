"""The monthly harvest workflow: its steps (scripts/harvest_pr.sh) run offline on a copy of the package."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_workflow_is_scheduled_and_calls_the_script():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "harvest.yml").read_text())
    on = wf.get("on") or wf.get(True)  # YAML 1.1 reads the key `on` as True
    assert "schedule" in on and "workflow_dispatch" in on
    steps = wf["jobs"]["harvest"]["steps"]
    assert any("scripts/harvest_pr.sh" in (s.get("run") or "") for s in steps)
    pr = [s for s in steps if str(s.get("uses", "")).startswith("peter-evans/create-pull-request")]
    assert pr and pr[0]["with"]["body-path"] == "harvest-pr.md"


def test_workflow_steps_run_offline(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    shutil.copy(ROOT / "datapackage.json", pkg)
    for d in ("data", "schemas", "curation", "scripts"):
        shutil.copytree(ROOT / d, pkg / d)
    (pkg / "sources").mkdir()
    shutil.copy(ROOT / "sources" / "manifest.csv", pkg / "sources")
    shutil.copytree(ROOT / "sources" / "harvest", pkg / "sources" / "harvest")
    subprocess.run(["git", "init", "-q"], cwd=pkg, check=True)
    unsc = str(Path(sys.executable).parent / "unsc")
    env = {**os.environ, "UNSC": unsc, "BODY": str(pkg / "harvest-pr.md")}
    res = subprocess.run(["bash", "scripts/harvest_pr.sh", "--offline", "--no-rebuild"], cwd=pkg, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    body = (pkg / "harvest-pr.md").read_text()
    assert "## Monthly harvest" in body and "| before | 3" in body and "| after | 3" in body
    assert re.search(r"read \d+ vote\(s\) from \d+ snapshot\(s\): \d+ agree with the record", body)
