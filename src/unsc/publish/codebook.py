"""The codebook: Markdown pages generated from the schemas and the data, never written by hand.

One page per table: its description, keys and foreign keys (as links to the other table's page),
and for every field its type, whether it is required or unique, its constraints, the meaning of
each allowed value, examples, and what the data holds (counts per value, range, missing share).

Every string that comes from the data or the schemas goes through `esc` (or `prose` for schema
descriptions, which keeps their `code spans`), so nothing in a cell can break a table or inject HTML.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd

from unsc.contract import Contract, Field, Table, derive

# Characters Markdown (or its table, attr_list and emphasis syntax) would act on, written as
# numeric character references: Markdown passes them through and the browser shows the character.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                          **{c: f"&#{ord(c)};" for c in "\\`*_{}[]|#!"}})
_FIELD_HEADING = re.compile(r"^###\s+`([^`]+)`", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


def esc(value) -> str:
    """Text from the data or the schemas, safe anywhere in Markdown: in a paragraph, a list, a table cell
    or an HTML attribute. Line breaks become spaces."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return " ".join(str(value).translate(_ESCAPES).split())


def code(value) -> str:
    """A value shown as code, safe in a table cell."""
    return f"<code>{esc(value)}</code>"


def href(url) -> str | None:
    """An http(s) address made safe for an href attribute, or None for anything else."""
    if not isinstance(url, str) or not re.match(r"^https?://[^\s<>\"']+$", url):
        return None
    return html.escape(url, quote=True).replace("|", "%7C").replace("`", "%60").replace("*", "%2A").replace("_", "&#95;")


def link(url, text) -> str:
    """An external link with escaped text; plain text when the address is not http(s)."""
    h = href(url)
    return f'<a href="{h}">{esc(text)}</a>' if h else esc(text)


def slug(value: str) -> str:
    """An HTML id for a draft symbol or another identifier: S/2023/773 -> s-2023-773."""
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "x"


def field_names_in(markdown: str) -> list[str]:
    """The field names a codebook page documents, in order (one `### \\`name\\`` heading each)."""
    return _FIELD_HEADING.findall(markdown)


def field_anchor(table: str, field: str, prefix: str = "") -> str:
    """Relative link target of a field's section, from a page in the codebook folder (or *prefix*)."""
    return f"{prefix}{table}.md#{field}"


def prose(text: str, contract: Contract, here: str | None = None, prefix: str = "") -> str:
    """A schema description: escaped, with its `code spans` kept; `table.field` and this table's
    field names become links to their codebook entries."""
    def plain(s: str) -> str:
        return re.sub(r"\s+", " ", s.translate(_ESCAPES))

    out = []
    pos = 0
    for m in _CODE_SPAN.finditer(text or ""):
        out.append(plain(text[pos:m.start()]))
        ref = m.group(2).strip()
        target = None
        if "." in ref:
            t, _, f = ref.partition(".")
            if t in contract.tables and f in contract.tables[t].field_names:
                target = field_anchor(t, f, prefix)
        elif here and ref in contract.tables[here].field_names:
            target = field_anchor(here, ref, prefix)
        elif ref in contract.tables:
            target = f"{prefix}{ref}.md"
        out.append(f"[{code(ref)}]({target})" if target else code(ref))
        pos = m.end()
    out.append(plain((text or "")[pos:]))
    return "".join(out).strip()


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "–"


def _fmt(v, ftype: str) -> str:
    if v is None or pd.isna(v):
        return "–"
    if ftype == "date":
        return pd.Timestamp(v).date().isoformat()
    if ftype == "integer":
        return f"{int(v):,}"
    if ftype == "number":
        return f"{float(v):,.4g}"
    return esc(v)


def _referenced_by(contract: Contract, table: str, field: str) -> list[tuple[str, str]]:
    refs = []
    for t in contract.tables.values():
        for fk in t.foreign_keys:
            if fk.resource == table and field in fk.reference_fields:
                refs.append((t.name, fk.fields[fk.reference_fields.index(field)]))
    return refs


def _references(table: Table, field: str) -> list[tuple[str, str]]:
    out = []
    for fk in table.foreign_keys:
        if field in fk.fields:
            out.append((fk.resource, fk.reference_fields[fk.fields.index(field)]))
    return out


def _field_ref(table: str, field: str, here: str) -> str:
    target = f"#{field}" if table == here else field_anchor(table, field)
    return f"[{code(f'{table}.{field}')}]({target})"


