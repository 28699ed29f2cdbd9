"""One derivation of the contract: every Table Schema type and constraint, in every target.

A field's type maps to a pandas dtype, an Arrow/Parquet type, an SQLite type and its codebook wording
(`TYPES`); each constraint (`required`, `enum`, `pattern`, `minimum`, ...) maps to a pandera check, a
great-expectations expectation, its codebook wording and a vectorised pandas check that finds the
rows breaking it (`CONSTRAINTS`). `models` (pandera), `gx_report`, `codebook`, `release` (Parquet,
SQLite), `frames` and the cell layer of `unsc validate` all read these tables and nothing else; a
new constraint or type is added here once.

pandas, pandera, pyarrow and great_expectations are imported inside the functions that need them:
this module is imported by every layer, including the light ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from unsc.contract import Field, Table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


# ---------------------------------------------------------------- types
@dataclass(frozen=True)
class TypeMap:
    """A Table Schema type in every target."""

    name: str
    pandas: str  # dtype of the typed frame (`frames.typed`)
    arrow: str  # pyarrow factory name: pa.<arrow>()
    sqlite: str  # column affinity
    wording: str  # the codebook's words for the type
    lexical: str | None  # ^…$ regex every non-empty CSV cell of the type matches (None: any text)
    hint: str  # how to write a value of the type
    duckdb: str = "VARCHAR"  # DuckDB SQL type


TYPES: dict[str, TypeMap] = {
    "string": TypeMap("string", "string", "string", "TEXT", "string", None, "write the value as text", "VARCHAR"),
    "integer": TypeMap("integer", "Int64", "int64", "INTEGER", "integer", r"^[+-]?[0-9]+$", "write an integer as digits only, e.g. 12", "BIGINT"),
    "number": TypeMap("number", "Float64", "float64", "REAL", "number",
                      r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", "write a number with a dot for decimals, e.g. 0.5", "DOUBLE"),
    # SQLite: DATE and BOOLEAN are declared types (NUMERIC affinity keeps ISO text and 0/1) that tell readers
    # such as Python's sqlite3 (PARSE_DECLTYPES) what the column is
    "boolean": TypeMap("boolean", "boolean", "bool_", "BOOLEAN", "boolean (true or false)", r"^(?:true|false)$", "write true or false", "BOOLEAN"),
    "date": TypeMap("date", "datetime64[ns]", "date32", "DATE", "date (YYYY-MM-DD)", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    "write the date as YYYY-MM-DD, a day that exists", "DATE"),
}
# String formats the contract uses, and the text each must match (Frictionless checks `uri` too).
FORMATS: dict[str, str] = {"uri": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$", "email": r"^[^@\s]+@[^@\s]+$"}
BOOLEAN_VALUES = {"true": True, "false": False}


def type_of(field: Field) -> TypeMap:
    try:
        return TYPES[field.type]
    except KeyError:
        raise ValueError(f"field {field.name!r} has type {field.type!r}; the contract knows {', '.join(TYPES)}") from None


def pandas_dtype(field: Field) -> str:
    return type_of(field).pandas


def sqlite_type(field: Field) -> str:
    return type_of(field).sqlite


def arrow_type(field: Field):
    import pyarrow as pa

    return getattr(pa, type_of(field).arrow)()


def column_types(field: Field) -> dict:
    """One field in each release format: {"arrow": pyarrow type, "sqlite": declared type, "duckdb": SQL type}.
    Enumerations are dictionary-encoded in Arrow/Parquet and an ENUM in DuckDB."""
    import pyarrow as pa

    if field.enum and field.type == "string":
        return {"arrow": pa.dictionary(pa.int32(), pa.string()), "sqlite": "TEXT", "duckdb": "ENUM"}
    t = type_of(field)
    return {"arrow": arrow_type(field), "sqlite": t.sqlite, "duckdb": t.duckdb}


def type_wording(field: Field) -> str:
    return type_of(field).wording


def missing_values(table: Table) -> list[str]:
    return list(table.schema.get("missingValues", [""]))


def cast(series: pd.Series, field: Field, categorical: bool = False) -> pd.Series:
    """A column of CSV strings (missing = NA) as the field's type; a value that does not parse becomes NA."""
    import pandas as pd

    if field.type == "integer":
        return pd.to_numeric(series, errors="coerce").astype("Int64")
    if field.type == "number":
        return pd.to_numeric(series, errors="coerce").astype("Float64")
    if field.type == "date":
        return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    if field.type == "boolean":
        return series.map(BOOLEAN_VALUES).astype("boolean")
    if categorical and field.enum:
        return pd.Categorical(series, categories=field.enum)
    return series.astype("string")


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def constraint_value(field: Field, value, key: str = "minimum"):
    """A constraint's value as the cell layer compares it: a date bound as a Timestamp, anything else as written."""
    if key in _BOUNDS and field.type == "date" and isinstance(value, str):
        import pandas as pd

        return pd.Timestamp(value)
    return value


