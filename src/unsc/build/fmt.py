"""`unsc fmt`: rewrite every CSV of the package in canonical form."""
from __future__ import annotations

from pathlib import Path

from unsc.contract import canonical
from unsc.contract import load_contract


def format_package(root: str | Path = ".") -> list[str]:
    """Rewrite non-canonical files; return the paths changed. Files whose header is wrong are left alone."""
    contract = load_contract(root)
    changed: dict[Path, str] = {}
    for t in contract.tables.values():
        path = contract.root / t.path
        if not path.exists():
            continue
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        header, rows = canonical.parse(text)
        if sorted(header) != sorted(t.field_names):
            raise ValueError(f"{t.path}: columns {header} are not the schema's {t.field_names}; fix the header by hand")
        new = canonical.render(t, rows)
        if new != path.read_text(encoding="utf-8", errors="replace") or path.read_bytes() != new.encode():
            changed[path] = new
    canonical.atomic_write_many(changed)
    return [str(p.relative_to(contract.root)) for p in changed]
