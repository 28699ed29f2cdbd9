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



def load_contract(root: str | Path = ".") -> Contract:
    """Read `datapackage.json` under *root* and the Table Schemas it points to."""
    root = Path(root)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    tables: dict[str, Table] = {}
    for res in descriptor["resources"]:
        schema = res["schema"]
        schema_path = schema if isinstance(schema, str) else ""
        if isinstance(schema, str):
            schema = json.loads((root / schema).read_text(encoding="utf-8"))
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
    return Contract(root=root, descriptor=descriptor, tables=tables)


def find_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above *start* holding a `datapackage.json`."""
    here = Path(start or Path.cwd()).resolve()
    for p in (here, *here.parents):
        if (p / "datapackage.json").is_file():
            return p
    raise FileNotFoundError(f"no datapackage.json at or above {here}")
