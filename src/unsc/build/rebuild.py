"""`unsc build`: the record rebuilt from `sources/` and `curation/` alone, in one process.

`data/` is generated: nothing in it is edited by hand. The steps run in a fixed order on an empty
workspace (the raw sources first, then every hand-made fact in `curation/`), so the same inputs
always give the same bytes, and a contribution kept in `curation/` survives every rebuild.
"""
from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from unsc.build.workspace import Workspace

MANIFEST = "manifest.csv"


@dataclass
class BuildResult:
    texts: dict[str, str]                     # table name -> canonical CSV text
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # inputs that stop the build
    timings: list[tuple[str, float]] = field(default_factory=list)
    partial_notes: list[str] = field(default_factory=list)  # for data/coverage_notes.md


def check_manifest(sources: Path) -> list[str]:
    """Every file under *sources* is listed in its manifest with the right sha256, and vice versa."""
    manifest = sources / MANIFEST
    if not manifest.is_file():
        return [f"{manifest}: missing; list every raw source there (path,url,retrieved,sha256,bytes,terms,note)"]
    problems = []
    with open(manifest, encoding="utf-8", newline="") as fh:
        listed = {r["path"]: (i, r) for i, r in enumerate(csv.DictReader(fh), start=2)}
    for rel, (line, r) in sorted(listed.items()):
        path = sources / rel
        if not path.is_file():
            problems.append(f"{manifest}:{line}: path {rel!r} does not exist; remove the row or restore the file")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != r["sha256"]:
            problems.append(f"{manifest}:{line}: sha256 of {rel} is {digest}, the manifest says {r['sha256']}; "
                            "a changed snapshot is a new snapshot: update its row (retrieved, sha256, bytes) on purpose")
    skip = {MANIFEST, "README.md"}
    for path in sorted(p for p in sources.rglob("*") if p.is_file()):
        rel = path.relative_to(sources).as_posix()
        if rel not in listed and rel not in skip:
            problems.append(f"{sources / rel}: not listed in {manifest}; add its row (address, retrieval date, sha256, terms)")
    return problems


def steps(root: Path, sources: Path):
    """(name, reads sources/, function(ws) -> (MergeResult, notes)) in the order the record is built."""
    from unsc.build.importers import run

    curation = root / "curation"
    return [
        ("states", True, lambda ws: run.import_states(ws, sources / "country-codes" / "country-codes.csv")),
        ("memberships", True, lambda ws: run.import_membership(ws, sources / "dppa-membership" / "DPPA-SCMEMBERSHIP.csv",
                                                         curation / "membership_overrides.csv")),
        ("library tables", True, lambda ws: run.import_dhl(ws, sources / "dhl-meetings", overrides=curation / "dhl_overrides.csv",
                                                     wpd=sources / "wpd-vetoes" / "unsc_vetoes_1946_sept2022.csv")),
        ("curated votes", False, lambda ws: run.import_curated(ws, curation / "votes")),
        ("positions", False, lambda ws: run.import_positions(ws, curation / "positions")),
        ("extra sponsors", False, lambda ws: run.import_extra_sponsors(ws, curation / "sponsors_extra.csv")),
        ("contributions", False, lambda ws: run.import_tables(ws, curation / "tables")),
        ("errata", False, lambda ws: run.apply_errata(ws, curation / "errata.csv")),
        ("document symbols", False, run.fill_draft_symbols),
        ("situations", False, lambda ws: run.code_situations(ws, curation)),
    ]


def rebuild(root: str | Path, sources: str | Path | None = None, progress=None) -> BuildResult:
    """Build every table from nothing; return the canonical texts (nothing is written here)."""
    root = Path(root)
    sources = Path(sources) if sources else root / "sources"
    # a package with no raw sources at all (a test package, a fork of the curation alone) builds from curation/
    has_sources = sources.is_dir()
    problems = check_manifest(sources) if has_sources else []
    if problems:
        return BuildResult(texts={}, problems=problems)
    ws = Workspace(root, empty=True)
    result = BuildResult(texts={})
    for name, needs_sources, step in steps(root, sources):
        if needs_sources and not has_sources:
            continue
        t0 = time.perf_counter()
        merged, notes = step(ws)
        result.timings.append((name, time.perf_counter() - t0))
        if name == "curated votes":
            result.partial_notes = notes
        result.notes += [f"{name}: {n}" for n in notes]
        result.notes += [f"{name}: conflict: {c.line()}" for c in merged.conflicts]
        result.problems += merged.problems
        if progress:
            progress(name, merged)
    result.texts = ws.texts()
    return result


def coverage_notes(notes: list[str]) -> str:
    """`data/coverage_notes.md`: every vote the curated step left partial or out, and why."""
    body = "\n".join(f"- {n}" for n in notes)
    return ("# Votes left partial or left out by the curated import\n\nGenerated by `unsc build`; "
            f"each line names the curation file and row.\n\n{body}\n")

