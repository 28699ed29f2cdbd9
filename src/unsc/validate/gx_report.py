"""`unsc validate --report DIR`: a great-expectations suite per table, and Data Docs HTML.

Every expectation is derived from the Table Schemas (`unsc.contract`): column order, required,
unique, enum, pattern, minLength/maxLength, minimum/maximum and the primary key. A few expectations a reader of the
record cares about, which a Table Schema cannot say, are added on top (`_domain_expectations`);
they name their columns, but each name is checked against the contract, so a renamed column
fails loudly instead of silently dropping the check.

great_expectations is imported inside `write_report` only: it takes seconds to import and the
plain `unsc validate` never needs it. The GX project lives in a temporary folder; its Data Docs
site is copied to *report_dir* and rewritten so that it loads nothing from outside (GX links
bootstrap, jQuery, font-awesome and vega from CDNs and a logo from S3).
"""
from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from unsc.contract import Contract, Table, derive
from unsc.validate.report import Issue

# Reader-level bounds (not in any schema).
RECORDED_SHARE_MIN = 0.05  # at least 5% of per-member votes are recorded from a source, not derived
HINT = "see the great-expectations Data Docs report"


@dataclass
class _Spec:
    """One expectation to add: its GX class name, kwargs, and the CSV field it is about."""

    cls: str
    kwargs: dict
    field: str | None
    notes: str = ""


@dataclass
class _Suite:
    name: str  # suite and asset name
    table: Table
    frame: pd.DataFrame
    specs: list[_Spec] = field(default_factory=list)


