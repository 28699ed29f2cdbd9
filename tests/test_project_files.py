"""The project's own files: workflows lint, the pre-commit config is valid, contract definitions do not drift."""
from __future__ import annotations

import json
import re

import pytest
import subprocess
import sys
from pathlib import Path

from unsc.contract import load_contract
from unsc.validate.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_workflows_pass_the_linter():
    files = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert files
    r = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_pre_commit_config_is_valid():
    r = subprocess.run([str(BIN / "pre-commit"), "validate-config", str(ROOT / ".pre-commit-config.yaml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_theme_pattern_matches_the_vocabulary():
    """The positions.themes pattern and its documented vocabulary are one list, written twice: they must agree."""
    field = load_contract(ROOT).tables["positions"].field("themes")
    codes = [v["value"] for v in field.raw["x-vocabulary"]]
    alt = "(?:" + "|".join(codes) + ")"
    assert field.pattern == f"^{alt}(?: {alt})*$"
    assert all(v["definition"] and v["example"] for v in field.raw["x-vocabulary"])


def test_exception_rule_ids_are_real_rules():
    enum = load_contract(ROOT).tables["exceptions"].field("rule_id").enum
    assert set(enum) <= set(RULES)


def test_every_field_has_a_description_and_regexes_are_anchored():
    contract = load_contract(ROOT)
    for t in contract.tables.values():
        assert t.description, t.name
        for f in t.fields:
            assert f.description, f"{t.name}.{f.name}"
            if f.pattern:
                assert f.pattern.startswith("^") and f.pattern.endswith("$"), f"{t.name}.{f.name}"


def test_foreign_keys_point_at_declared_keys():
    contract = load_contract(ROOT)
    for t in contract.tables.values():
        for fk in t.foreign_keys:
            target = contract.tables[fk.resource]
            assert tuple(fk.reference_fields) == target.primary_key, (t.name, fk)


def test_version_is_written_once_and_carried_everywhere():
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    assert f'version: "{version}"' in (ROOT / "CITATION.cff").read_text()
    assert f"## [{version}] - " in (ROOT / "CHANGELOG.md").read_text()
    tags = subprocess.run(["git", "-C", str(ROOT), "tag", "--points-at", "HEAD"], capture_output=True, text=True).stdout.split()
    released = [t for t in tags if re.match(r"^v\d+\.\d+\.\d+$", t)]
    assert all(t == f"v{version}" for t in released)


def test_readme_figures_are_the_ones_the_build_writes():
    """The README's figures block is what `unsc build` writes from the record: stale only if someone skipped the build."""
    from unsc.publish.figures import readme_text

    _, old, new = readme_text(ROOT)
    assert old == new, "README.md's figures are stale: run `make import` (unsc build), which rewrites them"


def test_figures_block_is_replaced_and_a_missing_block_is_named():
    from unsc.publish.figures import END, START, replace_block

    text = f"intro\n{START}\nold figures\n{END}\nrest\n"
    assert replace_block(text, "new") == f"intro\n{START}\nnew\n{END}\nrest\n"
    with pytest.raises(ValueError, match="no figures block"):
        replace_block("no markers here\n", "new")


def test_curated_gaps_name_drafts_in_the_record():
    """A gap naming a draft id the record no longer has is dropped by the importer; ids drift when a
    dated vote (vote:<date>-draft-n) gains its meeting number, so the curation file must follow."""
    import csv

    drafts = {r["draft_id"] for r in csv.DictReader(open(ROOT / "data" / "drafts.csv", encoding="utf-8"))}
    with open(ROOT / "curation" / "positions" / "gaps.csv", encoding="utf-8", newline="") as fh:
        stale = [(i, r["draft_id"]) for i, r in enumerate(csv.DictReader(fh), start=2) if r["draft_id"] not in drafts]
    assert stale == [], f"curation/positions/gaps.csv rows naming drafts not in data/drafts.csv: {stale[:10]}"


def test_architecture_page_names_every_module():
    """docs/architecture.md matches the tree: every module of the toolkit is named on it."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p for p in (ROOT / "src" / "unsc").rglob("*.py") if p.name != "__init__.py"]
    missing = [str(p.relative_to(ROOT)) for p in modules if p.stem not in doc]
    assert missing == [], f"add these modules to docs/architecture.md: {missing}"
    folders = [p.name for p in (ROOT / "src" / "unsc").iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert all(f"`unsc/{f}/`" in doc for f in folders)
