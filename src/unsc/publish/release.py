"""Releases: build a byte-reproducible package, bump the data version, diff two versions.

Why byte-reproducible: anyone can rebuild a release from a tagged commit and compare hashes, so a
release is checkable rather than trusted. Nothing here reads the wall clock; the one timestamp comes
from SOURCE_DATE_EPOCH, else the version's CHANGELOG date, else CITATION.cff, else 1980-01-01.

The data version lives in one place, `datapackage.json` "version"; `bump` copies it to
CITATION.cff and the CHANGELOG heading, and nowhere else is it written by hand.

Byte-identical means: for the same inputs and the same pinned pyarrow, SQLite and zlib (requirements.lock);
Parquet records its writer's version and SQLite its library version in the file header.

Diff uses datacompy (`PandasCompare(join_columns=primary_key)`) rather than a hand-written merge:
it joins on compound keys directly, splits rows into old-only / new-only / both, flags each
changed cell with a `<column>_match` column and reports columns present in only one version, which is
exactly the added / removed / changed-field report wanted. Values are compared as the CSV text (empty =
missing), so a diff shows what a reader of the CSV would see, with no float or date re-formatting.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

from unsc.contract import canonical
from unsc.contract import Contract, Table, load_contract
from unsc.contract import derive

NAME = "unsc-record"
EPOCH_1980 = datetime(1980, 1, 1, tzinfo=timezone.utc)
COPIED = ("CHANGELOG.md", "CITATION.cff", "LICENSE-DATA.md")
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}


class ReleaseError(Exception):
    """A release cannot be built or bumped; the message says why and what to do."""


# --------------------------------------------------------------------------- version and dates

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def next_version(version: str, part: str) -> str:
    m = _SEMVER.match(version)
    if not m:
        raise ReleaseError(f"version {version!r} in datapackage.json is not X.Y.Z")
    x, y, z = map(int, m.groups())
    return {"major": f"{x + 1}.0.0", "minor": f"{x}.{y + 1}.0", "patch": f"{x}.{y}.{z + 1}"}[part]


def changelog_date(text: str, version: str) -> date | None:
    m = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})", text, re.M)
    return date.fromisoformat(m.group(1)) if m else None


def changelog_version(text: str) -> str | None:
    """The newest released version heading (the first that is not Unreleased)."""
    m = re.search(r"^## \[(\d+\.\d+\.\d+)\]", text, re.M)
    return m.group(1) if m else None


def cff_value(text: str, key: str) -> str | None:
    m = re.search(rf"^{key}:\s*[\"']?([^\"'\n]*)[\"']?\s*$", text, re.M)
    return m.group(1).strip() if m else None


def release_timestamp(root: Path, version: str) -> datetime:
    """The release's one timestamp: reproducible, never the wall clock."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            return max(datetime.fromtimestamp(int(raw), tz=timezone.utc), EPOCH_1980)
        except (ValueError, OverflowError, OSError):
            raise ReleaseError(f"SOURCE_DATE_EPOCH is {raw!r}, not a number of seconds since 1970 (e.g. 1767225600); "
                               "correct it or unset it to date the release from CHANGELOG.md") from None
    day = None
    if (root / "CHANGELOG.md").exists():
        day = changelog_date((root / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    if day is None and (root / "CITATION.cff").exists():
        cff = (root / "CITATION.cff").read_text(encoding="utf-8")
        if cff_value(cff, "version") == version and cff_value(cff, "date-released"):
            day = date.fromisoformat(cff_value(cff, "date-released"))
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) if day else EPOCH_1980


# --------------------------------------------------------------------------- build


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_DOI = re.compile(r"^10\.[0-9]{4,9}/[^\s]+$")
DOI_ENV = "UNSC_RELEASE_DOI"


def release_doi() -> str | None:
    """The DOI to stamp on the release, from $UNSC_RELEASE_DOI (e.g. Zenodo's concept DOI); None if unset."""
    doi = os.environ.get(DOI_ENV, "").strip()
    if not doi:
        return None
    doi = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", doi)
    if not _DOI.match(doi):
        raise ReleaseError(f"${DOI_ENV} is {doi!r}, not a DOI like 10.5281/zenodo.1234567; unset it or correct it")
    return doi


def package_id(descriptor: dict, version: str, doi: str | None) -> str:
    """The package's `id`: the DOI's resolver address when one is given, else the version's release page."""
    if doi:
        return f"https://doi.org/{doi}"
    home = (descriptor.get("homepage") or f"https://github.com/{NAME}/{NAME}").rstrip("/")
    return f"{home}/releases/tag/v{version}"


def git_state(root: Path) -> dict:
    """The commit *root* is checked out at and whether its working tree has uncommitted changes.

    Untracked files that git ignores (dist/, .venv/) do not count. Outside a git repository: commit None.
    """
    def git(*args):
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        except OSError:
            return None

    head = git("rev-parse", "--verify", "--quiet", "HEAD")
    if head is None or head.returncode != 0:
        return {"commit": None, "dirty": False}
    status = git("status", "--porcelain")
    return {"commit": head.stdout.strip(), "dirty": bool(status and status.stdout.strip())}


def release_descriptor(contract: Contract, created: datetime, files: dict[str, bytes], build_info: dict | None = None) -> dict:
    """A self-contained descriptor: every table with its bytes, hash and copied schema; every other file in "files".

    The non-table files (Parquet, SQLite, docs) are listed under the custom property `files` rather than as
    resources, so that this descriptor stays a plain tabular package that any Data Package reader (and
    `unsc.load`) opens; `SHA256SUMS` and these hashes let a reader check every byte.
    """
    src = contract.descriptor
    build_info = build_info or {}
    out = {k: src[k] for k in ("$schema", "name") if k in src}
    out["id"] = package_id(src, contract.version, build_info.get("doi"))
    out.update({k: src[k] for k in ("title", "description", "version", "homepage") if k in src})
    out["created"] = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["licenses"] = src.get("licenses") or [DATA_LICENSE]
    out["contributors"] = src.get("contributors") or [{"title": "UNSC Record contributors", "roles": ["creator"]}]
    for k in ("sources", "keywords"):
        if k in src:
            out[k] = src[k]
    out["resources"] = []
    tables = set()
    for res in src["resources"]:
        t = contract.tables[res["name"]]
        r = {k: v for k, v in res.items() if k not in ("schema", "bytes", "hash")}
        r["schema"] = f"schemas/{t.name}.json"
        r["bytes"] = len(files[t.path])
        r["hash"] = "sha256:" + sha256(files[t.path])
        out["resources"].append(r)
        tables.add(t.path)
    out["files"] = [{"path": rel, "mediatype": _mediatype(rel), "bytes": len(data), "hash": "sha256:" + sha256(data)}
                    for rel, data in sorted(files.items()) if rel not in tables and rel != "datapackage.json"]
    out["build"] = {k: build_info.get(k) for k in ("commit", "dirty", "doi")}
    return out


_MEDIATYPES = {".parquet": "application/vnd.apache.parquet", ".sqlite": "application/vnd.sqlite3", ".json": "application/json",
               ".md": "text/markdown", ".cff": "application/x-yaml", ".sql": "application/sql", ".csv": "text/csv"}


def _mediatype(rel: str) -> str:
    return _MEDIATYPES.get(Path(rel).suffix, "text/plain")


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False, separators=(",", ":"))


