"""Contributions by pull request: scaffold a folder (cookiecutter), then merge it into `data/` safely.

`unsc add` checks the folder's rows against the schemas, then the whole record with them merged
in; it writes every table atomically or nothing, and names the contribution's file, row and field.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from unsc.contract import canonical
from unsc.domain import council
from unsc.validate.report import Issue
from unsc.build.workspace import Workspace

TABLE_ORDER = ["sources", "states", "meetings", "drafts", "votes", "sponsors", "positions", "position_gaps"]
ERRATA = Path("curation") / "errata.csv"
ERRATA_HEADER = ["date", "table", "key", "field", "old", "new", "reason", "source_id"]


def _template(name: str) -> str:
    return str(resources.files("unsc.contrib").joinpath("templates", name))


def sitting_members(ws: Workspace, date: str) -> list[str]:
    m = pd.DataFrame(list(ws.rows["memberships"].values()))
    m["start"] = pd.to_datetime(m["start"])
    m["end"] = pd.to_datetime(m["end"].replace("", None))
    return sorted(council.sitting(m, pd.Timestamp(date))["state_id"])


def new_vote(root, date: str, meeting: str, draft: str, out: Path) -> Path:
    from cookiecutter.main import cookiecutter

    ws = Workspace(root)
    members = sitting_members(ws, date)
    if not members:
        raise ValueError(f"no members sit on {date} according to memberships; check the date")
    folder = out.name
    path = cookiecutter(_template("vote"), no_input=True, output_dir=str(out.parent), overwrite_if_exists=False,
                        extra_context={"folder": folder, "date": date, "meeting": meeting, "draft": draft, "members": {"list": members}})
    return Path(path)


def new_fix(root, table: str, keys: list[str], reason: str, source_id: str, out: Path) -> Path:
    from cookiecutter.main import cookiecutter

    if not reason.strip() or not source_id.strip():
        raise ValueError("a correction needs --reason and --source")
    ws = Workspace(root)
    t = ws.contract.tables[table]
    rows = []
    for key in keys:
        k = tuple(key.split("|"))
        if k not in ws.rows[table]:
            raise ValueError(f"{table} has no row with key {key!r} ({', '.join(t.primary_key)}, joined by |)")
        rows.append(ws.rows[table][k])
    body = canonical.render(t, rows).splitlines()
    path = cookiecutter(_template("fix"), no_input=True, output_dir=str(out.parent), overwrite_if_exists=False,
                        extra_context={"folder": out.name, "table": table, "reason": json.dumps(reason)[1:-1],
                                       "source_id": json.dumps(source_id)[1:-1], "header": body[0], "rows": {"list": body[1:]}})
    return Path(path)


def _read_contribution(folder: Path, ws: Workspace) -> tuple[dict[str, list[dict]], list[Issue]]:
    """Rows per table from the folder's CSVs, and the problems found in them alone."""
    tables, issues = {}, []
    known = {f"{n}.csv" for n in TABLE_ORDER}
    present = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv") if folder.is_dir() else []
    for name in present:
        if name not in known:
            issues.append(Issue(str(folder / name), None, None, "contribution.file",
                                f"{name} is not a table of the record, so none of its rows would be added",
                                "name it after a table, in lower case: " + ", ".join(sorted(known))))
    if not any(name in known for name in present):
        issues.append(Issue(str(folder), None, None, "contribution.empty", "this folder holds no contribution (no sources.csv, votes.csv, …)",
                            "scaffold one with `unsc new vote` or `unsc new fix`, fill it, and add that folder"))
        return tables, issues
    for name in TABLE_ORDER:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        t = ws.contract.tables[name]
        header, rows = canonical.parse(path.read_text(encoding="utf-8"))
        rel = str(path)
        if not header:
            continue
        if sorted(header) != sorted(t.field_names):
            issues.append(Issue(rel, 1, None, "contribution.header", f"columns are {','.join(header)}; expected {','.join(t.field_names)}", "restore the header from the template"))
            continue
        kept = []
        for i, r in enumerate(rows, start=2):
            if not any((v or "").strip() for v in r.values()):
                continue
            for f in t.fields:
                value = r.get(f.name) or ""
                if f.required and not value:
                    issues.append(Issue(rel, i, f.name, "contribution.required", f"{f.name} is empty", f"fill it ({f.description}) or delete the row if the record does not say"))
                elif value and f.enum and value not in f.enum:
                    issues.append(Issue(rel, i, f.name, "contribution.enum", f"{value!r} is not allowed", f"use one of: {', '.join(f.enum)}"))
                elif value and f.regex and not f.regex.match(value):
                    issues.append(Issue(rel, i, f.name, "contribution.pattern", f"{value!r} does not match {f.pattern}", "see the codebook for the form of this field"))
            r["_line"] = i
            kept.append(r)
        tables[name] = kept
    return tables, issues


CURATED_TABLES = Path("curation") / "tables"


