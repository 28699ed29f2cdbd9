"""Contributions by pull request: scaffold a folder (cookiecutter), then keep it in `curation/` safely.

`unsc add` checks the folder's rows against the schemas, keeps them in `curation/`, rebuilds the record
with them and validates it; it writes the curation files and `data/` atomically or nothing, and names
the contribution's file, row and field.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from unsc.contract import canonical
from unsc.errors import InputError
from unsc.domain import council
from unsc.validate.report import Issue
from unsc.build.importers.run import with_draft_symbol
from unsc.build.workspace import Workspace

TABLE_ORDER = ["sources", "states", "meetings", "drafts", "votes", "sponsors", "positions", "position_gaps"]
ERRATA = Path("curation") / "errata.csv"
ERRATA_HEADER = ["date", "table", "key", "field", "old", "new", "reason", "source_id"]


def _template(name: str) -> str:
    return str(resources.files("unsc.contrib").joinpath("templates", name))


def sitting_members(ws: Workspace, date: str) -> list[str]:
    m = pd.DataFrame(list(ws.rows["memberships"].values()))
    m["start_date"] = pd.to_datetime(m["start_date"])
    m["end_date"] = pd.to_datetime(m["end_date"].replace("", None))
    return sorted(council.sitting(m, pd.Timestamp(date))["state_id"])


# --- scaffolds (`unsc new vote|fix`) -------------------------------------------------------------
# cookiecutter makes the folder and its README from values checked against patterns; the CSV and JSON
# bodies, which hold record cells and the contributor's own text, are written by the csv and json
# modules, never through a template engine.

SAFE_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_TEMPLATE_SYNTAX = re.compile(r"[{}%#\\]")
CONTRIBUTIONS = "contributions"
ID_KIND = (("S/RES/", "resolution_symbol"), ("vote:", "date_synthetic"), ("S/PV.", "meeting_synthetic"))


def _checked(contract, table: str, field: str, value: str, option: str) -> str:
    """*value* if it matches the schema's pattern (and enum) for *table*.*field*; else an InputError naming *option*."""
    f = contract.tables[table].field(field)
    ok = isinstance(value, str) and value != "" and (f.regex is None or f.regex.fullmatch(value) is not None) and (not f.enum or value in f.enum)
    if not ok:
        hint = f"it must match {f.pattern}" if f.pattern else f"use one of: {', '.join(f.enum or [])}"
        raise InputError(f"{option} {value!r} is not a valid {table}.{field}; nothing was written", None, None, hint)
    return value


def _folder_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")[:120] or "contribution"


def _out_folder(root: Path, out: Path | None, default_name: str) -> Path:
    """The folder to create: by default contributions/<name>; an explicit *out* may lie elsewhere but must not exist.
    A folder that would land outside contributions/ through `..` or a symbolic link is refused unless given as --out."""
    base = Path(os.path.abspath(root)).resolve() / CONTRIBUTIONS
    explicit = out is not None
    target = Path(os.path.abspath(out)) if explicit else base / default_name
    if not SAFE_FOLDER.fullmatch(target.name):
        raise InputError(f"the folder name {target.name!r} is not allowed; nothing was written", None, None,
                         "use letters, digits, '.', '_' and '-' (starting with a letter or digit)")
    if target.exists() or target.is_symlink():
        raise InputError(f"{target} already exists; nothing was overwritten", None, None, "give a new folder with --out, or delete the old one")
    real = target.parent.resolve() / target.name
    if not explicit and base not in real.parents:
        raise InputError(f"{target} is outside {base}; nothing was written", None, None, "give the folder with --out if you mean it")
    return target


def _cookiecutter(template: str, out: Path, context: dict) -> Path:
    """The folder skeleton from *template*; every value is a checked id or folder name, never free text."""
    import tempfile

    from cookiecutter.main import cookiecutter

    for key, value in context.items():
        if not isinstance(value, str) or _TEMPLATE_SYNTAX.search(value) or "\n" in value:
            raise InputError(f"{key} {value!r} cannot go into a template; nothing was written", None, None, "use the form the schema gives")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:  # cookiecutter's replay and cache go here, not into the home folder
        config = Path(tmp) / "config.yaml"
        config.write_text(f"replay_dir: {json.dumps(str(Path(tmp) / 'replay'))}\ncookiecutters_dir: {json.dumps(str(Path(tmp) / 'cache'))}\n", encoding="utf-8")
        path = cookiecutter(_template(template), no_input=True, output_dir=str(out.parent), overwrite_if_exists=False,
                            config_file=str(config), accept_hooks=False, extra_context={"folder": out.name, **context})
    if Path(path).resolve() != out.resolve():  # cannot happen with a checked folder name; refuse rather than guess
        raise InputError(f"the scaffold went to {path}, not {out}", None, None, "report this")
    return Path(path)