def parquet_bytes(contract: Contract, t: Table, path: Path) -> bytes:
    """One table as typed Parquet, with settings that give the same bytes every run.

    Enumerations are dictionary-encoded (read back as pandas Categorical / Arrow dictionary), dates date32,
    integers nullable int64. Each column carries its description in its field metadata, and the file's
    key-value metadata holds the Table Schema (`table_schema`: fields, descriptions, primary and foreign
    keys) and the resource's name, title, description and licence.
    """
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from unsc.contract.frames import read_raw, typed

    df = typed(read_raw(path, t), t, categorical=True)
    fields = []
    for f in t.fields:
        meta = {"description": f.description} if f.description else None
        fields.append(pa.field(f.name, derive.column_types(f)["arrow"], nullable=not f.required, metadata=meta))
    table = pa.Table.from_pandas(df, schema=pa.schema(fields), preserve_index=False)
    licence = (contract.descriptor.get("licenses") or [DATA_LICENSE])[0]
    table = table.replace_schema_metadata({
        "table_schema": _json(t.schema),
        "resource": _json({"name": t.name, "title": t.title, "description": t.description, "path": t.path,
                           "package": contract.descriptor.get("name", NAME), "version": contract.version, "license": licence}),
    })
    enums = [f.name for f in t.fields if f.enum and f.type == "string"]
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", compression_level=9, use_dictionary=enums or False, write_statistics=False,
                   store_schema=True, write_page_index=False, row_group_size=max(len(df), 1))
    return buf.getvalue()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sqlite_ddl(t: Table) -> list[str]:
    """CREATE TABLE with types, NOT NULL, enum CHECKs, PRIMARY KEY and FOREIGN KEYs; an index per foreign key."""
    cols = []
    for f in t.fields:
        col = f"{_q(f.name)} {derive.column_types(f)['sqlite']}"
        if f.required:
            col += " NOT NULL"
        if f.enum:
            col += f" CHECK ({_q(f.name)} IN ({', '.join(_lit(v) for v in f.enum)}))"
        cols.append(col)
    if t.primary_key:
        cols.append(f"PRIMARY KEY ({', '.join(map(_q, t.primary_key))})")
    for fk in t.foreign_keys:
        cols.append(f"FOREIGN KEY ({', '.join(map(_q, fk.fields))}) REFERENCES {_q(fk.resource)} ({', '.join(map(_q, fk.reference_fields))})")
    stmts = [f"CREATE TABLE {_q(t.name)} (\n  " + ",\n  ".join(cols) + "\n)"]
    for fk in t.foreign_keys:
        stmts.append(f"CREATE INDEX {_q('idx_' + t.name + '_' + '_'.join(fk.fields))} ON {_q(t.name)} ({', '.join(map(_q, fk.fields))})")
    return stmts


