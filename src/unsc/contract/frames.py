"""Tables as pandas DataFrames, typed from the schemas.

Values that do not parse become missing here; the schema layer of `unsc validate` reports them. Types come
from `unsc.contract.derive`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from unsc.contract import Contract, Table, derive

PANDAS_DTYPE = {name: t.pandas for name, t in derive.TYPES.items()}  # kept for callers; derive.TYPES is the source
cast = derive.cast


def read_raw(path: Path, table: Table) -> pd.DataFrame:
    """All columns as strings, empty cells as NA; row i is CSV line i + 2."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=derive.missing_values(table), encoding="utf-8")
    for name in table.field_names:
        if name not in df.columns:
            df[name] = pd.NA
    return df


def typed(raw: pd.DataFrame, table: Table, categorical: bool = False) -> pd.DataFrame:
    out = {}
    for f in table.fields:
        out[f.name] = cast(raw[f.name], f, categorical=categorical)
    return pd.DataFrame(out, index=raw.index)


def read_tables(contract: Contract, names=None, categorical: bool = False) -> dict[str, pd.DataFrame]:
    names = list(names or contract.tables)
    return {
        n: typed(read_raw(contract.root / contract.tables[n].path, contract.tables[n]), contract.tables[n], categorical)
        for n in names
    }