def _write_tables(folder: Path, contract, tables: dict[str, list[dict]]) -> None:
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_text(canonical.render(contract.tables[name], rows), encoding="utf-8")


def new_vote(root, date: str, meeting: str, draft: str, out: Path | None = None) -> Path:
    """Scaffold a folder for one vote, prefilled with the members sitting on *date*; ids are checked first.

    *out* None: contributions/<draft>. Nothing is written if an id does not match its schema pattern."""
    ws = Workspace(root)
    c = ws.contract
    date = dt.date.fromisoformat(date).isoformat() if isinstance(date, str) else date.isoformat()
    meeting = _checked(c, "meetings", "meeting_id", meeting, "--meeting")
    draft = _checked(c, "drafts", "draft_id", draft, "--draft")
    members = sitting_members(ws, date)
    if not members:
        raise InputError(f"no members sit on {date} according to memberships; nothing was written", None, None, "check the date")
    for m in members:
        _checked(c, "votes", "state_id", m, "member")
    out = _out_folder(ws.root, Path(out) if out is not None else None, _folder_name(draft))
    path = _cookiecutter("vote", out, {"date": date, "meeting": meeting, "draft": draft})
    try:
        number = re.match(r"^S/PV\.([0-9]+)", meeting)
        src = "SC/"
        id_kind = next((k for prefix, k in ID_KIND if draft.startswith(prefix)), "document_symbol")
        _write_tables(path, c, {
            "sources": [{"source_id": src, "source_kind": "press_release", "source_symbol": src, "source_url": "https://press.un.org/en/",
                         "publisher": "United Nations", "source_date": date}],
            "meetings": [{"meeting_id": meeting, "meeting_number": number.group(1) if number else "", "meeting_date": date, "meeting_kind": "meeting",
                          "source_id": src}],
            "drafts": [{"draft_id": draft, "id_kind": id_kind, "meeting_id": meeting, "decision_date": date, "draft_kind": "draft_resolution",
                        "tally_basis": "announced", "source_id": src}],
            "votes": [{"draft_id": draft, "state_id": m, "basis": "recorded", "source_id": src} for m in members],
            "sponsors": [], "positions": [], "position_gaps": [],
        })
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


def new_fix(root, table: str, keys: list[str], reason: str, source_id: str, out: Path | None = None) -> Path:
    """Scaffold a correction: the current rows of *table* at *keys*, with the reason and source required.

    *out* None: contributions/fix-<table>-<first key>. The rows and the reason are written by the csv and
    json modules; nothing is written if a key is not in the record or the source id does not match its pattern."""
    if not reason.strip() or not source_id.strip():
        raise InputError("a correction needs --reason and --source; nothing was written", None, None, "say why the record is wrong and which source shows it")
    ws = Workspace(root)
    c = ws.contract
    if table not in c.tables:
        raise InputError(f"there is no table {table!r}", None, None, f"use one of: {', '.join(c.tables)}")
    t = c.tables[table]
    source_id = _checked(c, "sources", "source_id", source_id, "--source")
    rows = []
    for key in keys:
        k = tuple(key.split("|"))
        if k not in ws.rows[table]:
            raise InputError(f"{table} has no row with key {key!r}; nothing was written", None, None,
                             f"give {', '.join(t.primary_key)} joined by |, as in {t.path}")
        rows.append(ws.rows[table][k])
    out = _out_folder(ws.root, Path(out) if out is not None else None, _folder_name(f"fix-{table}-{keys[0].replace('|', '-')}"))
    path = _cookiecutter("fix", out, {"table": table})
    try:
        _write_tables(path, c, {table: rows, **({} if table == "sources" else {"sources": []})})
        doc = {"kind": "fix", "table": table, "reason": reason, "source_id": source_id}
        (path / "correction.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


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
            old = {o: n for o, n in t.former_names.items() if o in header}
            hint = ("the folder was made before the 1.0.0 renames: rename " + ", ".join(f"{o} to {n}" for o, n in old.items())
                    if old else "restore the header from the template")
            issues.append(Issue(rel, 1, None, "contribution.header", f"columns are {','.join(header)}; expected {','.join(t.field_names)}", hint))
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
            if name == "drafts":
                row = with_draft_symbol(row)  # what the build derives, so the comparison is like for like
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