def _sql_value(f, v: str):
    if v == "":
        return None
    if f.type == "integer":
        return int(v)
    if f.type == "number":
        return float(v)
    if f.type == "boolean":
        return 1 if v == "true" else 0
    return v


def view_frames(contract: Contract) -> dict:
    """The ready-made views (:mod:`unsc.publish.views`) over the package's tables, as text-free typed frames."""
    from unsc.publish.loader import _read
    from unsc.publish.views import VIEWS

    tables = _read(contract.root, None)
    return {name: make(tables) for name, make in VIEWS.items()}


def view_parquet_bytes(name: str, df) -> bytes:
    """A view as Parquet: dates as date32, counts as int64, text as string; the view's docstring in the metadata."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from unsc.publish.views import VIEWS

    cols = {}
    for c in df.columns:
        s = df[c]
        if str(s.dtype).startswith("datetime64"):
            cols[c] = pa.array([None if _missing(v) else v.date() for v in s], type=pa.date32())
        elif str(s.dtype) in ("Int64", "int64"):
            cols[c] = pa.array([None if _missing(v) else int(v) for v in s], type=pa.int64())
        else:
            cols[c] = pa.array([None if _missing(v) else str(v) for v in s], type=pa.string())
    table = pa.table(cols).replace_schema_metadata({"view": name, "description": " ".join((VIEWS[name].__doc__ or "").split())})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def _missing(v) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _insert_views(con, views: dict) -> None:
    """Each view as a table of its own (SQLite has no pivot to define them as SQL views), typed like the tables."""
    for name, df in views.items():
        decl = {c: ("DATE" if str(df[c].dtype).startswith("datetime64") else "INTEGER" if str(df[c].dtype) in ("Int64", "int64") else "TEXT")
                for c in df.columns}
        con.execute(f"CREATE TABLE {_q(name)} (" + ", ".join(f"{_q(c)} {t}" for c, t in decl.items()) + ")")
        rows = []
        for rec in df.itertuples(index=False):
            rows.append([None if _missing(v)
                         else (v.date().isoformat() if hasattr(v, "date") and decl[c] == "DATE" else int(v) if decl[c] == "INTEGER" else str(v))
                         for c, v in zip(df.columns, rec)])
        con.executemany(f"INSERT INTO {_q(name)} VALUES ({', '.join('?' for _ in df.columns)})", rows)


def build_sqlite(contract: Contract, path: Path, views: dict | None = None) -> None:
    """Fixed page size, rollback journal (no WAL), one transaction, then VACUUM: the same bytes every run."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA page_size = 4096")
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("BEGIN")
        for t in contract.tables.values():
            for stmt in sqlite_ddl(t):
                con.execute(stmt)
            _, rows = canonical.read_rows(contract.root / t.path)
            marks = ", ".join("?" for _ in t.fields)
            con.executemany(f"INSERT INTO {_q(t.name)} VALUES ({marks})",
                            ([_sql_value(f, r.get(f.name) or "") for f in t.fields] for r in rows))
        _insert_views(con, views or {})
        con.execute("COMMIT")
        bad = con.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise ReleaseError(f"SQLite foreign key check failed: {bad[:5]}")
        con.execute("VACUUM")
    finally:
        con.close()


def datasette_metadata(contract: Contract) -> dict:
    """datasette's metadata file for the SQLite database: title, description, licence, source, every table, view and column."""
    d = contract.descriptor
    licence = (d.get("licenses") or [DATA_LICENSE])[0]
    sources = d.get("sources") or []
    tables = {t.name: {"title": t.title, "description": t.description,
                       "columns": {f.name: f.description for f in t.fields if f.description}}
              for t in contract.tables.values()}
    from unsc.publish.views import described

    tables.update({name: {"title": f"View: {name}", **v} for name, v in described(contract).items()})
    meta = {"title": d.get("title", NAME), "description": d.get("description", ""),
            "license": licence.get("name", ""), "license_url": licence.get("path", ""),
            "source": sources[0]["title"] if sources else "", "source_url": sources[0].get("path", "") if sources else "",
            "about": f"{d.get('title', NAME)} {contract.version}", "about_url": d.get("homepage", ""),
            "databases": {NAME: {"tables": tables}}}
    return meta