# ---------------------------------------------------------------- constraints
@dataclass(frozen=True)
class Constraint:
    """One Table Schema constraint in every target.

    mask(text, typed, value) -> bool Series: True where a non-empty cell breaks it (text: the CSV strings,
    NA where empty; typed: the same column cast to the field's type). None: not a per-cell check.
    """

    key: str
    wording: Callable[[Any], str]  # codebook: "pattern `^…$`"
    message: Callable[[Any, Any], str]  # (bad value, constraint value) -> what is wrong
    hint: Callable[[Field, Any], str]
    mask: Callable[[Any, Any, Any], Any] | None
    pandera: Callable[[Any], Any] | None  # constraint value -> pandera Check (None: expressed otherwise)
    gx: Callable[[Field, Any], tuple[str, dict] | None]


def _text_len(text):
    return text.str.len()


def not_matching(text, pattern: str):
    """True where a non-empty cell of *text* does not fullmatch *pattern*; each distinct value is tried once
    (a column of ids repeats most of its values)."""
    rx = re.compile(pattern)
    values = text.dropna().unique()
    bad = [v for v in values if not rx.fullmatch(v)]
    return text.isin(bad) if bad else text.isna() & False


def _shown(values, n: int = 8) -> str:
    values = list(values)
    return ", ".join(values) if len(values) <= n else ", ".join(values[:n]) + f", … ({len(values)} values)"


def _pa():
    import pandera.pandas as pa

    return pa


CONSTRAINTS: dict[str, Constraint] = {
    "required": Constraint(
        "required", lambda v: "required",
        lambda bad, v: "is empty; a value is required",
        lambda f, v: f"fill in {f.name}",
        None,  # checked on the text column: NA where the cell is empty
        None,  # pandera: nullable=False
        lambda f, v: ("ExpectColumnValuesToNotBeNull", {"column": f.name}) if v else None),
    "unique": Constraint(
        "unique", lambda v: "unique",
        lambda bad, v: f"{bad!r} appears more than once; the field is unique",
        lambda f, v: f"{f.name} must be unique: change or remove the second row",
        None,  # whole-column check
        None,  # pandera: unique=True
        lambda f, v: ("ExpectColumnValuesToBeUnique", {"column": f.name}) if v else None),
    "enum": Constraint(
        "enum", lambda v: "one of " + ", ".join(f"`{x}`" for x in v),
        lambda bad, v: f"{bad!r} is not an allowed value",
        lambda f, v: f"use one of: {_shown(map(str, v))}",
        lambda text, typed, v: ~typed.isin(v),
        lambda v: _pa().Check.isin(v, name="enum"),
        lambda f, v: ("ExpectColumnValuesToBeInSet", {"column": f.name, "value_set": list(v)})),
    "pattern": Constraint(
        "pattern", lambda v: f"pattern `{v}`",
        lambda bad, v: f"{bad!r} does not match the pattern {v}",
        lambda f, v: f"write {f.name} in the form the codebook gives" + (f", e.g. {f.raw['example']}" if "example" in f.raw else ""),
        lambda text, typed, v: not_matching(text, v),
        # Table Schema patterns are written ^...$, so fullmatch and match agree.
        lambda v: _pa().Check.str_matches(v, name="pattern"),
        lambda f, v: ("ExpectColumnValuesToMatchRegex", {"column": f.name, "regex": v})),
    "minimum": Constraint(
        "minimum", lambda v: f"minimum `{v}`",
        lambda bad, v: f"{bad!r} is below the minimum {v}",
        lambda f, v: f"{f.name} is at least {v}",
        lambda text, typed, v: typed < v,
        lambda v: _pa().Check.ge(v, name="minimum"),
        lambda f, v: ("ExpectColumnValuesToBeBetween", {"column": f.name, "min_value": v})),
    "maximum": Constraint(
        "maximum", lambda v: f"maximum `{v}`",
        lambda bad, v: f"{bad!r} is above the maximum {v}",
        lambda f, v: f"{f.name} is at most {v}",
        lambda text, typed, v: typed > v,
        lambda v: _pa().Check.le(v, name="maximum"),
        lambda f, v: ("ExpectColumnValuesToBeBetween", {"column": f.name, "max_value": v})),
    "exclusiveMinimum": Constraint(
        "exclusiveMinimum", lambda v: f"greater than `{v}`",
        lambda bad, v: f"{bad!r} is not greater than {v}",
        lambda f, v: f"{f.name} is greater than {v}",
        lambda text, typed, v: typed <= v,
        lambda v: _pa().Check.gt(v, name="exclusiveMinimum"),
        lambda f, v: ("ExpectColumnValuesToBeBetween", {"column": f.name, "min_value": v, "strict_min": True})),
    "exclusiveMaximum": Constraint(
        "exclusiveMaximum", lambda v: f"less than `{v}`",
        lambda bad, v: f"{bad!r} is not less than {v}",
        lambda f, v: f"{f.name} is less than {v}",
        lambda text, typed, v: typed >= v,
        lambda v: _pa().Check.lt(v, name="exclusiveMaximum"),
        lambda f, v: ("ExpectColumnValuesToBeBetween", {"column": f.name, "max_value": v, "strict_max": True})),
    "minLength": Constraint(
        "minLength", lambda v: f"minimum length `{v}`",
        lambda bad, v: f"{bad!r} is shorter than {v} characters",
        lambda f, v: f"{f.name} has at least {v} characters",
        lambda text, typed, v: _text_len(text) < v,
        lambda v: _pa().Check.str_length(min_value=v, name="minLength"),
        lambda f, v: ("ExpectColumnValueLengthsToBeBetween", {"column": f.name, "min_value": v})),
    "maxLength": Constraint(
        "maxLength", lambda v: f"maximum length `{v}`",
        lambda bad, v: f"{str(bad)[:60]!r}{'…' if len(str(bad)) > 60 else ''} is longer than {v} characters",
        lambda f, v: f"shorten {f.name} to {v} characters at most",
        lambda text, typed, v: _text_len(text) > v,
        lambda v: _pa().Check.str_length(max_value=v, name="maxLength"),
        lambda f, v: ("ExpectColumnValueLengthsToBeBetween", {"column": f.name, "max_value": v})),
}
# Constraint order in every target: the codebook lists them so, and a cell breaking two is reported for the first.
ORDER = tuple(CONSTRAINTS)


