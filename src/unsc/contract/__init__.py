"""The data contract: `datapackage.json` and `schemas/*.json`, read once.

Every other module asks this one what a column is; no column is defined anywhere else.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    constraints: dict
    raw: dict

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique"))

    @property
    def enum(self) -> list | None:
        return self.constraints.get("enum")

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @cached_property
    def regex(self) -> re.Pattern | None:
        return re.compile(self.pattern) if self.pattern else None

    @property
    def former_name(self) -> str | None:
        """The name the field had before it was renamed (schema property `unsc:formerName`), or None."""
        return self.raw.get(FORMER_NAME)

    @property
    def categories(self) -> dict[str, str]:
        """Meaning of each allowed value, where the schema gives one."""
        return {c["value"]: c.get("label", "") for c in self.raw.get("categories", [])}


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    title: str
    description: str
    schema_path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    schema: dict = field(repr=False)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def former_names(self) -> dict[str, str]:
        """{former name: current name} for every renamed field (`former_names`)."""
        return former_names(self)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


def _as_tuple(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Contract:
    root: Path
    descriptor: dict
    tables: dict[str, Table]

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    def table(self, name: str) -> Table:
        return self.tables[name]

    def renames(self) -> dict[str, dict[str, str]]:
        """{table: {former name: current name}} for every table with a renamed field, in package order."""
        return {name: t.former_names for name, t in self.tables.items() if t.former_names}



# The field types the typed frames and validators understand (Table Schema names).
KNOWN_TYPES = ("string", "integer", "number", "boolean", "date")
# The custom Table Schema property naming a field's name before a rename (issue #17: 1.0.0).
FORMER_NAME = "unsc:formerName"


def former_names(table: "Table | str", root: str | Path | None = None) -> dict[str, str]:
    """{former name: current name} for every field of *table* that was renamed, read from the schema's
    `unsc:formerName` properties: the one definition of the renames, for the codebook, the CHANGELOG and
    code written against the old names (`df.rename(columns=former_names("drafts"))`).

    *table* is a `Table`, or a table's name looked up in the package at *root* (default: the nearest
    `datapackage.json` at or above the current folder)."""
    if isinstance(table, str):
        table = load_contract(root if root is not None else find_root()).table(table)
    return {f.former_name: f.name for f in table.fields if f.former_name}


# Non-key column names that several tables may share because they mean the same thing in each (none so far:
# every shared name is a key). Anything else shared makes a join give `_x`/`_y` columns (issue #17).
SAME_MEANING: tuple[str, ...] = ()


def clashing_columns(contract: "Contract", allowed: tuple[str, ...] = SAME_MEANING) -> dict[str, list[str]]:
    """{column name: the tables using it} for every name two or more tables share without it being one key: a
    name is a key when it is in the primary key of one table and every other table that uses it has a foreign
    key on it to that table's column of the same name (`draft_id`, `source_id`, ...). Names in *allowed* pass."""
    users: dict[str, list[str]] = {}
    for t in contract.tables.values():
        for f in t.fields:
            users.setdefault(f.name, []).append(t.name)
    out = {}
    for name, tables in users.items():
        if len(tables) < 2 or name in allowed:
            continue
        homes = [h for h in tables if name in contract.tables[h].primary_key
                 and not any(name in fk.fields for fk in contract.tables[h].foreign_keys)]
        ok = len(homes) == 1 and all(
            any(fk.fields == (name,) and fk.resource == homes[0] and fk.reference_fields == (name,) for fk in contract.tables[t].foreign_keys)
            for t in tables if t != homes[0])
        if not ok:
            out[name] = tables
    return out


def rename_former(columns, table: "Table") -> dict[str, str]:
    """{former name: current name} for the *columns* (of a file written before the renames) that carry a
    field's former name while its current name is absent: what `DataFrame.rename` needs to read an older
    version of the record (a base branch, an earlier release) under today's names."""
    cols = set(columns)
    return {old: new for old, new in former_names(table).items() if old in cols and new not in cols}