def duckdb_sql(contract: Contract) -> str:
    """A DuckDB script that opens the Parquet files as typed views, enumerations as ENUM types.

    DuckDB reads Parquet's dictionary encoding as VARCHAR; this script restores the schema's enum types.
    Run from the release folder: `duckdb -init duckdb.sql` (or `.read duckdb.sql`).
    """
    lines = [f"-- {contract.descriptor.get('title', NAME)} {contract.version}: the Parquet tables as DuckDB views,",
             "-- enumerations as ENUM types. Run from the release folder: duckdb -init duckdb.sql", ""]
    for t in contract.tables.values():
        cols = []
        for f in t.fields:
            kind = derive.column_types(f)["duckdb"]
            if kind == "ENUM":
                enum = f"{t.name}_{f.name}"
                lines.append(f"CREATE TYPE {_q(enum)} AS ENUM ({', '.join(_lit(v) for v in f.enum)});")
                cols.append(f"CAST({_q(f.name)} AS {_q(enum)}) AS {_q(f.name)}")
            else:
                cols.append(f"CAST({_q(f.name)} AS {kind}) AS {_q(f.name)}")
        lines.append(f"CREATE VIEW {_q(t.name)} AS SELECT {', '.join(cols)} FROM read_parquet('parquet/{t.name}.parquet');")
    return "\n".join(lines) + "\n"


def zip_folder(folder: Path, zip_path: Path, when: datetime) -> None:
    """Every file at the zip's root (datapackage.json first-level, as Frictionless expects), sorted, with one
    fixed date, fixed permissions and DEFLATE level 9: identical bytes for identical files."""
    stamp = max(when, EPOCH_1980).timetuple()[:6]
    tmp = zip_path.with_name(f".{zip_path.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(q for q in folder.rglob("*") if q.is_file()):
            rel = p.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(rel, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, p.read_bytes(), compresslevel=9)
    os.replace(tmp, zip_path)


def write_sha256sums(folder: Path, names: list[str]) -> Path:
    """`SHA256SUMS` in *folder* for the named files (the format `sha256sum -c` checks), atomically."""
    lines = [f"{sha256((folder / n).read_bytes())}  {n}\n" for n in sorted(names)]
    path = folder / "SHA256SUMS"
    tmp = folder / ".SHA256SUMS.tmp"
    tmp.write_text("".join(lines), encoding="utf-8", newline="\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def build(root: Path, out: Path) -> Path:
    """Validate, then write `out/unsc-record-X.Y.Z/`, its zip and `out/SHA256SUMS`; return the zip's path.

    Raises ReleaseError, writing nothing, if the data is invalid or a required file is missing.
    """
    from unsc.validate import validate

    root = Path(root)
    missing = [n for n in COPIED if not (root / n).is_file()]
    if missing:
        raise ReleaseError(f"refusing to build: {', '.join(missing)} missing at {root}")
    issues = validate(root)
    if issues:
        lines = "\n".join(i.line() for i in issues[:20])
        raise ReleaseError(f"refusing to build: the data has {len(issues)} problem(s); run `unsc validate`\n{lines}")
    contract = load_contract(root)
    version = contract.version
    created = release_timestamp(root, version)
    info = {**git_state(root), "doi": release_doi()}
    name = f"{NAME}-{version}"
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out)) / name
    try:
        _write_release(contract, stage, created, info)
        final = out / name
        if final.exists():
            shutil.rmtree(final)
        os.replace(stage, final)
        zip_folder(final, out / f"{name}.zip", created)
        write_sha256sums(out, [f"{name}.zip"])
    finally:
        shutil.rmtree(stage.parent, ignore_errors=True)
    return out / f"{name}.zip"


def release_citation(text: str, version: str, day: date, doi: str | None) -> str:
    """The repository's CITATION.cff with this release's version and date (and DOI, when given)."""
    values = [("version", version), ("date-released", day.isoformat())] + ([("doi", doi)] if doi else [])
    for key, value in values:
        line = f'{key}: "{value}"'
        text, n = re.subn(rf"^{key}:.*$", line, text, count=1, flags=re.M)
        if not n:
            text = text.rstrip("\n") + "\n" + line + "\n"
    return text