def _constraint_lines(f: Field) -> list[str]:
    """The constraints beyond required/unique/enum, in the words `unsc.contract.derive` gives each."""
    return [_code_spans(w) for w in derive.codebook_constraints(f)]


def _code_spans(words: str) -> str:
    """derive's wording marks values as `code`; here they become escaped <code> elements."""
    out, pos = [], 0
    for m in re.finditer(r"`([^`]*)`", words):
        text = words[pos:m.start()]
        out.append(esc(text) + (" " if text.endswith(" ") else ""))
        out.append(code(m.group(1)))
        pos = m.end()
    return "".join(out) + esc(words[pos:])


def _values_table(f: Field, s: pd.Series, total: int) -> list[str]:
    """Allowed values, their meaning and how many rows hold each."""
    cats = f.categories
    allowed = list(f.enum or cats)
    counts = s.dropna().astype(str).value_counts()
    rows = ["| Value | Meaning | Rows | Share |", "| --- | --- | ---: | ---: |"]
    for v in allowed:
        n = int(counts.get(str(v), 0))
        rows.append(f"| {code(v)} | {esc(cats.get(v, ''))} | {n:,} | {_pct(n, total)} |")
    other = counts[~counts.index.isin([str(v) for v in allowed])]
    for v, n in other.items():
        rows.append(f"| {code(v)} | *not an allowed value* | {int(n):,} | {_pct(int(n), total)} |")
    return rows


def _vocabulary_table(vocab: list[dict], s: pd.Series, total: int) -> list[str]:
    codes = s.dropna().astype(str).str.split()
    counts = codes.explode().value_counts() if len(codes) else pd.Series(dtype=int)
    rows = ["| Code | Definition | Example | Rows using it | Share |", "| --- | --- | --- | ---: | ---: |"]
    for entry in vocab:
        v = entry.get("value", "")
        n = int(counts.get(v, 0))
        rows.append(f"| {code(v)} | {esc(entry.get('definition', ''))} | {esc(entry.get('example', ''))} | {n:,} | {_pct(n, total)} |")
    return rows


def _plain(v, ftype: str) -> str:
    if ftype == "date" and not isinstance(v, str):
        return pd.Timestamp(v).date().isoformat()
    if ftype == "integer" and not isinstance(v, str):
        return str(int(v))
    return str(v)


def _examples(f: Field, s: pd.Series) -> list[str]:
    """The schema's example, then the first distinct values in the data: three at most."""
    out = [_plain(f.raw["example"], f.type)] if "example" in f.raw else []
    for v in s.dropna().head(200):
        v = _plain(v, f.type)
        if v not in out:
            out.append(v)
        if len(out) >= 3:
            break
    return out


def field_section(contract: Contract, table: Table, f: Field, df: pd.DataFrame | None) -> list[str]:
    here = table.name
    lines = [f'### `{f.name}` {{ #{f.name} data-field="{f.name}" }}', ""]
    if f.description:
        lines += [prose(f.description, contract, here), ""]
    more = derive.type_wording(f).removeprefix(f.type).strip()  # e.g. "(YYYY-MM-DD)" after date
    props = [f"**Type:** {code(f.type)}" + (f" {esc(more)}" if more else "")
             + (f" (format {code(f.raw['format'])})" if f.raw.get("format") else "")]
    pk_single = tuple(table.primary_key) == (f.name,)
    if f.former_name:
        props.append(f"**Renamed:** formerly {code(f.former_name)}")
    props.append(f"**Required:** {'yes' if f.required or f.name in table.primary_key else 'no'}")
    props.append(f"**Unique:** {'yes' if f.unique or pk_single else 'no'}"
                 + (" (the primary key)" if pk_single else " (part of the primary key)" if f.name in table.primary_key else ""))
    cons = _constraint_lines(f)
    if cons:
        props.append("**Constraints:** " + "; ".join(cons))
    refs = _references(table, f.name)
    if refs:
        props.append("**References:** " + ", ".join(_field_ref(t, c, here) for t, c in refs))
    back = _referenced_by(contract, here, f.name)
    if back:
        props.append("**Referenced by:** " + ", ".join(_field_ref(t, c, here) for t, c in back))
    s = df[f.name] if df is not None and f.name in df else pd.Series([], dtype="object")
    ex = [] if f.enum or f.categories else _examples(f, s)
    if ex:
        props.append("**Examples:** " + ", ".join(code(v) for v in ex))
    lines += [f"- {p}" for p in props] + [""]

    total = len(s)
    missing = int(s.isna().sum())
    lines.append(f"**In the data:** {total:,} row(s); empty in {missing:,} ({_pct(missing, total)})."
                 + (_range_text(f, s) if total else ""))
    lines.append("")
    vocab = f.raw.get("x-vocabulary")
    if f.enum or f.categories:
        lines += ["Allowed values:", ""] + _values_table(f, s, total) + [""]
    elif vocab:
        lines += ["Controlled vocabulary (`x-vocabulary`); a row may carry several codes, separated by spaces:", ""]
        lines += _vocabulary_table(vocab, s, total) + [""]
    elif f.type == "string" and total and not (f.unique or pk_single):
        top = s.dropna().astype(str).value_counts().head(5)
        if len(top) and int(top.iloc[0]) > 1:
            lines += ["Most frequent values:", "", "| Value | Rows |", "| --- | ---: |"]
            lines += [f"| {code(v)} | {int(n):,} |" for v, n in top.items()] + [""]
    return lines


