"""The body of `unsc validate`: which tables (`--changed`), progress and phase times on stderr, the report on stdout."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from unsc.contract import Contract, load_contract


def changed_paths(root: Path) -> set[str] | None:
    """Paths (relative to *root*) that git says differ from HEAD, plus untracked files; None if git cannot tell."""
    def git(*args: str) -> list[str]:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout
        return [p for p in out.split("\0") if p]

    try:
        paths = git("diff", "--name-only", "-z", "--relative", "HEAD", "--") + git("ls-files", "--others", "--exclude-standard", "-z")
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(paths)


def changed_tables(contract: Contract, paths: set[str]) -> set[str]:
    """The tables whose file changed; every table if the descriptor or any schema did."""
    if "datapackage.json" in paths or any(t.schema_path and t.schema_path in paths for t in contract.tables.values()):
        return set(contract.tables)
    return {n for n, t in contract.tables.items() if t.path in paths}


def run_validate(root: Path, fmt: str, report_dir, changed: bool, quiet: bool, with_frictionless: bool = False) -> int:
    from unsc.validate import Phases, referenced_closure, validate
    from unsc.validate.report import as_json, as_text

    quiet = quiet or fmt == "json"  # JSON is for machines: stderr stays empty too, so a captured stream parses

    def say(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr, flush=True)

    contract = load_contract(root)
    only = None
    if changed:
        paths = changed_paths(root)
        if paths is None:
            say("validate --changed: not a git work tree (or git is missing): checking every file")
        else:
            tables = changed_tables(contract, paths)
            only = referenced_closure(contract, tables)
            say(f"validate --changed: {', '.join(sorted(tables)) or 'no table'} changed; checking "
                f"{', '.join(sorted(only)) or 'nothing cell by cell'} (the domain rules read every table)")
    phases = Phases()
    issues = validate(root, report_dir=report_dir, only=only, phases=phases, progress=not quiet and sys.stderr.isatty())
    if with_frictionless:
        from unsc.validate.frictionless_layer import metadata_issues, validate_package
        from unsc.validate.report import dedupe

        issues = dedupe(issues + metadata_issues(root / "datapackage.json") + validate_package(root / "datapackage.json"))
        phases.done("frictionless")
    say(phases.summary())
    names = contract.tables if only is None else [n for n in contract.tables if n in only]
    checked = ["datapackage.json"] + [contract.tables[n].path for n in names]
    sys.stdout.write((as_json if fmt == "json" else as_text)(issues, checked))
    return 1 if issues else 0