def build_info_text(contract: Contract, created: datetime, info: dict) -> str:
    """BUILD-INFO: what this release was built from, and with what, so that anyone can rebuild it byte for byte."""
    import platform
    import zlib

    import pyarrow

    commit = info.get("commit") or "unknown (not built from a git checkout)"
    lines = [
        f"name: {NAME}",
        f"version: {contract.version}",
        f"created: {created.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"commit: {commit}",
        f"uncommitted-changes: {'yes (not a reproducible release)' if info.get('dirty') else 'no'}",
        f"doi: {info.get('doi') or 'none'}",
        f"python: {'.'.join(platform.python_version_tuple()[:2])}",  # the minor version: a patch release changes no byte
        f"pyarrow: {pyarrow.__version__}",
        f"sqlite: {sqlite3.sqlite_version}",
        f"zlib: {zlib.ZLIB_RUNTIME_VERSION}",
        f"rebuild: git checkout {info.get('commit') or '<commit>'} && make setup && "
        f"SOURCE_DATE_EPOCH={int(created.timestamp())} .venv/bin/unsc release build",
    ]
    return "\n".join(lines) + "\n"


def _write_release(contract: Contract, stage: Path, created: datetime, info: dict | None = None) -> None:
    info = info or {}
    root = contract.root
    files: dict[str, bytes] = {}
    for t in contract.tables.values():
        files[t.path] = (root / t.path).read_bytes()
        schema = (root / t.schema_path).read_bytes() if t.schema_path else (json.dumps(t.schema, indent=2, ensure_ascii=False) + "\n").encode()
        files[f"schemas/{t.name}.json"] = schema
        files[f"parquet/{t.name}.parquet"] = parquet_bytes(contract, t, root / t.path)
    views = view_frames(contract)
    for name, df in views.items():
        files[f"parquet/{name}.parquet"] = view_parquet_bytes(name, df)
    for n in COPIED:
        files[n] = (root / n).read_bytes()
    files["CITATION.cff"] = release_citation(files["CITATION.cff"].decode("utf-8"), contract.version, created.date(), info.get("doi")).encode()
    files["codebook.md"] = codebook(contract).encode()
    files["README.md"] = readme(contract, created).encode()
    files["BUILD-INFO"] = build_info_text(contract, created, info).encode()
    files["datasette-metadata.json"] = (json.dumps(datasette_metadata(contract), indent=2, ensure_ascii=False) + "\n").encode()
    files["duckdb.sql"] = duckdb_sql(contract).encode()
    sqlite_path = stage / f"{NAME}.sqlite"
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    build_sqlite(contract, sqlite_path, views)
    files[f"{NAME}.sqlite"] = sqlite_path.read_bytes()
    desc = release_descriptor(contract, created, files, info)
    files["datapackage.json"] = (json.dumps(desc, indent=2, ensure_ascii=False) + "\n").encode()
    for rel, data in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_bytes(data)


# --------------------------------------------------------------------------- codebook and README


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook(contract: Contract) -> str:
    """Every table and field, generated from the schemas and the data: the site's codebook in one file."""
    from unsc.publish.codebook import single_file

    return single_file(contract)