def _range_text(f: Field, s: pd.Series) -> str:
    v = s.dropna()
    if v.empty:
        return ""
    if f.type in ("integer", "number", "date"):
        return f" Smallest {_fmt(v.min(), f.type)}, largest {_fmt(v.max(), f.type)}."
    if f.type == "boolean":
        return f" True in {int(v.sum()):,}, false in {int((~v.astype(bool)).sum()):,}."
    if f.type == "string" and not (f.enum or f.categories):
        return f" {v.nunique():,} distinct value(s)."
    return ""


def table_page(contract: Contract, table: Table, df: pd.DataFrame | None = None) -> str:
    """The codebook page for one table."""
    rows = len(df) if df is not None else 0
    here = table.name
    home = contract.descriptor.get("homepage", "")
    lines = [f"# {esc(table.title)} (`{table.name}`)", "", "!!! note \"Generated\"",
             "    This page is generated from the table's schema and its data; edit the schema, not this page.", ""]
    if table.description:
        lines += [prose(table.description, contract, here), ""]
    file_link = link(f"{home}/blob/main/{table.path}", table.path) if home.startswith("https://github.com/") else code(table.path)
    lines += [f"- **File:** {file_link}" + (f" (schema {code(table.schema_path)})" if table.schema_path else ""),
              f"- **Rows:** {rows:,}",
              f"- **Fields:** {len(table.fields)}", ""]
    lines += ["## Keys { #table-keys }", ""]
    if table.primary_key:
        lines.append("**Primary key:** " + ", ".join(f"[{code(k)}](#{k})" for k in table.primary_key)
                     + (" (one row per combination)" if len(table.primary_key) > 1 else ""))
    else:
        lines.append("**Primary key:** none")
    lines.append("")
    if table.foreign_keys:
        lines += ["**Foreign keys:**", ""]
        for fk in table.foreign_keys:
            src = ", ".join(f"[{code(c)}](#{c})" for c in fk.fields)
            dst = ", ".join(_field_ref(fk.resource, c, here) for c in fk.reference_fields)
            lines.append(f"- {src} → {dst}")
        lines.append("")
    back = [(t.name, fk) for t in contract.tables.values() for fk in t.foreign_keys if fk.resource == here]
    if back:
        lines += ["**Referenced by:**", ""]
        for name, fk in back:
            lines.append(f"- {', '.join(_field_ref(name, c, here) for c in fk.fields)} → "
                         + ", ".join(f"[{code(c)}](#{c})" for c in fk.reference_fields))
        lines.append("")
    lines += ["## Fields { #table-fields }", "", "| Field | Type | Required | Description |", "| --- | --- | --- | --- |"]
    for f in table.fields:
        req = "yes" if f.required or f.name in table.primary_key else ""
        formerly = f" (formerly {code(f.former_name)})" if f.former_name else ""
        lines.append(f"| [{code(f.name)}](#{f.name}){formerly} | {esc(f.type)} | {req} | {prose(f.description, contract, here)} |")
    lines.append("")
    for f in table.fields:
        lines += field_section(contract, table, f, df)
    return "\n".join(lines).rstrip() + "\n"