def _read_json(path: Path, rel: str) -> dict:
    from unsc.errors import ContractError

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContractError("is missing", rel, None, "restore it from git, or fix the path that names it in datapackage.json") from None
    except IsADirectoryError:
        raise ContractError("is a folder, not a JSON file", rel, None, "fix the path that names it in datapackage.json") from None
    try:
        value = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ContractError(f"is not valid UTF-8 (byte offset {exc.start})", rel, None, "save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ContractError(f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", rel, exc.lineno,
                            "fix the JSON syntax (a trailing comma or a missing quote is the usual cause)") from None
    if not isinstance(value, dict):
        raise ContractError(f"holds a JSON {type(value).__name__}, not an object", rel, None, "restore it from git")
    return value


def inside(root: Path, rel, what: str, where: str) -> Path:
    """*root*/*rel* if *rel* is a relative path that stays inside *root* (no `..`, not absolute, no symlink out)."""
    from unsc.errors import ContractError

    hint = "paths in datapackage.json are relative to the package and stay inside it (no `..`, no absolute path, no symbolic link out)"
    if not isinstance(rel, str) or not rel.strip():
        raise ContractError(f"{where}: {what} must be a relative path, not {rel!r}", "datapackage.json", None, hint)
    if "://" in rel or rel.startswith(("/", "\\")) or Path(rel).is_absolute() or re.match(r"^[A-Za-z]:", rel):
        raise ContractError(f"{where}: {what} {rel!r} is absolute or remote", "datapackage.json", None, hint)
    if ".." in re.split(r"[/\\]", rel):
        raise ContractError(f"{where}: {what} {rel!r} leaves the package", "datapackage.json", None, hint)
    full = root / rel
    real_root = root.resolve()
    real = full.resolve()
    if real != real_root and real_root not in real.parents:
        raise ContractError(f"{where}: {what} {rel!r} is a symbolic link to {real}, outside the package", "datapackage.json", None, hint)
    return full


def _check_schema(schema: dict, rel: str) -> None:
    from unsc.errors import ContractError

    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise ContractError("has no list of fields", rel, None, "a Table Schema has \"fields\": [{\"name\": ..., \"type\": ...}, ...]")
    names = []
    for i, f in enumerate(fields):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
            raise ContractError(f"field {i + 1} has no name", rel, None, "every field is an object with a \"name\"")
        name = f["name"]
        names.append(name)
        ftype = f.get("type", "string")
        if ftype not in KNOWN_TYPES:
            raise ContractError(f"field {name!r} has type {ftype!r}, which unsc does not know", rel, None, f"use one of: {', '.join(KNOWN_TYPES)}")
        c = f.get("constraints", {})
        if not isinstance(c, dict):
            raise ContractError(f"field {name!r}: constraints must be an object", rel, None, "write \"constraints\": {...}")
        if "pattern" in c:
            if not isinstance(c["pattern"], str):
                raise ContractError(f"field {name!r}: pattern must be a string", rel, None, "write the pattern as a JSON string, ^…$")
            try:
                re.compile(c["pattern"])
            except re.error as exc:
                raise ContractError(f"field {name!r}: pattern {c['pattern']!r} is not a valid regular expression ({exc})", rel, None,
                                    "fix the pattern (JSON doubles each backslash: \\\\d)") from None
        if "enum" in c and not isinstance(c["enum"], list):
            raise ContractError(f"field {name!r}: enum must be a list", rel, None, "write \"enum\": [\"a\", \"b\"]")
        former = f.get(FORMER_NAME)
        if former is not None and (not isinstance(former, str) or not former or former == name):
            raise ContractError(f"field {name!r}: {FORMER_NAME} must be the field's earlier name, not {former!r}", rel, None,
                                f"write \"{FORMER_NAME}\": \"<old name>\", or remove it")
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ContractError(f"field {dup[0]!r} is defined twice", rel, None, "remove one of them")
    formers = [f[FORMER_NAME] for f in fields if f.get(FORMER_NAME)]
    for old in formers:
        if old in names:
            raise ContractError(f"{old!r} is both a field and the former name of another ({FORMER_NAME})", rel, None,
                                "a former name cannot be reused in the same table: rename the field or drop the former name")
        if formers.count(old) > 1:
            raise ContractError(f"{old!r} is the former name of two fields ({FORMER_NAME})", rel, None, "keep it on one field")
    for k in _as_tuple(schema.get("primaryKey", [])):
        if k not in names:
            raise ContractError(f"primaryKey names {k!r}, which is not a field", rel, None, "fix primaryKey or add the field")
    for fk in schema.get("foreignKeys", []):
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict) or "fields" not in fk or "fields" not in fk["reference"]:
            raise ContractError("a foreign key lacks fields or reference.fields", rel, None, "see the Table Schema foreignKeys form")
        for k in _as_tuple(fk["fields"]):
            if k not in names:
                raise ContractError(f"a foreign key names {k!r}, which is not a field", rel, None, "fix the foreign key or add the field")


