"""`unsc fmt`: rewrite every CSV of the package in canonical form.

fmt only changes form, never content: it refuses (and leaves every file alone) a file it cannot
read exactly, e.g. a stray quote that would fold the rows after it into one cell, a row with too
many cells, or a header that is not the schema's.
"""
from __future__ import annotations

from pathlib import Path

from unsc.contract import canonical
from unsc.contract import load_contract
from unsc.errors import InputError

FOLD_HINT = ("a stray double quote at the start of a value makes the rows after it one cell; "
             "remove the quote or double it (\"\"), then run `unsc fmt` again")


def _folded_rows(text: str, header: list[str], rows: list[dict], rel: str) -> None:
    """Refuse a file whose quoting changes its row count: a cell holding a line break followed by
    what reads as a whole row (as many cells as the header) is rows folded by a stray quote."""
    folded = canonical.folded_row(header, rows)
    if folded:
        i, name = folded
        physical = text.count("\n") + (0 if text.endswith("\n") else 1)
        raise InputError(f"row {i}, {name}: the value spans several lines that read as rows of their own "
                         f"({len(rows) + 1} rows with quoting, {physical} lines without): fmt would fold them into one cell",
                         rel, i, FOLD_HINT)


def format_package(root: str | Path = ".") -> list[str]:
    """Rewrite non-canonical files; return the paths changed. Nothing is written if any file cannot be read exactly."""
    contract = load_contract(root)
    changed: dict[Path, str] = {}
    for t in contract.tables.values():
        path = contract.root / t.path
        if not path.exists():
            continue
        raw = path.read_bytes()
        text = canonical.decode(raw, t.path, bom="strip").replace("\r\n", "\n").replace("\r", "\n")
        header, rows = canonical.parse(text, t.path)
        if sorted(header) != sorted(t.field_names):
            raise InputError(f"columns {header} are not the schema's {t.field_names}", t.path, 1, "fix the header by hand")
        _folded_rows(text, header, rows, t.path)
        new = canonical.render(t, rows)
        if raw != new.encode("utf-8"):
            changed[path] = new
    canonical.atomic_write_many(changed)
    return [str(p.relative_to(contract.root)) for p in changed]