def readme(contract: Contract, created: datetime) -> str:
    d, v = contract.descriptor, contract.version
    year = created.year
    tables = "\n".join(f"| `{t.name}` | {_md(t.title)} |" for t in contract.tables.values())
    return f"""# {d.get('title', NAME)} — release {v}

{d.get('description', '')}

Released {created.date().isoformat()}. Home: {d.get('homepage', '')}

## What is in this folder

| Table | Contents |
|---|---|
{tables}

- `data/*.csv` — the tables (UTF-8, sorted by primary key; an empty cell is missing), described by `datapackage.json` (a Frictionless Data Package: every file with its size and SHA-256 hash) and `schemas/*.json`.
- `parquet/*.parquet` — the same tables, typed: enumerations dictionary-encoded, dates `date32`, integers nullable `int64`; each file carries its Table Schema (descriptions, primary and foreign keys) in its metadata.
- `{NAME}.sqlite` — the same tables in SQLite, typed, with primary and foreign keys and indexes; `datasette-metadata.json` describes every table, view and column for datasette.
- `duckdb.sql` — opens the Parquet files in DuckDB as views with the enumerations as ENUM types.
- `codebook.md` — every field, its type, constraints and allowed values, the ready-made views (`drafts_overview`, `votes_detail`) column by column, and the columns renamed in 1.0.0 with their former names (each schema field says it as `unsc:formerName`). `CHANGELOG.md` — what changed in each version.
- `BUILD-INFO` — the commit this release was built from and the tool versions that rebuild it byte for byte.

Check the download with `sha256sum -c SHA256SUMS` (published beside the zip). The zip has `datapackage.json`
at its root: unpack it into a folder of its own (`unzip {NAME}-{v}.zip -d {NAME}-{v}`), or open it as it is.

## Loading

```python
import pandas as pd
votes = pd.read_parquet("parquet/votes.parquet")          # enumerations come back as Categorical
votes = pd.read_csv("data/votes.csv", keep_default_na=False, na_values=[""])
import unsc; tables = unsc.load("{NAME}-{v}.zip")          # the toolkit: typed DataFrames from the zip or this folder
from frictionless import Package; Package("{NAME}-{v}.zip")  # the zip as a Frictionless package
```

```sql
-- DuckDB, from this folder, no extension needed
SELECT vote, count(*) FROM 'parquet/votes.parquet' GROUP BY vote;
.read duckdb.sql   -- typed views: SELECT * FROM votes (vote is an ENUM)
```

```python
# SQLite, with Python's sqlite3 (DuckDB's own SQLite reader is an extension it downloads; this needs none)
import sqlite3, pandas as pd, duckdb
con = sqlite3.connect("{NAME}.sqlite", detect_types=sqlite3.PARSE_DECLTYPES)   # DATE columns as datetime.date
drafts = pd.read_sql("SELECT * FROM drafts", con)
duckdb.sql("SELECT outcome, count(*) FROM drafts GROUP BY outcome").show()      # DuckDB queries the DataFrame by name
```

```sh
datasette {NAME}.sqlite -m datasette-metadata.json    # browse in a web browser
frictionless validate {NAME}-{v}.zip                  # or datapackage.json in the unpacked folder
```

## Citing

See `CITATION.cff`. For example: UNSC Record contributors ({year}). *{d.get('title', NAME)}* (version {v}) [Data set]. {d.get('homepage', '')}

## Licences

The data is licensed under CC BY 4.0 (see `LICENSE-DATA.md`, which also credits the United Nations and the other sources). The toolkit's code is MIT-licensed.
"""


# --------------------------------------------------------------------------- bump


def bump(root: Path, part: str, day: date) -> str:
    """Write the next version to datapackage.json, CITATION.cff and CHANGELOG.md, all or none; return it."""
    root = Path(root)
    dp_path, cff_path, log_path = root / "datapackage.json", root / "CITATION.cff", root / "CHANGELOG.md"
    for p in (cff_path, log_path):
        if not p.is_file():
            raise ReleaseError(f"{p.name} missing at {root}")
    dp_text = dp_path.read_text(encoding="utf-8")
    old = json.loads(dp_text)["version"]
    new = next_version(old, part)
    state = git_state(root)
    if state["dirty"]:
        raise ReleaseError(f"refusing to bump: {root} has uncommitted changes (see `git status`); commit or stash them, "
                           "so that the version names exactly one state of the record")
    new_dp = re.sub(r'("version"\s*:\s*")[^"]*(")', lambda m: m.group(1) + new + m.group(2), dp_text, count=1)
    before, after = json.loads(dp_text), json.loads(new_dp)
    before["version"] = new
    if after != before:
        raise ReleaseError("could not rewrite the version in datapackage.json safely")
    cff = cff_path.read_text(encoding="utf-8")
    for key, value in (("version", new), ("date-released", day.isoformat())):
        line = f'{key}: "{value}"'
        cff, n = re.subn(rf"^{key}:.*$", line, cff, count=1, flags=re.M)
        if not n:
            cff = cff.rstrip("\n") + "\n" + line + "\n"
    log = bump_changelog(log_path.read_text(encoding="utf-8"), old, new, day)
    canonical.atomic_write_many({dp_path: new_dp, cff_path: cff, log_path: log})
    return new


def bump_changelog(text: str, old: str, new: str, day: date) -> str:
    """Move the Unreleased section under `## [new] - day`, leaving an empty Unreleased above it."""
    m = re.search(r"^## \[Unreleased\][^\n]*\n", text, re.M | re.I)
    if not m:
        raise ReleaseError("CHANGELOG.md has no `## [Unreleased]` heading")
    if re.search(rf"^## \[{re.escape(new)}\]", text, re.M):
        raise ReleaseError(f"CHANGELOG.md already has a section for {new}")
    rest = text[m.end():]
    nxt = re.search(r"^(## |\[[^\]]+\]: )", rest, re.M)
    body, tail = (rest[: nxt.start()], rest[nxt.start():]) if nxt else (rest, "")
    if not body.strip():
        raise ReleaseError("nothing under `## [Unreleased]` in CHANGELOG.md: say what changed before releasing")
    out = text[: m.start()] + f"## [Unreleased]\n\n## [{new}] - {day.isoformat()}\n\n{body.strip()}\n\n" + tail.lstrip("\n")
    link = re.search(r"^\[Unreleased\]: (\S+)/compare/(v?)[^.\s]+\.[^.\s]+\.[^.\s]+\.\.\.HEAD$", out, re.M | re.I)
    if link:  # Keep a Changelog compare links, if the file uses them
        base, v = link.group(1), link.group(2)
        repl = f"[Unreleased]: {base}/compare/{v}{new}...HEAD\n[{new}]: {base}/compare/{v}{old}...{v}{new}"
        out = out[: link.start()] + repl + out[link.end():]
    return out.rstrip("\n") + "\n"


