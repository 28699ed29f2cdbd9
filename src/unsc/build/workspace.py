"""Change the record safely: stage new rows in a scratch copy, validate, then write atomically.

Importers and `unsc add` go through here, so nothing is ever written that does not validate.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from unsc.contract import canonical
from unsc.contract import Contract, load_contract
from unsc.validate.report import Issue


@dataclass
class Conflict:
    table: str
    key: tuple
    field: str
    kept: str
    offered: str

    def line(self) -> str:
        return f"{self.table} {'/'.join(self.key)}: {self.field} is {self.kept!r} in the record; the input says {self.offered!r} (record kept)"


@dataclass
class MergeResult:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # inputs the build cannot use: `unsc build` stops on them


class Workspace:
    """The package's rows in memory, as strings, keyed by primary key."""

    def __init__(self, root: str | Path, empty: bool = False):
        """The record as `data/` holds it, or (*empty*) no rows at all, for a rebuild from the inputs."""
        self.contract: Contract = load_contract(root)
        self.root = self.contract.root
        self.rows: dict[str, dict[tuple, dict]] = {}
        self.original: dict[str, str] = {}
        for name, t in self.contract.tables.items():
            path = self.root / t.path
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            self.original[name] = text
            _, rows = canonical.parse("" if empty else text)
            self.rows[name] = {self.key(name, r): r for r in rows}

    def key(self, table: str, row: dict) -> tuple:
        return tuple(row.get(k) or "" for k in self.contract.tables[table].primary_key)

    def merge(self, table: str, rows, owned=lambda row: False, result: MergeResult | None = None) -> MergeResult:
        """Add *rows*; an existing row is replaced only if *owned*(existing) says the importer made it.

        Otherwise differing values are reported as conflicts and the record's row is kept.
        """
        result = result or MergeResult()
        names = self.contract.tables[table].field_names
        current = self.rows[table]
        for row in rows:
            unknown = sorted(k for k in row if k not in names and not k.startswith("_"))
            if unknown:
                raise ValueError(f"{table} has no column {', '.join(unknown)}: the importer's row does not fit schemas/{table}.json")
            row = {n: ("" if row.get(n) is None else str(row.get(n))) for n in names}
            k = self.key(table, row)
            old = current.get(k)
            if old is None:
                current[k] = row
                result.added[table] = result.added.get(table, 0) + 1
            elif old != row:
                if owned(old):
                    current[k] = row
                    result.updated[table] = result.updated.get(table, 0) + 1
                else:
                    for n in names:
                        if (old.get(n) or "") != row[n]:
                            result.conflicts.append(Conflict(table, k, n, old.get(n) or "", row[n]))
        return result

    def texts(self) -> dict[str, str]:
        return {name: canonical.render(t, list(self.rows[name].values())) for name, t in self.contract.tables.items()}

    def changed(self) -> dict[str, str]:
        return {n: text for n, text in self.texts().items() if text != self.original[n]}

    def stage_and_validate(self, importing: bool = False) -> list[Issue]:
        """Validate the package as it would be after writing; return problems the change introduces.
        An import of some tables (*importing*) does not wait on rules another import settles (`blocks_import`)."""
        from unsc.validate import rules
        from unsc.validate import validate

        before = {_issue_key(i) for i in validate(self.root)}
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            shutil.copy(self.root / "datapackage.json", tmp / "datapackage.json")
            shutil.copytree(self.root / "schemas", tmp / "schemas")
            (tmp / "data").mkdir()
            for name, text in self.texts().items():
                (tmp / self.contract.tables[name].path).write_text(text, encoding="utf-8")
            after = validate(tmp)
        waits = {r.id for r in rules.RULES.values() if importing and not r.blocks_import}
        return [i for i in after if _issue_key(i) not in before and i.rule not in waits]

    def commit(self, force: bool = False, importing: bool = False) -> tuple[list[str], list[Issue]]:
        """Write every changed table atomically, or nothing if the change adds a problem."""
        changed = self.changed()
        if not changed:
            return [], []
        problems = [] if force else self.stage_and_validate(importing)
        if problems:
            return [], problems
        canonical.atomic_write_many({self.root / self.contract.tables[n].path: text for n, text in changed.items()})
        return [self.contract.tables[n].path for n in changed], []


def _issue_key(i: Issue) -> tuple:
    # rows shift when rows are added, so compare on rule and message
    return (i.file, i.rule, i.field, i.message)
