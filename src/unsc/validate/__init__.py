"""`unsc validate`: canonical form, Frictionless, pandera models and domain rules in one report."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from unsc.contract import canonical
from unsc.validate import rules
from unsc.contract import Contract, load_contract
from unsc.contract.frames import read_raw, typed
from unsc.validate.report import Issue, dedupe


def canonical_layer(contract: Contract) -> list[Issue]:
    issues = []
    for t in contract.tables.values():
        path = contract.root / t.path
        if not path.exists():
            continue  # Frictionless reports the missing file
        for row, rule_id, msg in canonical.canonical_problems(t, path.read_bytes()):
            issues.append(Issue(t.path, row, None, rule_id, msg, "run `unsc fmt` to rewrite the file in canonical form", "canonical"))
    return issues


def pandera_layer(contract: Contract, raw: dict[str, pd.DataFrame], frames: dict[str, pd.DataFrame]) -> list[Issue]:
    import pandera.pandas as pa

    from unsc.validate.models import table_model

    issues = []
    for name, df in frames.items():
        t = contract.tables[name]
        try:
            table_model(t).validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
            for rec in fc.itertuples():
                idx = rec.index
                if pd.isna(idx):
                    row = None
                else:
                    row = int(idx) + 2
                    if rec.check == "not_nullable" and raw[name].at[idx, rec.column] is not pd.NA and pd.notna(raw[name].at[idx, rec.column]):
                        continue  # a value that did not parse: reported by Frictionless as a type error
                field = rec.column if isinstance(rec.column, str) and rec.column in t.field_names else None
                issues.append(Issue(t.path, row, field, f"pandera.{str(rec.check).split('(')[0]}",
                                    f"{rec.check} failed for value {rec.failure_case!r}", "see the field's constraints in the codebook", "pandera"))
    return issues


def rules_layer(contract: Contract, raw: dict[str, pd.DataFrame], frames: dict[str, pd.DataFrame]) -> list[Issue]:
    exc = frames.get("exceptions")
    waived = set(zip(exc["rule_id"], exc["subject"])) if exc is not None else set()
    issues = []
    for r in rules.RULES.values():
        try:
            findings = list(r.check(frames))
        except KeyError as e:  # a column missing: Frictionless has said why
            issues.append(Issue("datapackage.json", None, None, r.id, f"rule could not run: missing {e}", "fix the structural errors first", "rules"))
            continue
        for table, idx, field, message, subject in findings:
            if (r.id, subject) in waived:
                continue
            row = None if idx is None else int(idx) + 2
            issues.append(Issue(contract.tables[table].path, row, field, r.id, message, r.hint, "rules"))
    for name, df in raw.items():
        t = contract.tables[name]
        cols = [f.name for f in t.fields if f.type == "string"]
        for rule_id, idx, field, message, _ in rules.text_findings(name, df, cols):
            issues.append(Issue(t.path, int(idx) + 2, field, rule_id, message, rules.TEXT_RULES[rule_id], "rules"))
    return issues


def validate_package_in_child(descriptor: Path) -> list[Issue]:
    from unsc.validate.frictionless_layer import validate_package

    return validate_package(descriptor)


class _background:
    """Run *fn(arg)* in a forked process where fork exists; call the context value to get its result."""

    def __init__(self, fn, arg):
        self.fn, self.arg, self.pool, self.future = fn, arg, None, None

    def __enter__(self):
        import multiprocessing as mp

        if "fork" in mp.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"))
            self.future = self.pool.submit(self.fn, self.arg)
            return self.future.result
        return lambda: self.fn(self.arg)

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        return False


def validate(root: str | Path = ".", report_dir: str | Path | None = None) -> list[Issue]:
    """Every problem in the package at *root*, sorted by file and row; empty means valid."""
    root = Path(root)
    contract = load_contract(root)
    # Frictionless is pure Python and the slowest layer: run it in a second process meanwhile.
    with _background(validate_package_in_child, root / "datapackage.json") as frictionless_result:
        issues = canonical_layer(contract)
        from unsc.validate.curation import validate_curation

        issues += validate_curation(contract)
        raw, frames = {}, {}
        for name, t in contract.tables.items():
            path = root / t.path
            if path.exists():
                try:
                    raw[name] = read_raw(path, t)
                    frames[name] = typed(raw[name], t)
                except Exception:  # noqa: BLE001 - unreadable: Frictionless says why
                    raw.pop(name, None)
        structural = {i.file for i in issues if i.rule in ("csv.header", "csv.encoding", "csv.structure")}
        raw = {n: df for n, df in raw.items() if contract.tables[n].path not in structural}
        frames = {n: df for n, df in frames.items() if n in raw}
        issues += pandera_layer(contract, raw, frames)
        if len(frames) == len(contract.tables):
            issues += rules_layer(contract, raw, frames)
        issues += frictionless_result()
    if report_dir is not None:
        from unsc.validate.gx_report import write_report

        issues += write_report(contract, frames, Path(report_dir))
    return dedupe(issues)