def load_contract(root: str | Path = ".") -> Contract:
    """Read `datapackage.json` under *root* and the Table Schemas it points to.

    Every path must stay inside the package; a malformed descriptor or schema, a bad pattern or an
    unknown field type raises `unsc.errors.ContractError` naming the file. If an interrupted write
    left a journal, it is finished first (`canonical.recover`); if it cannot be, UnfinishedWrite."""
    from unsc.errors import ContractError

    root = Path(root)
    _finish_interrupted_write(root)
    descriptor = _read_json(root / "datapackage.json", "datapackage.json")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise ContractError("has no list of resources", "datapackage.json", None, "restore it from git")
    tables: dict[str, Table] = {}
    for i, res in enumerate(resources):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            raise ContractError(f"resource {i + 1} has no name", "datapackage.json", None, "every resource has a name, a path and a schema")
        where = f"resource {res['name']!r}"
        if res["name"] in tables:
            raise ContractError(f"{where} is listed twice", "datapackage.json", None, "remove one")
        inside(root, res.get("path"), "path", where)
        schema = res.get("schema")
        schema_path = schema if isinstance(schema, str) else ""
        if isinstance(schema, str):
            inside(root, schema, "schema", where)
            schema = _read_json(root / schema, schema)
        elif not isinstance(schema, dict):
            raise ContractError(f"{where} has no schema", "datapackage.json", None, "give a schema path, schemas/<name>.json")
        _check_schema(schema, schema_path or "datapackage.json")
        fields = tuple(
            Field(f["name"], f.get("type", "string"), f.get("description", ""), f.get("constraints", {}), f)
            for f in schema["fields"]
        )
        fks = tuple(
            ForeignKey(_as_tuple(fk["fields"]), fk["reference"].get("resource", res["name"]), _as_tuple(fk["reference"]["fields"]))
            for fk in schema.get("foreignKeys", [])
        )
        tables[res["name"]] = Table(
            name=res["name"], path=res["path"], title=res.get("title", res["name"]),
            description=res.get("description", ""), schema_path=schema_path, fields=fields,
            primary_key=_as_tuple(schema.get("primaryKey", [])), foreign_keys=fks, schema=schema,
        )
    for t in tables.values():
        for fk in t.foreign_keys:
            if fk.resource not in tables:
                raise ContractError(f"a foreign key of {t.name!r} refers to resource {fk.resource!r}, which is not in the package",
                                    t.schema_path or "datapackage.json", None, "fix reference.resource")
    return Contract(root=root, descriptor=descriptor, tables=tables)


def _finish_interrupted_write(root: Path) -> None:
    """Nothing reads a half-written record: a journal left by an interrupted write is finished first."""
    from unsc.contract import canonical

    if not canonical.pending_write(root):
        return
    rec = canonical.recover(root)
    if rec.problems:
        from unsc.errors import UnfinishedWrite

        raise UnfinishedWrite("an interrupted write cannot be finished: " + "; ".join(rec.problems), canonical.JOURNAL, None, canonical.RECOVER_HINT)


def find_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above *start* holding a `datapackage.json`."""
    here = Path(start or Path.cwd()).resolve()
    for p in (here, *here.parents):
        if (p / "datapackage.json").is_file():
            return p
    raise FileNotFoundError(f"no datapackage.json at or above {here}")
