"""Frictionless: the package descriptor and Table Schemas checked against their profiles (`metadata_issues`,
what `unsc validate` runs), and the whole of bare `frictionless validate` (`validate_package`, which the
differential test compares the schema layer with).

The row-by-row checks of Frictionless (types, constraints, keys) are pure Python and took longer than every
other layer together; `unsc.validate.cells` does them a column at a time from the same schemas."""
from __future__ import annotations

from pathlib import Path

from unsc.validate.report import Issue

HINTS = {
    "type-error": "write the value in the field's type: dates as YYYY-MM-DD, integers as digits",
    "constraint-error": "see the field's constraints in the codebook (allowed values, pattern, range)",
    "primary-key": "each primary key may appear once: merge or remove the duplicate row",
    "unique-error": "this field must be unique: another row has the same value",
    "foreign-key": "the referenced row must exist: add it to the referenced table or correct the value",
    "missing-cell": "the row has fewer cells than the header: add the missing commas",
    "extra-cell": "the row has more cells than the header: quote values that contain commas",
    "blank-row": "remove the empty line",
    "incorrect-label": "the header must match the schema: run `unsc fmt`",
    "missing-label": "the header must match the schema: run `unsc fmt`",
    "extra-label": "the header must match the schema: remove the column or declare it in the schema",
    "duplicate-label": "each column name may appear once",
    "encoding-error": "save the file as UTF-8",
    "scheme-error": "the file named in datapackage.json must exist",
}


def metadata_issues(descriptor: Path) -> list[Issue]:
    """The descriptor and every schema it names, validated against the Data Package profiles; a resource
    path must name a file inside the package."""
    from frictionless import Package

    issues: list[Issue] = []
    report = Package.validate_descriptor(str(descriptor))
    for error in report.errors:
        issues.append(Issue("datapackage.json", None, None, f"frictionless.{error.type}", error.message,
                            "correct datapackage.json or the schema it names (see the Data Package specification)", "frictionless"))
    return issues


def validate_package(descriptor: Path) -> list[Issue]:
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=True):
            report = Package(str(descriptor)).validate()
    except FrictionlessException as exc:
        return [Issue("datapackage.json", None, None, f"frictionless.{exc.error.type}", exc.error.message, "", "frictionless")]
    issues: list[Issue] = []
    paths = {}
    try:
        paths = {r.name: r.path for r in Package(str(descriptor)).resources}
    except Exception:  # noqa: BLE001 - a broken descriptor is reported below
        pass
    for error in report.errors:
        issues.append(Issue("datapackage.json", None, None, f"frictionless.{error.type}", error.message, HINTS.get(error.type, ""), "frictionless"))
    for task in report.tasks:
        file = paths.get(task.name, task.name) or "datapackage.json"
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            note = getattr(error, "note", "") or error.message
            issues.append(Issue(str(file), row, field, f"frictionless.{error.type}", note, HINTS.get(error.type, ""), "frictionless"))
    return issues


def contract_issues(contract) -> list[Issue]:
    """The checks of `metadata_issues` that matter to this package, without loading Frictionless (~17 MB and
    0.4 s): every field type and constraint is one unsc knows (`unsc.contract.derive`), every pattern compiles,
    keys name existing fields and tables, resource names are unique."""
    import re

    from unsc.contract import derive

    out: list[Issue] = []

    def bad(where: str, msg: str) -> None:
        out.append(Issue(where, None, None, "package.schema", msg,
                         "correct the schema (Table Schema: https://datapackage.org/standard/table-schema/)", "structure"))

    names = [r.get("name") for r in contract.descriptor.get("resources", [])]
    for n in {n for n in names if names.count(n) > 1}:
        bad("datapackage.json", f"resource name {n!r} is used twice")
    for t in contract.tables.values():
        where = t.schema_path or "datapackage.json"
        fields = t.field_names
        for n in {n for n in fields if fields.count(n) > 1}:
            bad(where, f"field {n!r} is declared twice")
        for f in t.fields:
            try:
                derive.type_of(f)
                derive.constraints_of(f)
            except ValueError as exc:
                bad(where, str(exc))
                continue
            if f.pattern:
                try:
                    re.compile(f.pattern)
                except re.error as exc:
                    bad(where, f"field {f.name!r}: pattern does not compile: {exc}")
            if f.enum is not None and not isinstance(f.enum, list):
                bad(where, f"field {f.name!r}: enum must be a list")
            for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if k in f.constraints and f.type in ("integer", "number") and not isinstance(f.constraints[k], (int, float)):
                    bad(where, f"field {f.name!r}: {k} must be a number")
            for k in ("minLength", "maxLength"):
                if k in f.constraints and not isinstance(f.constraints[k], int):
                    bad(where, f"field {f.name!r}: {k} must be an integer")
        for k in t.primary_key:
            if k not in fields:
                bad(where, f"primaryKey names {k!r}, which is not a field")
        for fk in t.foreign_keys:
            for k in fk.fields:
                if k not in fields:
                    bad(where, f"foreignKey names {k!r}, which is not a field")
            ref = contract.tables.get(fk.resource)
            if ref is None:
                bad(where, f"foreignKey references resource {fk.resource!r}, which the package does not have")
            else:
                for k in fk.reference_fields:
                    if k not in ref.field_names:
                        bad(where, f"foreignKey references {fk.resource}.{k}, which is not a field")
            if len(fk.fields) != len(fk.reference_fields):
                bad(where, "foreignKey fields and reference fields differ in number")
    return out
