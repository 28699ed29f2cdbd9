"""The curation inputs checked against their own schemas (`curation/curation.json`), so a contributor's typo is
reported in the file they edited, with the same `file:row:field rule message (hint)` as the record."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from unsc.contract import Contract, Field, canonical, derive
from unsc.validate.report import Issue

CONTRACT = Path("curation") / "curation.json"


def curation_fields(contract: Contract, schema_path: Path) -> list[Field]:
    """The fields of a curation schema; `unsc:sameAs` fields take type and constraints from the record's field."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    out = []
    for f in schema["fields"]:
        constraints = dict(f.get("constraints", {}))
        kind = f.get("type", "string")
        if "unsc:sameAs" in f:
            table, name = f["unsc:sameAs"].split(".")
            ref = contract.table(table).field(name)
            kind = ref.type
            constraints = {**{k: v for k, v in ref.constraints.items() if k not in ("required", "unique")}, **constraints}
            raw = {**ref.raw, **f, "type": kind, "constraints": constraints}
        else:
            raw = f
        out.append(Field(f["name"], kind, f.get("description", ""), constraints, raw))
    return out


def cell_problems(f: Field, value: str) -> tuple[str, str, str] | None:
    """(rule, message, hint) for a cell that breaks its field, or None."""
    if not value:
        if f.required:
            return "curation.required", f"{f.name} is empty", f"fill it: {f.description}"
        return None
    kind = derive.type_of(f)  # the lexical form and hint of each type, defined once with the contract
    if kind.lexical and not re.match(kind.lexical, value):
        return "curation.type", f"{value!r} is not a {kind.wording}", kind.hint
    if f.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "curation.type", f"{value!r} is not a day that exists", kind.hint
    if f.type == "integer":
        n = int(value)
        if "minimum" in f.constraints and n < f.constraints["minimum"] or "maximum" in f.constraints and n > f.constraints["maximum"]:
            return "curation.range", f"{value} is out of range", f"between {f.constraints.get('minimum', '…')} and {f.constraints.get('maximum', '…')}"
    if f.enum and value not in f.enum:
        return "curation.enum", f"{value!r} is not allowed", "use one of: " + ", ".join(f.enum)
    if f.regex and not f.regex.match(value):
        return "curation.pattern", f"{value!r} does not have the form of {f.name}", f"expected the form {f.pattern}"
    return None


def check_file(root: Path, path: Path, fields: list[Field]) -> list[Issue]:
    rel = str(path.relative_to(root))
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Issue(rel, 1, None, "curation.encoding", "starts with a byte-order mark, which shifts the first column's name",
                      "save the file as UTF-8 without BOM")]
    try:
        header, rows = canonical.parse(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        return [Issue(rel, None, None, "curation.encoding", f"not valid UTF-8 at byte {e.start}", "save the file as UTF-8")]
    except ValueError as e:
        return [Issue(rel, None, None, "curation.csv", str(e), "")]
    names = [f.name for f in fields]
    if header != names:
        return [Issue(rel, 1, None, "curation.header", f"columns are {','.join(header)}; expected {','.join(names)}",
                      "restore the header (curation/curation.json names the schema)")]
    issues = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        for f in fields:
            value = row.get(f.name) or ""
            problem = cell_problems(f, value)
            if problem:
                issues.append(Issue(rel, line, f.name, *problem))
            if f.unique and value:
                if value in seen:
                    issues.append(Issue(rel, line, f.name, "curation.unique", f"{value!r} is already on row {seen[value]}", "keep one row"))
                seen.setdefault(value, line)
    return issues


def validate_curation(contract: Contract) -> list[Issue]:
    """Every declared curation file against its schema, and every undeclared CSV under curation/ named."""
    root = contract.root
    spec_path = root / CONTRACT
    if not spec_path.is_file():
        return []
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    base = spec_path.parent
    declared: set[Path] = set()
    issues: list[Issue] = []
    for res in spec["resources"]:
        for path in sorted(base.glob(res["path"])):
            declared.add(path)
            if "unsc:table" in res:
                table = contract.tables.get(path.stem)
                if table is None:
                    issues.append(Issue(str(path.relative_to(root)), None, None, "curation.undeclared",
                                        f"{path.stem} is not a table of the record", "name the file after a table in datapackage.json"))
                    continue
                fields = list(table.fields)
            else:
                fields = curation_fields(contract, base / res["schema"])
            issues += check_file(root, path, fields)
    for path in sorted(base.rglob("*.csv")):
        if path not in declared:
            issues.append(Issue(str(path.relative_to(root)), None, None, "curation.undeclared", "this CSV is not declared in curation/curation.json",
                                "declare it with its schema, or move it out of curation/"))
    return issues
