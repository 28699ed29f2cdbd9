"""Layer 1: the package exactly as declared, checked by Frictionless itself."""
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


def validate_package(descriptor: Path) -> list[Issue]:
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
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
