"""Tables as pandas DataFrames, typed from the schemas.

Values that do not parse become missing here; the Frictionless layer reports them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from unsc.contract import Contract, Field, Table

PANDAS_DTYPE = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}


def cast(series: pd.Series, field: Field, categorical: bool = False) -> pd.Series:
    """Cast a column of strings (missing = NA) to the field's type."""
    if field.type == "integer":
        return pd.to_numeric(series, errors="coerce").astype("Int64")
    if field.type == "number":
        return pd.to_numeric(series, errors="coerce").astype("Float64")
    if field.type == "date":
        return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    if field.type == "boolean":
        return series.map({"true": True, "false": False}).astype("boolean")
    if categorical and field.enum:
        return pd.Categorical(series, categories=field.enum)
    return series.astype("string")


def read_raw(path: Path, table: Table) -> pd.DataFrame:
    """All columns as strings, empty cells as NA; row i is CSV line i + 2."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
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
