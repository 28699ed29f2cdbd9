"""`unsc validate`: every layer, one report.

1. contract: every type, constraint and key of the Table Schemas is one unsc can check (`frictionless_layer.contract_issues`;
   the full Frictionless metadata check, `metadata_issues`, costs 17 MB and 0.4 s: `--frictionless` runs it, and bare
   Frictionless over every row);
2. structure: one streaming pass per file: encoding, line endings, header, ragged and blank rows, key
   order, canonical form (`structure`);
3. schema: every cell against its field's type and constraints, unique fields, primary and foreign keys,
   compiled from the schemas (`cells`, via `unsc.contract.derive`);
4. rules: the domain rules a Table Schema cannot say (`rules`), on the typed frames;
5. with `--report`: the great-expectations suites and Data Docs (`gx_report`).

pandas is imported inside the functions: `unsc fmt --check` and the CLI start without it.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from unsc.contract import Contract, load_contract
from unsc.validate.report import Issue, dedupe

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def canonical_layer(contract: Contract, names: Iterable[str] | None = None) -> list[Issue]:
    """The structure pass alone (what `unsc fmt --check` reports)."""
    from unsc.validate.structure import scan

    issues = []
    from unsc.validate.cells import order_issue, read_frame

    for name in names or contract.tables:
        t = contract.tables[name]
        path = contract.root / t.path
        if path.is_file():
            data = path.read_bytes()
            s = scan(t, data)
            issues += s.issues
            df = read_frame(t, data, s)
            unordered = order_issue(t, df, s) if df is not None else None
            issues += [unordered] if unordered else []
    return _fmt_hints(issues)


def rules_layer(contract: Contract, raw: dict[str, pd.DataFrame], frames: dict[str, pd.DataFrame]) -> list[Issue]:
    from unsc.validate import rules

    exc = frames.get("exceptions")
    waived = set(zip(exc["rule_id"], exc["subject"])) if exc is not None else set()
    issues = []
    by_subject: dict[str, list[Issue]] = {}
    for r in rules.RULES.values():
        try:
            findings = list(r.check(frames))
        except KeyError as e:  # a column missing: the structure layer has said why
            issues.append(Issue("datapackage.json", None, None, r.id, f"rule could not run: missing {e}", "fix the header problems first", "rules"))
            continue
        for table, idx, field, message, subject in findings:
            if (r.id, subject) in waived:
                continue
            row = None if idx is None else int(idx) + 2
            issue = Issue(contract.tables[table].path, row, field, r.id, message, r.hint, "rules")
            by_subject.setdefault(str(subject), []).append(issue)
    issues += _group_by_subject(contract, by_subject)
    for name, df in raw.items():
        t = contract.tables[name]
        cols = [f.name for f in t.fields if f.type == "string"]
        for rule_id, idx, field, message, _ in rules.text_findings(name, df, cols):
            issues.append(Issue(t.path, int(idx) + 2, field, rule_id, message, rules.TEXT_RULES[rule_id], "rules"))
    return issues


def _table_depth(contract: Contract) -> dict[str, int]:
    """0 for a table nothing it references depends on...; a referenced table comes before the tables referencing it."""
    depth: dict[str, int] = {}

    def d(name: str, seen=()) -> int:
        if name in depth:
            return depth[name]
        refs = [fk.resource for fk in contract.tables[name].foreign_keys if fk.resource != name and fk.resource not in seen]
        depth[name] = 1 + max((d(r, seen + (name,)) for r in refs), default=-1)
        return depth[name]

    for n in contract.tables:
        d(n)
    return depth


def _group_by_subject(contract: Contract, by_subject: dict[str, list[Issue]]) -> list[Issue]:
    """Rule findings about one subject (a draft) across tables: the one in the most basic table (drafts before
    votes) is the root cause, the findings in the tables that depend on it follow from it."""
    depth = {contract.tables[n].path: v for n, v in _table_depth(contract).items()}
    out = []
    for found in by_subject.values():
        files = {i.file for i in found}
        if len(files) < 2:
            out += found
            continue
        root_file = min(files, key=lambda f: (depth.get(f, 99), f))
        roots = sorted((i for i in found if i.file == root_file), key=Issue.sort_key)
        out += roots
        key = roots[0].key()
        out += [Issue(i.file, i.row, i.field, i.rule, i.message, i.hint, i.layer, key) for i in found if i.file != root_file]
    return out


def referenced_closure(contract: Contract, names: Iterable[str]) -> set[str]:
    """*names* and every table they reference by foreign key, transitively."""
    todo, out = list(names), set()
    while todo:
        n = todo.pop()
        if n in out or n not in contract.tables:
            continue
        out.add(n)
        todo += [fk.resource for fk in contract.tables[n].foreign_keys]
    return out


class Phases:
    """Wall time per phase; *echo* (e.g. a print to stderr) is told each as it ends."""

    def __init__(self, echo: Callable[[str], None] | None = None):
        self.echo, self.times, self._t = echo, {}, time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = self.times.get(name, 0.0) + now - self._t
        self._t = now

    def summary(self) -> str:
        return "phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.times.items()) + f"; total {sum(self.times.values()):.2f} s"


def _progress(items: list, label: str, enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="file", file=sys.stderr, leave=False)


def validate(root: str | Path = ".", report_dir: str | Path | None = None, only: Iterable[str] | None = None,
             phases: Phases | None = None, progress: bool = False) -> list[Issue]:
    """Every problem in the package at *root*, sorted by file and row; empty means valid.

    *only*: table names whose files are checked cell by cell (`--changed`); the tables they reference are read
    for the foreign keys, and the domain rules, which span tables, read every table.
    """
    from unsc.validate.cells import cell_issues, fk_issues, order_issue, read_frame
    from unsc.validate.frictionless_layer import contract_issues
    from unsc.contract.frames import typed as typed_frame
    from unsc.domain.queries import Tables
    from unsc.validate.structure import Scan, scan

    from unsc.errors import ContractError

    root = Path(root)
    phases = phases or Phases()
    try:
        contract = load_contract(root)
    except ContractError as e:  # a descriptor or schema unsc cannot read: nothing else can be checked
        return [Issue(e.file or "datapackage.json", e.row, None, "package.schema", e.message, e.hint, "contract")]
    issues = contract_issues(contract)
    if any(i.rule == "package.schema" for i in issues):
        return dedupe(issues)  # the cell checks are compiled from the schemas: fix them first
    phases.done("contract")
    from unsc.validate.curation import validate_curation

    issues += validate_curation(contract)  # the hand-made inputs, in the files a contributor edits
    phases.done("curation")
    checked = set(contract.tables) if only is None else set(only) & set(contract.tables)
    raw: dict[str, pd.DataFrame] = {}
    frames = Tables()  # memoises the shared queries (completeness, scope) across rules
    complete = True
    base = root.resolve()
    for name in _progress(list(contract.tables), "validate", progress):
        t = contract.tables[name]
        path = root / t.path
        if not path.resolve().is_relative_to(base):
            issues.append(Issue("datapackage.json", None, None, "package.path", f"resource {name} points outside the package: {t.path}",
                                "resource paths are relative and stay inside the package folder", "structure"))
            complete = False
            continue
        if not path.is_file():
            issues.append(Issue(t.path, None, None, "package.missing-file", f"the file named by resource {name} does not exist",
                                "restore the file (git checkout -- " + t.path + ") or correct the path in datapackage.json", "structure"))
            complete = False
            continue
        data = path.read_bytes()
        if name not in checked:  # unchanged (--changed): read for the rules and keys, not checked again
            try:
                df = read_frame(t, data, Scan(header=t.field_names))
                raw[name], frames[name] = df, typed_frame(df, t)
                continue
            except Exception:  # noqa: BLE001 - not as expected after all: check it like the rest
                checked.add(name)
        s = scan(t, data)
        issues += s.issues
        df = read_frame(t, data, s)
        del data
        if df is None:
            complete = False
            issues += _missing_column_cells(t, s)
            continue
        found, typed = cell_issues(t, df, s)
        issues += found
        unordered = order_issue(t, df, s)
        issues += [unordered] if unordered else []
        raw[name], frames[name] = df, typed
    phases.done("structure+cells")
    issues += fk_issues(contract, raw, only=checked)
    phases.done("keys")
    if complete and len(frames) == len(contract.tables):
        issues += rules_layer(contract, raw, frames)
    phases.done("rules")
    if report_dir is not None:
        from unsc.validate.gx_report import write_report

        issues += write_report(contract, frames, Path(report_dir))
        phases.done("report")
    return dedupe(_fmt_hints(issues))


def _missing_column_cells(t, s) -> list[Issue]:
    """A header without a schema column leaves every row without that cell: one issue per row and column,
    each following from the header's (Frictionless reads such a file by position and reports the shifted cells)."""
    root = next((i for i in s.issues if i.rule == "csv.header"), None)
    if root is None or not s.header:
        return []
    missing = [n for n in t.field_names if n not in s.header]
    return [Issue(t.path, r, n, "csv.missing-cell", f"row has no {n}: the column is missing from the header", "", "structure", root.key())
            for r in range(2, s.rows + 2) for n in missing]


def _fmt_hints(issues: list[Issue]) -> list[Issue]:
    """'run `unsc fmt`' only where fmt would do it: fmt refuses a package with a ragged row, a file that is not
    UTF-8 or a header naming other columns, so then the hint says to fix that first."""
    from unsc.validate.structure import FMT_HINT

    blockers = [i for i in issues if i.rule in ("csv.extra-cell", "csv.missing-cell", "csv.syntax")
                or (i.rule == "csv.encoding" and "UTF-8" in i.message)
                or (i.rule == "csv.header" and "in another order" not in i.message)]
    if not blockers:
        return issues
    first = blockers[0]
    instead = f"fix {first.file}:{first.row if first.row is not None else '-'} ({first.rule}) first; `unsc fmt` refuses the package until then"
    for n, i in enumerate(issues):
        if i.hint == FMT_HINT:
            issues[n] = Issue(i.file, i.row, i.field, i.rule, i.message, instead, i.layer, i.cause)
    return issues
