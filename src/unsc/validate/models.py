"""pandera DataFrame models generated from the Table Schemas, through `unsc.contract.derive`.

Nothing here names a column, a type or a constraint: each comes from `schemas/` via `derive`. `unsc validate`
runs the same constraints vectorised (`unsc.validate.cells`); these models are for users who validate frames
of their own (`unsc.load()` output, a notebook's edits) with pandera.
"""
from __future__ import annotations

import pandera.pandas as pa

from unsc.contract import Contract, Field, Table
from unsc.contract import derive


def field_checks(field: Field) -> list[pa.Check]:
    return [c.pandera(v) for c, v in derive.constraints_of(field) if c.pandera is not None]


def column(field: Field) -> pa.Column:
    return derive.pandera_column(field)


def table_model(table: Table, extra_checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of *table*: its columns, its primary key, and any domain checks."""
    return pa.DataFrameSchema(
        {f.name: column(f) for f in table.fields},
        checks=extra_checks or [],
        unique=list(table.primary_key) or None,
        strict=True,
        ordered=True,
        name=table.name,
        description=table.description,
    )


def models(contract: Contract) -> dict[str, pa.DataFrameSchema]:
    return {name: table_model(t) for name, t in contract.tables.items()}