def add(root, folder: Path, progress=None) -> tuple[list[str], list[Issue], list[str]]:
    """Merge the contribution in *folder* into `curation/`, rebuild the record, validate it once, and
    write the curation files and the rebuilt `data/` together, or nothing; return (files written,
    problems, notes)."""
    ws = Workspace(root)
    folder = Path(folder)
    correction = folder / "correction.json"
    fix = json.loads(correction.read_text(encoding="utf-8")) if correction.exists() else None
    tables, issues = _read_contribution(folder, ws)
    if fix and (not fix.get("reason", "").strip() or not fix.get("source_id", "").strip()):
        issues.append(Issue(str(correction), None, "reason", "contribution.correction", "a correction needs a reason and a source_id", "fill both in correction.json"))
    if issues:
        return [], sorted(issues, key=Issue.sort_key), []
    where: dict[tuple[str, tuple], tuple[str, int]] = {}
    new_rows: dict[str, list[dict]] = {}
    notes, errata = [], []
    for name, rows in tables.items():
        t = ws.contract.tables[name]
        for r in rows:
            line = r.pop("_line")
            key = ws.key(name, r)
            where[(name, key)] = (str(folder / f"{name}.csv"), line)
            old = ws.rows[name].get(key)
            row = {n: r.get(n) or "" for n in t.field_names}
            if old is None or (name == "votes" and old.get("basis") == "derived" and row["basis"] == "recorded" and old != row):
                new_rows.setdefault(name, []).append(row)
            elif old != row:
                if fix and name == fix["table"]:
                    errata += [{"date": _today(), "table": name, "key": "|".join(key), "field": n, "old": old.get(n) or "", "new": row[n],
                                "reason": fix["reason"], "source_id": fix["source_id"]}
                               for n in t.field_names if (old.get(n) or "") != row[n]]
                else:
                    diffs = [f"{n}: record {old.get(n)!r}, contribution {row[n]!r}" for n in t.field_names if (old.get(n) or "") != row[n]]
                    issues.append(Issue(str(folder / f"{name}.csv"), line, None, "contribution.conflict",
                                        f"{name} already has {'/'.join(key)} with other values ({'; '.join(diffs)})",
                                        "if the record is wrong, scaffold a correction with `unsc new fix`; otherwise delete this row"))
    if issues:
        return [], sorted(issues, key=Issue.sort_key), []
    if not new_rows and not errata:
        return [], [], []
    curation = _curation_texts(ws, new_rows, errata)
    built, problems = _rebuild_with(ws.root, curation, progress)
    if problems:
        return [], sorted((_map_back(p, built, where) for p in problems), key=Issue.sort_key), []
    files = {ws.root / rel: text for rel, text in curation.items()}
    files.update(built.files)
    changed = {p: t for p, t in files.items() if not p.exists() or p.read_text(encoding="utf-8") != t}
    canonical.atomic_write_many(changed)
    if errata:
        notes.append(f"{len(errata)} correction(s) recorded in {ERRATA}; `unsc build` applies them")
    return sorted(str(p.relative_to(ws.root)) for p in changed), [], notes


def _today() -> str:
    return dt.date.today().isoformat()


def _curation_texts(ws: Workspace, new_rows: dict[str, list[dict]], errata: list[dict]) -> dict[Path, str]:
    """The new text of each curation file the contribution changes (`curation/tables/<table>.csv`, the errata)."""
    out: dict[Path, str] = {}
    for name, rows in new_rows.items():
        rel = CURATED_TABLES / f"{name}.csv"
        path = ws.root / rel
        _, kept = canonical.read_rows(path) if path.exists() else ([], [])
        merged = {ws.key(name, r): r for r in kept}
        merged.update({ws.key(name, r): r for r in rows})
        out[rel] = canonical.render(ws.contract.tables[name], list(merged.values()))
    if errata:
        path = ws.root / ERRATA
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        buf = io.StringIO()
        w = csv.DictWriter(buf, ERRATA_HEADER, lineterminator="\n")
        if not old:
            w.writeheader()
        w.writerows(errata)
        out[ERRATA] = old + buf.getvalue()
    return out


@dataclass
class _Built:
    files: dict[Path, str]          # every generated file under the real root
    tables: dict[str, str]          # table name -> canonical text
    contract: object


def _rebuild_with(root: Path, curation: dict[Path, str], progress=None) -> tuple[_Built | None, list[Issue]]:
    """Rebuild the record as it would be with *curation* written, in a scratch copy; validate it once."""
    from unsc.build.rebuild import rebuild
    from unsc.build.write import outputs
    from unsc.contract import load_contract
    from unsc.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copy(root / "datapackage.json", tmp / "datapackage.json")
        shutil.copytree(root / "schemas", tmp / "schemas")
        shutil.copytree(root / "curation", tmp / "curation")
        for rel, text in curation.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(text, encoding="utf-8")
        result = rebuild(tmp, root / "sources", progress=progress)
        if result.problems:
            return None, [Issue(p.split(": ", 1)[0].replace(str(tmp) + "/", ""), None, None, "build.input", p.split(": ", 1)[-1], "") for p in result.problems]
        contract = load_contract(tmp)
        (tmp / "data").mkdir()
        for name, text in result.texts.items():
            (tmp / contract.tables[name].path).write_text(text, encoding="utf-8")
        problems = validate(tmp)
        built = _Built({}, result.texts, contract)
        if problems:
            return built, problems
        built.files = outputs(root, result)
        return built, []


def _map_back(issue: Issue, built: _Built | None, where: dict) -> Issue:
    """Point a problem found in the rebuilt record at the contribution row that caused it."""
    if built is None or issue.row is None:
        return issue
    table = next((n for n, t in built.contract.tables.items() if t.path == issue.file), None)
    if table is None:
        return issue
    _, rows = canonical.parse(built.tables[table])
    if issue.row - 2 >= len(rows):
        return issue
    key = tuple(rows[issue.row - 2].get(k) or "" for k in built.contract.tables[table].primary_key)
    if (table, key) in where:
        file, line = where[(table, key)]
        return Issue(file, line, issue.field, issue.rule, issue.message, issue.hint, issue.layer)
    return issue
