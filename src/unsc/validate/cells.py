"""The schema's cell and table constraints, compiled from `unsc.contract.derive` and run vectorised in pandas.

Type, required, enum, pattern, minimum/maximum, length, string format, unique, primary key and foreign
keys: what Frictionless checks row by row in Python, here a column at a time. `tests/test_differential.py`
proves that every error bare `frictionless validate` reports on the mutation fixtures is reported here at
the same file, row and field. One error per bad cell: a cell that is empty, of the wrong type or breaks
a constraint is reported for the first of these only (the order of `derive.ORDER`).
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from unsc.contract import Contract, Table
from unsc.contract import derive
from unsc.validate.report import Issue
from unsc.validate.structure import Scan

LAYER = "schema"


def read_frame(table: Table, data: bytes, scan: Scan) -> pd.DataFrame | None:
    """The file's cells as strings (NA where empty), one row per CSV record (row i is record i + 2, blank
    records included), columns in schema order; None when the structure pass found it unreadable."""
    if not scan.readable:
        return None
    na = derive.missing_values(table)
    long_rows = any(c > len(scan.header) for c in scan.ragged.values())
    df = None
    if not long_rows:
        try:
            df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=na, skip_blank_lines=False,
                             encoding="utf-8-sig", engine="c")
        except ValueError:  # anything the C parser refuses that the structure pass let through: read as csv does
            df = None
    if df is None:  # rows with too many cells: cut to the header's width, as Frictionless reads them
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        width = len(header)
        rows = [(r + [""] * width)[:width] if r else [""] * width for r in reader]
        df = pd.DataFrame(rows, columns=header, dtype=object)
        df = df.where(~df.isin(na), pd.NA)
    return df[table.field_names]


def _rows(mask: pd.Series) -> list:
    return mask.index[mask.to_numpy(dtype=bool, na_value=False)].tolist()


def cell_issues(table: Table, raw: pd.DataFrame, scan: Scan | None = None) -> tuple[list[Issue], pd.DataFrame]:
    """(issues, typed frame): every cell breaking its field's type or a constraint, and the frame cast to the schema's types."""
    issues: list[Issue] = []
    skip = set(scan.blank) if scan else set()
    cause = {r: _root_key(table.path, r, scan) for r in (scan.ragged if scan else {})}
    live = ~raw.index.isin([r - 2 for r in skip]) if skip else None
    typed = {}
    for f in table.fields:
        text = raw[f.name]
        tm = derive.type_of(f)
        present = text.notna()
        if live is not None:
            present &= live
        flagged = pd.Series(False, index=raw.index)
        if derive.required(table, f):
            empty = text.isna() if live is None else (text.isna() & live)
            for idx in _rows(empty):
                issues.append(_issue(table, idx, f.name, "schema.required", f"{f.name} is empty; a value is required",
                                     f"fill in {f.name}" + (" (part of the primary key)" if f.name in table.primary_key else ""), cause))
        t = derive.cast(text, f)
        bad_type = pd.Series(False, index=raw.index)
        if tm.lexical:
            bad_type = present & derive.not_matching(text, tm.lexical)
            bad_type |= present & t.isna()  # e.g. 2023-02-30: the form is right, the day does not exist
        fmt = f.raw.get("format")
        if f.type == "string" and fmt in derive.FORMATS:
            bad_type = present & derive.not_matching(text, derive.FORMATS[fmt])
        for idx in _rows(bad_type):
            v = text.at[idx]
            w = fmt or tm.wording
            what = f"{'an' if w[0] in 'aeiou' else 'a'} {w}"
            issues.append(_issue(table, idx, f.name, "schema.type", f"{v!r} is not {what}", tm.hint if not fmt else f"write a full {fmt}, e.g. https://…", cause))
        flagged |= bad_type
        ok = present & ~flagged
        if ok.any():
            tx, ty = text[ok], t[ok]
            for c, v in derive.constraints_of(f):
                if c.mask is None:
                    continue
                m = c.mask(tx, ty, v).fillna(False).astype(bool)
                if m.any():
                    for idx in _rows(m):
                        issues.append(_issue(table, idx, f.name, f"schema.{c.key}", f"{f.name} {c.message(tx.at[idx], f.constraints[c.key])}",
                                             c.hint(f, f.constraints[c.key]), cause))
                    keep = ~m
                    tx, ty = tx[keep], ty[keep]
        if f.unique:
            vals = text[present]
            dup = vals.duplicated(keep="first")
            if dup.any():
                first = {v: i for i, v in vals[~vals.duplicated(keep="first")].items()}
                for idx in _rows(dup):
                    issues.append(_issue(table, idx, f.name, "schema.unique", f"{vals.at[idx]!r} is also on row {first[vals.at[idx]] + 2}; {f.name} is unique",
                                         f"each {f.name} may appear once: change or remove one of the rows", cause))
        typed[f.name] = t
    pk = list(table.primary_key)
    if pk:
        keys = raw[pk]
        full = keys.notna().all(axis=1)
        if live is not None:
            full &= live
        k = keys[full]
        dup = k.duplicated(keep="first")
        if dup.any():
            first_rows = k[~dup].reset_index().set_index(pk)["index"]
            for idx in _rows(dup):
                key = tuple(k.loc[idx])
                where = first_rows.get(key if len(pk) > 1 else key[0])
                issues.append(_issue(table, idx, pk[0] if len(pk) == 1 else None, "schema.primary-key",
                                     f"({', '.join(pk)}) = {', '.join(map(repr, key))} is also on row {int(where) + 2}",
                                     "each primary key may appear once: merge or remove the duplicate row", cause))
    return issues, pd.DataFrame(typed, index=raw.index)


def order_issue(table: Table, raw: pd.DataFrame, scan: Scan | None = None) -> Issue | None:
    """The first row out of primary-key order (natural order: S/PV.99 before S/PV.100), or None.
    Each distinct key value is ranked once; the rows are then compared as integer tuples."""
    import numpy as np

    from unsc.contract.canonical import natural_key
    from unsc.validate.structure import FMT_HINT

    pk = list(table.primary_key)
    if not pk or len(raw) < 2 or (scan and (scan.ragged or scan.blank or scan.header != table.field_names)):
        return None
    eq = np.ones(len(raw) - 1, dtype=bool)
    bad = np.zeros(len(raw) - 1, dtype=bool)
    for k in pk:
        col = raw[k].fillna("").astype(object)
        uniq = col.unique()
        rank = dict(zip(sorted(uniq, key=natural_key), range(len(uniq))))
        codes = col.map(rank).to_numpy(dtype=np.int64)
        step = codes[1:] - codes[:-1]
        bad |= eq & (step < 0)
        eq &= step == 0
    if not bad.any():
        return None
    row = int(raw.index[int(np.argmax(bad)) + 1]) + 2
    return Issue(table.path, row, None, "csv.order", f"row is out of order by primary key ({', '.join(pk)})", FMT_HINT, "structure")


def fk_issues(contract: Contract, raws: dict[str, pd.DataFrame], only: set[str] | None = None) -> list[Issue]:
    """Every row of the tables in *only* (default all) whose foreign key names no row of the referenced table.
    Rows naming the same missing value are grouped under the first."""
    issues: list[Issue] = []
    for name, t in contract.tables.items():
        if name not in raws or (only is not None and name not in only):
            continue
        df = raws[name]
        for fk in t.foreign_keys:
            ref = raws.get(fk.resource)
            if ref is None:
                continue
            local = df[list(fk.fields)].dropna()
            if local.empty:
                continue
            if len(fk.fields) == 1:
                miss = ~local.iloc[:, 0].isin(ref[fk.reference_fields[0]].dropna())
            else:
                have = pd.MultiIndex.from_frame(ref[list(fk.reference_fields)].dropna())
                miss = pd.Series(~pd.MultiIndex.from_frame(local).isin(have), index=local.index)
            field = fk.fields[0] if len(fk.fields) == 1 else None
            target = f"{fk.resource}.{','.join(fk.reference_fields)}"
            roots: dict[tuple, str] = {}
            counts: dict[tuple, int] = {}
            bad = local[miss.to_numpy()]
            for idx, vals in zip(bad.index, bad.itertuples(index=False, name=None)):
                counts[vals] = counts.get(vals, 0) + 1
            for idx, vals in zip(bad.index, bad.itertuples(index=False, name=None)):
                shown = ", ".join(map(repr, vals))
                if vals in roots:
                    issues.append(Issue(t.path, idx + 2, field, "schema.foreign-key", f"{shown} is not in {target}", "", LAYER, roots[vals]))
                    continue
                more = counts[vals] - 1
                iss = Issue(t.path, idx + 2, field, "schema.foreign-key",
                            f"{', '.join(fk.fields)} {shown} is not in {target}" + (" (nor is the other row naming it)" if more == 1 else f" (nor are the {more} other rows naming it)" if more else ""),
                            f"add the row to {contract.tables[fk.resource].path} or correct the value", LAYER)
                roots[vals] = iss.key()
                issues.append(iss)
    return issues


def _root_key(path: str, row: int, scan: Scan) -> str:
    cells = scan.ragged[row]
    width = len(scan.header)
    if cells > width:
        return Issue(path, row, None, "csv.extra-cell", "").key()
    return Issue(path, row, scan.header[cells] if cells < width else None, "csv.missing-cell", "").key()


def _issue(table: Table, idx, field: str, rule: str, message: str, hint: str, cause: dict[int, str]) -> Issue:
    row = int(idx) + 2
    return Issue(table.path, row, field, rule, message, hint, LAYER, cause.get(row, ""))
