"""Layer 2a: pandera DataFrame models generated from the Table Schemas.

Nothing here names a column: every column, type and constraint comes from `schemas/`.
"""
from __future__ import annotations

import pandera.pandas as pa

from unsc.contract import Contract, Field, Table
from unsc.contract.frames import PANDAS_DTYPE


def field_checks(field: Field) -> list[pa.Check]:
    c = field.constraints
    checks: list[pa.Check] = []
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"], name="enum"))
    if "pattern" in c:
        # Table Schema patterns are written ^...$, so fullmatch and match agree.
        checks.append(pa.Check.str_matches(c["pattern"], name="pattern"))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], name="minimum"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], name="maximum"))
    if "minLength" in c:
        checks.append(pa.Check.str_length(min_value=c["minLength"], name="minLength"))
    if "maxLength" in c:
        checks.append(pa.Check.str_length(max_value=c["maxLength"], name="maxLength"))
    return checks


def column(field: Field) -> pa.Column:
    return pa.Column(
        PANDAS_DTYPE[field.type],
        checks=field_checks(field),
        nullable=not field.required,
        unique=field.unique,
        required=True,
        description=field.description,
        title=field.name,
    )


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