def index_page(contract: Contract, frames: Mapping[str, pd.DataFrame] | None = None) -> str:
    frames = frames or {}
    lines = ["# Codebook", "",
             "Every table of the data package, generated from its Table Schema (`schemas/`) and the data itself. "
             f"Package version {esc(contract.version)}.", "",
             "| Table | Title | Rows | Fields | Primary key | Description |", "| --- | --- | ---: | ---: | --- | --- |"]
    for t in contract.tables.values():
        n = len(frames[t.name]) if t.name in frames else 0
        pk = ", ".join(code(k) for k in t.primary_key)
        lines.append(f"| [{code(t.name)}]({t.name}.md) | {esc(t.title)} | {n:,} | {len(t.fields)} | {pk} | {prose(t.description, contract)} |")
    lines += ["", "## How the tables connect", ""]
    for t in contract.tables.values():
        for fk in t.foreign_keys:
            src = ", ".join(f"[{code(f'{t.name}.{c}')}]({field_anchor(t.name, c)})" for c in fk.fields)
            dst = ", ".join(f"[{code(f'{fk.resource}.{c}')}]({field_anchor(fk.resource, c)})" for c in fk.reference_fields)
            lines.append(f"- {src} → {dst}")
    lines += views_section(contract)
    lines += renamed_section(contract)
    return "\n".join(lines).rstrip() + "\n"


def views_section(contract: Contract) -> list[str]:
    """The ready-made views (`unsc.load()`, the release's Parquet and SQLite), column by column, from
    `unsc.publish.views.VIEW_COLUMNS`: a column taken from a table links to that field's entry."""
    from unsc.publish.views import VIEW_COLUMNS, described

    lines = ["", "## Ready-made views { #views }", "",
             "Built from the tables by `unsc.load()` and shipped in the release as Parquet files and SQLite tables of "
             "the same names. They add no fact: each column is a table's column or computed from them."]
    plain = described(contract)
    for name, columns in VIEW_COLUMNS.items():
        doc = plain[name]["description"]
        lines += ["", f"### {code(name)} {{ #view-{slug(name)} }}", "", prose(doc, contract), "", "| Column | Meaning |", "| --- | --- |"]
        for col, where in columns:
            if where in contract.tables:
                f = contract.tables[where].field(col)
                meaning = f"[{code(f'{where}.{col}')}]({field_anchor(where, col)}): {prose(f.description or '', contract)}"
            else:
                meaning = prose(where, contract)
            lines.append(f"| {code(col)} | {meaning} |")
    return lines


def renamed_section(contract: Contract) -> list[str]:
    """The renamed columns, from each schema's `unsc:formerName` (`unsc.contract.former_names`): the one list."""
    renames = contract.renames()
    if not renames:
        return []
    lines = ["", "## Renamed columns { #renamed-columns }", "",
             "Columns renamed so that every column name says what it is and no two tables share a non-key name "
             "(version 1.0.0, issue #17). Code written for the former names maps them with "
             "`df.rename(columns=unsc.contract.former_names(\"<table>\"))`.", "",
             "| Table | Former name | Current name |", "| --- | --- | --- |"]
    for table, names in renames.items():
        for old, new in names.items():
            lines.append(f"| [{code(table)}]({table}.md) | {code(old)} | [{code(new)}]({field_anchor(table, new)}) |")
    return lines


def codebook_pages(contract: Contract, frames: Mapping[str, pd.DataFrame] | None = None, folder: str = "codebook") -> dict[str, str]:
    """{relative path: Markdown} for the codebook index and one page per table."""
    if frames is None:
        from unsc.contract.frames import read_tables

        frames = read_tables(contract)
    pages = {f"{folder}/index.md": index_page(contract, frames)}
    for t in contract.tables.values():
        pages[f"{folder}/{t.name}.md"] = table_page(contract, t, frames.get(t.name))
    return pages


def single_file(contract: Contract, frames: Mapping[str, pd.DataFrame] | None = None) -> str:
    """The whole codebook as one Markdown file (for a release): the site pages joined, links made local."""
    pages = codebook_pages(contract, frames, folder="")
    parts = [pages["/index.md"]] + [re.sub(r"^#", "##", pages[f"/{t}.md"], flags=re.M) for t in contract.tables]
    text = "\n".join(parts)
    text = re.sub(r"\]\((?:[a-z_]+)\.md#([^)]+)\)", r"](#\1)", text)
    return re.sub(r"\]\(([a-z_]+)\.md\)", r"](#\1)", text)