# ---------------------------------------------------------------- suites from the schemas
def _is_string(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


def _as_text(series: pd.Series) -> pd.Series:
    """A non-string column as the strings its CSV would hold (dates as ISO), for regex checks."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.strftime("%Y-%m-%d").astype("string")
    return series.astype("string")


def schema_specs(table: Table, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[_Spec]]:
    """The frame to validate (pattern columns as strings) and the expectations the schema implies
    (`unsc.contract.derive.gx_expectations`: columns, every constraint, the primary key)."""
    frame = frame.copy()
    specs = []
    for cls, kwargs, field, notes in derive.gx_expectations(table):
        if cls == "ExpectColumnValuesToMatchRegex" and field in frame and not _is_string(frame[field]):
            frame[field] = _as_text(frame[field])
        specs.append(_Spec(cls, kwargs, field, notes))
    return frame, specs


# ---------------------------------------------------------------- what a reader cares about
def _fields(table: Table, *names: str) -> list[str]:
    for n in names:
        table.field(n)  # KeyError if the schema no longer has it
    return list(names)


def _domain_expectations(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[_Suite]:
    """Expectations on the record's meaning: extra specs on table suites, or suites on derived frames."""
    out: list[_Suite] = []
    tables = contract.tables
    if "votes" in frames and "votes" in tables:
        t = tables["votes"]
        vote, basis, draft = _fields(t, "vote", "basis", "draft_id")
        yes = "yes" if "yes" in (t.field(vote).enum or []) else None
        recorded = "recorded" if "recorded" in (t.field(basis).enum or []) else None
        specs = []
        if yes:
            specs.append(_Spec("ExpectColumnMostCommonValueToBeInSet", {"column": vote, "value_set": [yes]}, vote,
                               "Most Council votes are in favour; anything else suggests a mis-coded vote column."))
        if recorded:
            specs.append(_Spec("ExpectColumnValuesToBeInSet", {"column": basis, "value_set": [recorded], "mostly": RECORDED_SHARE_MIN}, basis,
                               f"At least {RECORDED_SHARE_MIN:.0%} of per-member votes are recorded from a source rather than derived from 'unanimously'."))
        out.append(_Suite("votes", t, frames["votes"], specs))
        # votes per draft: never more than the Council's largest size (the schema's bound on a tally count)
        size = _council_max(contract)
        per_draft = frames["votes"].groupby(draft, dropna=True).size().rename("members_voting").reset_index()
        per_draft["members_voting"] = per_draft["members_voting"].astype("Int64")
        out.append(_Suite("votes-per-draft", t, per_draft, [
            _Spec("ExpectColumnValuesToBeBetween", {"column": "members_voting", "min_value": 1, "max_value": size}, draft,
                  f"Per draft, at most {size} members have a vote row."),
        ]))
    if "drafts" in frames and "drafts" in tables:
        t = tables["drafts"]
        cols = _fields(t, "draft_id", "yes", "no", "abstain", "not_participating")
        draft, counts = cols[0], cols[1:]
        size = _council_max(contract)
        d = frames["drafts"]
        total = d[counts].sum(axis=1, min_count=1).astype("Int64")
        tallies = pd.DataFrame({draft: d[draft], "tally_total": total}).dropna(subset=["tally_total"]).reset_index(drop=True)
        out.append(_Suite("drafts-tallies", t, tallies, [
            _Spec("ExpectColumnValuesToBeBetween", {"column": "tally_total", "min_value": 0, "max_value": size}, None,
                  f"{' + '.join(counts)} never exceeds the Council's {size} members."),
        ]))
    if "positions" in frames and "positions" in tables:
        t = tables["positions"]
        (themes,) = _fields(t, "themes")
        out.append(_Suite("positions", t, frames["positions"], [
            _Spec("ExpectColumnValueLengthsToBeBetween", {"column": themes, "min_value": 1}, themes, "Every explanation of vote has at least one theme."),
        ]))
    return out


def _council_max(contract: Contract) -> int:
    """The largest bound the schemas put on a tally count (15: the Council since 1966)."""
    t = contract.tables.get("drafts")
    bounds = [f.constraints["maximum"] for f in (t.fields if t else ()) if f.type == "integer" and "maximum" in f.constraints]
    return int(max(bounds)) if bounds else 15


def build_suites(contract: Contract, frames: dict[str, pd.DataFrame]) -> list[_Suite]:
    suites: dict[str, _Suite] = {}
    for name, df in frames.items():
        t = contract.tables[name]
        frame, specs = schema_specs(t, df)
        suites[name] = _Suite(name, t, frame, specs)
    for extra in _domain_expectations(contract, frames):
        if extra.name in suites:
            suites[extra.name].specs.extend(extra.specs)
        else:
            suites[extra.name] = extra
    return list(suites.values())


# ---------------------------------------------------------------- run
def write_report(contract: Contract, frames: dict[str, pd.DataFrame], report_dir: Path) -> list[Issue]:
    """Validate *frames* with great-expectations, write Data Docs to *report_dir*; one Issue per failed expectation."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import logging

    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    report_dir = Path(report_dir)
    suites = build_suites(contract, frames)
    issues: list[Issue] = []
    summary: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="unsc-gx-") as tmp:
        ctx = gx.get_context(mode="file", project_root_dir=tmp)
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        ctx.variables.save()
        source = ctx.data_sources.add_pandas("unsc")
        run_id = RunIdentifier(run_name=f"unsc-validate-{contract.descriptor.get('version', '')}")
        for s in suites:
            batch_def = source.add_dataframe_asset(s.name).add_batch_definition_whole_dataframe("all")
            suite = ctx.suites.add(gx.ExpectationSuite(name=s.name, meta={"file": s.table.path}))
            by_id: dict[str, _Spec] = {}
            for spec in s.specs:
                kwargs = dict(spec.kwargs)
                if spec.notes:
                    kwargs["notes"] = spec.notes
                added = suite.add_expectation(getattr(gxe, spec.cls)(**kwargs))
                by_id[str(added.id)] = spec
            vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=s.name, data=batch_def, suite=suite))
            checkpoint = ctx.checkpoints.add(gx.Checkpoint(name=s.name, validation_definitions=[vd], actions=[], result_format="SUMMARY"))
            result = checkpoint.run(batch_parameters={"dataframe": s.frame}, run_id=run_id)
            (vres,) = result.run_results.values()
            page = None
            for key in result.run_results:
                page = _validation_page(key)
            failed = 0
            for er in vres.results:
                if er.success:
                    continue
                failed += 1
                spec = by_id.get(str(er.expectation_config.id)) or _Spec(er.expectation_config.type, dict(er.expectation_config.kwargs),
                                                                        er.expectation_config.kwargs.get("column"))
                issues.append(_issue(s, spec, er))
            summary.append({"suite": s.name, "file": s.table.path, "n": len(vres.results), "failed": failed, "page": page,
                            "suite_page": f"expectations/{s.name}.html"})
        ctx.build_data_docs()
        site = Path(tmp) / "gx" / "uncommitted" / "data_docs" / "local_site"
        _publish(site, report_dir)
    _write_index(report_dir, contract, summary, issues)
    return issues


def _validation_page(key) -> str | None:
    """Relative path of a validation result's Data Docs page (validations/<suite>/<run>/<time>/<batch>.html)."""
    try:
        parts = key.to_tuple()
        return "validations/" + "/".join(str(p) for p in parts) + ".html"
    except Exception:  # noqa: BLE001 - the index then links the suite only
        return None


def _issue(s: _Suite, spec: _Spec, er) -> Issue:
    etype = er.expectation_config.type
    res = er.result or {}
    kwargs = {k: v for k, v in spec.kwargs.items() if k not in ("column", "value_set")}
    if "value_set" in spec.kwargs:
        kwargs["value_set"] = spec.kwargs["value_set"] if len(spec.kwargs["value_set"]) <= 8 else f"{len(spec.kwargs['value_set'])} values"
    where = f"{s.name}: " if s.name != s.table.name else ""
    exc = (er.exception_info or {}).get("exception_message") if isinstance(er.exception_info, dict) else None
    if exc:
        msg = f"{where}{etype} could not run: {exc}"
    elif "unexpected_count" in res and res.get("unexpected_count"):
        seen = dict.fromkeys(repr(_plain(v)) for v in (res.get("partial_unexpected_list") or []))
        examples = ", ".join(list(seen)[:5])
        pct = res.get("unexpected_percent")
        if "mostly" in spec.kwargs and isinstance(pct, (int, float)):
            share = f": {100 - pct:.1f}% meet it, at least {spec.kwargs['mostly']:.0%} expected"
        else:
            share = f" ({pct:.2f}% of non-empty values)" if isinstance(pct, (int, float)) else ""
        msg = f"{where}{res['unexpected_count']} value(s) fail {etype}({_kw(kwargs)}){share}" + (f"; e.g. {examples}" if examples else "")
    elif "observed_value" in res:
        msg = f"{where}{etype}({_kw(kwargs)}) failed: observed {_plain(res['observed_value'])!r}"
    else:
        msg = f"{where}{etype}({_kw(kwargs)}) failed"
    if spec.notes and s.name != s.table.name:
        msg += f" — {spec.notes}"
    return Issue(s.table.path, None, spec.field, f"gx.{etype}", msg, HINT, "gx")


def _plain(v):
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if hasattr(v, "item"):
        try:
            return v.item()
        except Exception:  # noqa: BLE001
            return str(v)
    return v


def _kw(kwargs: dict) -> str:
    def show(k, v):
        if k == "regex" and len(v) > 60:
            return "the field's pattern"
        return f"{k}={v!r}"

    return ", ".join(show(k, v) for k, v in kwargs.items() if v is not None and k != "mostly")


# ---------------------------------------------------------------- a self-contained site
_INLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#212529;background:#fff;line-height:1.45;font-size:15px}
a{color:#0b5cad}
.container-fluid{padding:1rem 1.5rem}
.row{display:flex;flex-wrap:wrap}
.col-12,.col-xs-12,.col-sm-12{flex:0 0 100%;max-width:100%}
@media (min-width:768px){.col-md-2,.col-lg-2{flex:0 0 18%;max-width:18%}.col-md-10,.col-lg-10{flex:0 0 80%;max-width:80%}}
.col-6{flex:0 0 50%;max-width:50%}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #dee2e6;padding:.25rem .5rem;vertical-align:top;text-align:left}
.table-responsive{overflow-x:auto}
.text-danger{color:#c82333}.text-success{color:#1e7e34}
.fas::before{font-style:normal}
.fa-check-circle::before{content:"\\2714"}.fa-times::before{content:"\\2718"}.fa-question-circle::before{content:"?"}
.d-none,.invisible,.collapse:not(.show),.tab-pane.fade:not(.show),.btn-group-toggle,#ge-cta-footer{display:none!important}
.badge{display:inline-block;padding:0 .4em;border-radius:.25rem;background:#6c757d;color:#fff;font-size:85%}
.alert{padding:.5rem 1rem;border:1px solid #d6d8db;border-radius:.25rem;background:#f8f9fa}
.card{border:1px solid #dee2e6;border-radius:.25rem;margin-bottom:1rem}
.card-header{background:#f7f7f7;padding:.5rem;border-bottom:1px solid #dee2e6}
.card-body{padding:.75rem}
.cooltip{position:relative}.cooltip .top{display:none}
.cooltip:hover .top{display:block;position:absolute;left:0;top:1.5em;background:#333;color:#fff;padding:.5rem;white-space:pre-wrap;z-index:10;min-width:16em}
.navbar{display:flex;align-items:center;padding:.5rem 1rem;border-bottom:1px solid #dee2e6;background:#fff}
.sticky-top{position:sticky;top:0;z-index:5}
.navbar-brand a{background:none!important}
.nav{list-style:none;padding-left:0}
.breadcrumb{list-style:none;display:flex;gap:.5rem;padding:0}
.btn{display:inline-block;padding:.2rem .6rem;border:1px solid #ccc;border-radius:.25rem;text-decoration:none}
ul.ge-navigation-sidebar-content{padding-left:0}
"""

_EXT_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_EXT_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_EXT_IMG = re.compile(r"(<img\b[^>]*\bsrc\s*=\s*)([\"'])(?:https?:)?//[^\"']*\2", re.I)
_EXT_URL = re.compile(r"url\(\s*([\"']?)(?:https?:)?//[^)\"']*\1\s*\)", re.I)
_STATIC = re.compile(r"\b(href|src)=\"(?:\.\./)*static/", re.I)
_IMPORT = re.compile(r"@import\s+(?:url\()?\s*[\"']?(?:https?:)?//[^;]*;", re.I)


def localize_html(text: str, static_prefix: str) -> str:
    """*text* with every remote <script>, <link>, image and CSS url() removed or made local.

    All of GX's scripts are dropped (inline ones too: each needs jQuery or bootstrap), so the pages are
    static HTML; a small stylesheet is inlined in their place.
    """
    logo = f"{static_prefix}static/images/logo-long.png"
    text = _EXT_SCRIPT.sub("", text)
    text = _EXT_LINK.sub("", text)
    text = _EXT_IMG.sub(lambda m: f'{m.group(1)}"{logo}"', text)
    text = _IMPORT.sub("", text)
    text = _EXT_URL.sub("none", text)
    text = _STATIC.sub(lambda m: f'{m.group(1)}="{static_prefix}static/', text)  # GX gets some depths wrong (favicon)
    style = f"<style>{_INLINE_CSS}</style>"
    if "</head>" in text:
        text = text.replace("</head>", style + "\n</head>", 1)
    else:
        text = style + text
    return text


def _publish(site: Path, report_dir: Path) -> None:
    """Copy GX's local site into *report_dir* (replacing what GX wrote there before) and make it self-contained."""
    report_dir.mkdir(parents=True, exist_ok=True)
    for old in ("validations", "expectations", "static"):
        if (report_dir / old).is_dir():
            shutil.rmtree(report_dir / old)
    for item in site.iterdir():
        if item.name == "index.html":
            continue  # replaced by a static index: GX's is drawn by JavaScript from CDNs
        dest = report_dir / item.name
        if item.is_dir():
            shutil.copytree(item, dest)
        else:
            shutil.copy2(item, dest)
    for path in report_dir.rglob("*"):
        if path.suffix == ".html" and path.name != "index.html" or path.suffix == ".css":
            depth = len(path.relative_to(report_dir).parts) - 1
            text = path.read_text(encoding="utf-8")
            new = localize_html(text, "../" * depth) if path.suffix == ".html" else _IMPORT.sub("", _EXT_URL.sub("none", text))
            if new != text:
                path.write_text(new, encoding="utf-8")


def _write_index(report_dir: Path, contract: Contract, summary: list[dict], issues: list[Issue]) -> None:
    e = html.escape
    total = sum(s["n"] for s in summary)
    failed = sum(s["failed"] for s in summary)
    verdict = "all expectations met" if not failed else f"{failed} of {total} expectations failed"
    rows = []
    for s in summary:
        status = '<span class="text-success">&#10004; passed</span>' if not s["failed"] else f'<span class="text-danger">&#10008; {s["failed"]} failed</span>'
        link = f'<a href="{e(s["page"])}">results</a>' if s["page"] else ""
        rows.append(f'<tr><td>{status}</td><td>{e(s["suite"])}</td><td><code>{e(s["file"])}</code></td><td>{s["n"]}</td>'
                    f'<td>{link} · <a href="{e(s["suite_page"])}">expectations</a></td></tr>')
    fails = "".join(f"<li><code>{e(i.file)}:{e(i.field or '-')}</code> <b>{e(i.rule)}</b> {e(i.message)}</li>" for i in issues)
    title = e(contract.descriptor.get("title", contract.descriptor.get("name", "package")))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Validation report — {title}</title>
<link rel="icon" href="static/images/favicon.ico">
<style>{_INLINE_CSS}
main{{max-width:70rem;margin:0 auto;padding:1rem 1.5rem}}h1{{font-size:1.5rem}}</style></head>
<body><main>
<h1>Validation report: great-expectations suites</h1>
<p>{title}, version {e(str(contract.descriptor.get("version", "")))}. Suites are derived from the Table Schemas in
<code>schemas/</code>, plus a few checks on the record's meaning. Verdict: <b>{e(verdict)}</b>.</p>
<table><thead><tr><th>Status</th><th>Suite</th><th>File</th><th>Expectations</th><th>Pages</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
{('<h2>Failed expectations</h2><ul>' + fails + '</ul>') if fails else ''}
<p>Generated by <code>unsc validate --report</code> with great-expectations Data Docs.</p>
</main></body></html>
"""
    (report_dir / "index.html").write_text(page, encoding="utf-8")