# --------------------------------------------------------------------------- opening a version


def _extract_zip(path: Path, dest: Path) -> Path:
    """Unpack a release zip; return the folder holding its datapackage.json."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n == "datapackage.json" or n.endswith("/datapackage.json")]
        if not names:
            raise ReleaseError(f"{path} has no datapackage.json: not a release zip")
        zf.extractall(dest)  # zipfile drops absolute paths and `..` components
    return dest / Path(min(names, key=len)).parent


def _git_show(repo: Path, ref: str, rel: str) -> bytes | None:
    r = subprocess.run(["git", "-C", str(repo), "show", f"{ref}:./{rel}"], capture_output=True)
    return r.stdout if r.returncode == 0 else None


def _git_export(repo: Path, ref: str, dest: Path) -> None:
    """Write a ref's datapackage.json, schemas and CSVs (those that exist there) under *dest*."""
    ok = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], capture_output=True)
    desc = _git_show(repo, ref, "datapackage.json") if ok.returncode == 0 else None
    if desc is None:
        raise ReleaseError(f"{ref!r} is not a release folder, a release zip, or a git ref with a datapackage.json in {repo}")
    wanted = ["datapackage.json"]
    for res in json.loads(desc)["resources"]:
        wanted += [p for p in (res.get("path"), res.get("schema")) if isinstance(p, str)]
    for rel in wanted:
        target = (dest / rel).resolve()
        data = _git_show(repo, ref, rel)
        if data is not None and target.is_relative_to(dest.resolve()):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


@contextlib.contextmanager
def open_package(spec: str | Path, repo: Path | None = None):
    """Yield a folder holding the package named by *spec*: a folder, a release zip, or (given *repo*) a git ref."""
    p = Path(spec)
    if p.is_dir():
        if not (p / "datapackage.json").is_file():
            raise ReleaseError(f"{p} has no datapackage.json: not a repository or release folder")
        yield p
    elif p.is_file():
        if not zipfile.is_zipfile(p):
            raise ReleaseError(f"{p} is not a zip file")
        with tempfile.TemporaryDirectory(prefix="unsc-") as tmp:
            yield _extract_zip(p, Path(tmp))
    elif repo is not None:
        with tempfile.TemporaryDirectory(prefix="unsc-") as tmp:
            _git_export(repo, str(spec), Path(tmp))
            yield Path(tmp)
    else:
        raise ReleaseError(f"{spec} does not exist")


# --------------------------------------------------------------------------- diff


def _text_frame(contract: Contract, t: Table | None, columns):
    import pandas as pd

    path = contract.root / t.path if t else None
    if path is None or not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    header, rows = canonical.read_rows(path)
    return pd.DataFrame([[r.get(c, "") for c in header] for r in rows], columns=header, dtype="string")


def _records(df, cols) -> list[dict]:
    return [{c: _s(v) for c, v in zip(cols, vals)} for vals in df[cols].itertuples(index=False, name=None)]