def constraints_of(field: Field) -> list[tuple[Constraint, Any]]:
    """(constraint, value as the field's type) for every constraint the field declares, in `ORDER`.
    A constraint the contract does not know raises: it would otherwise be silently unchecked."""
    unknown = set(field.constraints) - set(CONSTRAINTS)
    if unknown:
        raise ValueError(f"field {field.name!r} has constraint(s) {', '.join(sorted(unknown))} that unsc does not check")
    return [(CONSTRAINTS[k], constraint_value(field, field.constraints[k], k)) for k in ORDER if k in field.constraints]


def required(table: Table, field: Field) -> bool:
    """Required by its constraint, or by being part of the primary key (Frictionless treats it so)."""
    return field.required or field.name in table.primary_key


# ---------------------------------------------------------------- targets
def pandera_column(field: Field):
    pa = _pa()
    checks = [c.pandera(v) for c, v in constraints_of(field) if c.pandera is not None]
    return pa.Column(pandas_dtype(field), checks=checks, nullable=not field.required, unique=field.unique,
                     required=True, description=field.description, title=field.name)


def gx_expectations(table: Table) -> list[tuple[str, dict, str | None, str]]:
    """(GX expectation class, kwargs, field, note) for the columns, every constraint and the primary key.
    Bounds on one field (minimum and maximum) are joined into one expectation."""
    out: list[tuple[str, dict, str | None, str]] = [
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": table.field_names}, None, "The columns, in the order the Table Schema declares them.")]
    for f in table.fields:
        merged: dict[str, dict] = {}
        for c, _ in constraints_of(f):
            spec = c.gx(f, f.constraints[c.key])  # the schema's own value: GX stores it in JSON
            if spec is None:
                continue
            cls, kw = spec
            if cls in ("ExpectColumnValuesToBeBetween", "ExpectColumnValueLengthsToBeBetween"):
                if cls in merged:
                    merged[cls].update(kw)
                    continue
                kw = {"column": f.name, "min_value": None, "max_value": None, **kw}
                merged[cls] = kw
            out.append((cls, kw, f.name, ""))
    pk = list(table.primary_key)
    if len(pk) > 1:
        out.append(("ExpectCompoundColumnsToBeUnique", {"column_list": pk}, None, f"Primary key ({', '.join(pk)}): each combination appears once."))
    elif pk and not table.field(pk[0]).unique:
        out.append(("ExpectColumnValuesToBeUnique", {"column": pk[0]}, pk[0], "Primary key."))
    return out


def codebook_constraints(field: Field) -> list[str]:
    """The codebook's words for each constraint beyond required/unique/enum (shown elsewhere on the page)."""
    shown_elsewhere = {"required", "unique", "enum"}
    return [c.wording(field.constraints[c.key]) for c, _ in constraints_of(field) if c.key not in shown_elsewhere]
