"""Write what `unsc build` made: every table of `data/`, the coverage notes and the README's figures, in one
atomic step; or, with `--check`, say which tables and rows differ from what is committed."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from unsc.build.rebuild import coverage_notes, rebuild
from unsc.contract import canonical, load_contract

NOTES = Path("data") / "coverage_notes.md"


def row_differences(table, old_text: str, new_text: str, most: int = 5) -> list[str]:
    """Keys of rows only in one text or different in both, the first *most* of each kind."""
    _, old_rows = canonical.parse(old_text)
    _, new_rows = canonical.parse(new_text)
    key = lambda r: "/".join(r.get(k) or "" for k in table.primary_key)  # noqa: E731
    old, new = {key(r): r for r in old_rows}, {key(r): r for r in new_rows}
    out = []
    for label, keys in (("only in the committed file", sorted(old.keys() - new.keys())),
                        ("only in the rebuild", sorted(new.keys() - old.keys())),
                        ("different", sorted(k for k in old.keys() & new.keys() if old[k] != new[k]))):
        if keys:
            out.append(f"  {len(keys)} row(s) {label}: " + ", ".join(keys[:most]) + (" …" if len(keys) > most else ""))
    return out or ["  same rows, other bytes (order or quoting): run `unsc build`"]


def outputs(root: Path, result) -> dict[Path, str]:
    contract = load_contract(root)
    files = {root / contract.tables[n].path: text for n, text in result.texts.items()}
    files[root / NOTES] = coverage_notes(result.partial_notes)
    from unsc.publish.figures import readme_text

    readme = readme_text(root, result.texts)
    if readme is not None:
        files[readme[0]] = readme[2]
    return files


def _print(message: str = "", err: bool = False, nl: bool = True) -> None:
    """The `echo` of a caller without click: click.echo's signature, standard streams."""
    print(message, end="\n" if nl else "", file=sys.stderr if err else sys.stdout)


def build_and_write(root: Path, sources=None, check: bool = False, validate: bool = True, echo=_print) -> int:
    """Exit code: 0 written (or up to date), 1 the inputs do not build, or (`check`) data/ is stale.
    *echo* takes click.echo's arguments (`err=True`: progress and the closing word go to stderr)."""
    root = Path(root)
    t0 = time.perf_counter()
    result = rebuild(root, sources, progress=lambda name, merged: echo(f"  {name}: {sum(merged.added.values()):,} row(s)", err=True))
    for p in result.problems:
        echo(p)
    if result.problems:
        echo(f"nothing written: {len(result.problems)} problem(s) in the inputs; fix them in the file named", err=True)
        return 1
    files = outputs(root, result)
    contract = load_contract(root)
    by_path = {root / t.path: t for t in contract.tables.values()}
    stale = {p: text for p, text in files.items() if not p.exists() or p.read_bytes() != text.encode("utf-8")}
    elapsed = time.perf_counter() - t0
    if check:
        for p, text in stale.items():
            echo(f"{p.relative_to(root)} is not what `unsc build` makes of sources/ and curation/:")
            if p in by_path:
                for line in row_differences(by_path[p], p.read_text(encoding="utf-8") if p.exists() else "", text):
                    echo(line)
        echo(f"rebuilt in {elapsed:.1f} s: " + ("data/ is up to date" if not stale else f"{len(stale)} file(s) differ"))
        return 1 if stale else 0
    if stale:
        canonical.atomic_write_many(stale)  # the tables, the notes and the README's figures: all or nothing
    written = [str(p.relative_to(root)) for p in stale]
    echo(f"rebuilt in {elapsed:.1f} s (" + ", ".join(f"{n} {s:.1f} s" for n, s in result.timings) + ")")
    echo("wrote " + (", ".join(written) if written else "nothing (data/ was up to date)"))
    if not validate:
        return 0
    from unsc.validate import validate as run_validation
    from unsc.validate.report import as_text

    issues = run_validation(root)
    if issues:
        echo(as_text(issues, []), nl=False)
        return 1
    echo("valid")
    return 0