def diff_table(old_c: Contract, new_c: Contract, name: str) -> dict:
    """Rows added, removed and changed (with each field's old and new value) by primary key. A column the new
    version renamed (its schema's `unsc:formerName`) is compared under its new name and listed as renamed."""
    import datacompy

    from unsc.contract import rename_former

    t_old, t_new = old_c.tables.get(name), new_c.tables.get(name)
    key = list((t_new or t_old).primary_key)
    old = _text_frame(old_c, t_old, (t_old or t_new).field_names)
    new = _text_frame(new_c, t_new, (t_new or t_old).field_names)
    renamed = rename_former(old.columns, t_new) if t_old is not None and t_new is not None else {}
    old = old.rename(columns=renamed)
    for side, df in (("old", old), ("new", new)):
        if not set(key) <= set(df.columns):
            raise ReleaseError(f"{name}: the {side} version lacks primary key columns {key}; cannot diff by key")
    cols_old, cols_new = list(old.columns), list(new.columns)
    common = [c for c in cols_new if c in cols_old and c not in key]
    if len(old) and len(new):
        cmp = datacompy.PandasCompare(old, new, join_columns=key, cast_column_names_lower=False, df1_name="old", df2_name="new")
        removed, added, both = _records(cmp.df1_unq_rows, cols_old), _records(cmp.df2_unq_rows, cols_new), cmp.intersect_rows
    else:
        removed, added, both = _records(old, cols_old), _records(new, cols_new), None
    changed = []
    if both is not None and len(both) and common:
        flags = ~both[[f"{c}_match" for c in common]].to_numpy(dtype=bool)
        for i in flags.any(axis=1).nonzero()[0]:
            row = both.iloc[i]
            changes = {c: {"old": _s(row[f"{c}_old"]), "new": _s(row[f"{c}_new"])} for c, bad in zip(common, flags[i]) if bad}
            changed.append({"key": {k: _s(row[k]) for k in key}, "changes": changes})
    order = lambda r: canonical.row_key(r, tuple(key))  # noqa: E731
    added.sort(key=order)
    removed.sort(key=order)
    changed.sort(key=lambda c: order(c["key"]))
    return {
        "status": "added" if t_old is None else "removed" if t_new is None else "present",
        "primary_key": key,
        "columns_added": [c for c in cols_new if c not in cols_old],
        "columns_removed": [c for c in cols_old if c not in cols_new],
        "columns_renamed": renamed,
        "counts": {"added": len(added), "removed": len(removed), "changed": len(changed),
                   "unchanged": (len(both) if both is not None else 0) - len(changed)},
        "added": added, "removed": removed, "changed": changed,
    }


def _s(v) -> str:
    import pandas as pd

    return "" if v is None or pd.isna(v) else str(v)


def diff_packages(old_root: Path, new_root: Path) -> dict:
    old_c, new_c = load_contract(old_root), load_contract(new_root)
    names = list(new_c.tables) + [n for n in old_c.tables if n not in new_c.tables]
    return {
        "old": {"version": old_c.descriptor.get("version")},
        "new": {"version": new_c.descriptor.get("version")},
        "tables": {n: diff_table(old_c, new_c, n) for n in names},
    }


def diff(old: str, new: str, repo: Path | None = None) -> dict:
    """Diff two versions, each a folder, a release zip, or a git ref of *repo*."""
    with open_package(old, repo) as a, open_package(new, repo) as b:
        result = diff_packages(a, b)
    result["old"]["spec"], result["new"]["spec"] = str(old), str(new)
    return result


def _code(v: str, width: int = 80) -> str:
    if v == "":
        return "*(empty)*"
    v = v if len(v) <= width else v[: width - 1] + "…"
    return f"`` {v} ``" if "`" in v else f"`{v}`"


def diff_markdown(result: dict, limit: int = 50) -> str:
    """A section to paste under a CHANGELOG heading: a summary table, then each changed table's rows."""
    o, n = result["old"], result["new"]
    by = "version" if o.get("version") and n.get("version") and o["version"] != n["version"] else "spec"
    lines = [f"### Data changes: {o.get(by)} → {n.get(by)}", ""]
    touched = {k: v for k, v in result["tables"].items()
               if any(v["counts"][x] for x in ("added", "removed", "changed")) or v["columns_added"] or v["columns_removed"]
               or v.get("columns_renamed") or v["status"] != "present"}
    if not touched:
        return "\n".join(lines + ["No change to the data.", ""])
    lines += ["| Table | Added | Removed | Changed |", "|---|---:|---:|---:|"]
    lines += [f"| `{k}` | {v['counts']['added']} | {v['counts']['removed']} | {v['counts']['changed']} |" for k, v in touched.items()]
    for name, v in touched.items():
        key = v["primary_key"]
        lines += ["", f"#### `{name}`", ""]
        if v["status"] != "present":
            lines.append(f"- Table {v['status']}.")
        for what in ("added", "removed"):
            if v["columns_" + what]:
                lines.append(f"- Columns {what}: {', '.join(_code(c) for c in v['columns_' + what])}.")
        if v.get("columns_renamed"):
            lines.append(f"- Columns renamed: {', '.join(f'{_code(o)} → {_code(n)}' for o, n in v['columns_renamed'].items())}.")
        for what in ("added", "removed", "changed"):
            items = v[what]
            if not items:
                continue
            lines += ([] if lines[-1] == "" else [""]) + [f"{what.capitalize()} ({len(items)}):", ""]
            for item in items[:limit]:
                k = item["key"] if what == "changed" else item
                label = " · ".join(_code(k.get(c, "")) for c in key)
                if what == "changed":
                    label += ": " + "; ".join(f"{f} {_code(c['old'])} → {_code(c['new'])}" for f, c in item["changes"].items())
                lines.append(f"- {label}")
            if len(items) > limit:
                lines.append(f"- … and {len(items) - limit} more (`unsc diff --format json` lists all)")
    return "\n".join(lines) + "\n"


def diff_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
