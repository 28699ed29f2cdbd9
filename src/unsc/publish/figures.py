"""The counts the README quotes, written by `unsc build` between markers, never typed by hand.

A contribution changes the counts; the rebuild rewrites the block, so no figure can drift from the
record and no test fails for want of a hand edit.
"""
from __future__ import annotations

import re
from pathlib import Path

START, END = "<!-- figures:start (written by `unsc build`; do not edit) -->", "<!-- figures:end -->"
_BLOCK = re.compile(r"^(?P<head>.*?)" + re.escape(START) + r"\n.*?" + re.escape(END) + r"(?P<tail>.*)$", re.S)


def _share(t: dict) -> str:
    return f"{t['complete_share']:.1%}" if t["complete_share"] is not None else "–"


def figures_markdown(c: dict) -> str:
    """The README's block of figures from `unsc coverage`'s numbers (`publish.coverage.compute`)."""
    basis = c["votes_by_basis"]
    kinds = c["votes_by_source_kind"]
    vetoes = sorted(c["vetoes_by_permanent_member"].items(), key=lambda kv: (-kv[1], kv[0]))
    p = c["positions"]
    rows = [("all, 1946 – " + (c["record_runs_to"] or ""), c["overall"]),
            ("contested votes, 1994 – June 2022", c["contested_1994_to_june_2022"]),
            ("since 1 July 2022", c["since_july_2022"])]
    table = ["| period | votes taken | complete per-member votes |", "|---|---|---|"]
    table += [f"| {name} | {t['drafts']:,} | {t['complete']:,} ({_share(t)}) |" for name, t in rows]
    by_kind = p["positions_by_source_kind"]
    return "\n".join([
        f"The record runs to **{c['record_runs_to']}**.", "",
        *table, "",
        f"Meetings: {c['meetings']:,}. Drafts: {c['drafts']:,}. Per-member votes: {c['votes']:,} "
        f"({basis.get('derived', 0):,} derived from unanimous votes, {basis.get('recorded', 0):,} recorded; "
        f"{kinds.get('secondary', 0):,} rest on secondary sources and are counted apart).",
        "Vetoes (negative votes of permanent members on vetoed drafts): " + ", ".join(f"{k} {v}" for k, v in vetoes) + ".",
        f"Resolutions 1 – {c['resolution_numbers']['max']} are present except "
        + (", ".join(str(n) for n in c["resolution_numbers"]["missing"]) or "none")
        + " (not yet found on an acceptable source).", "",
        f"Explanations of vote in scope: {p['positions']:,} ({by_kind['un_record']} from UN records, "
        f"{by_kind['member_statement']} from the members' own published statements, {by_kind['secondary']} from secondary reports). "
        f"Of the {p['in_scope']} drafts in scope, {p['every_permanent_member']} have every permanent member's position, "
        f"{p['every_expected_member']} also every member that voted against or abstained.",
    ])


def replace_block(text: str, block: str) -> str:
    m = _BLOCK.match(text)
    if m is None:
        raise ValueError(f"README.md has no figures block: add the two lines {START!r} and {END!r} where the figures go")
    return f"{m['head']}{START}\n{block}\n{END}{m['tail']}"


def frames_from_texts(contract, texts: dict[str, str]) -> dict:
    """Typed frames of tables held as canonical text (a build not yet written)."""
    import io

    import pandas as pd

    from unsc.contract.frames import typed

    out = {}
    for name, t in contract.tables.items():
        raw = pd.read_csv(io.StringIO(texts[name]), dtype=str, keep_default_na=False, na_values=[""])
        out[name] = typed(raw, t)
    return out


def readme_text(root: Path, texts: dict[str, str] | None = None) -> tuple[Path, str, str] | None:
    """(path, current text, text with fresh figures) of the package's README, from *texts* (a build not yet
    written) or from `data/`; None for a package without a README."""
    from unsc.contract import load_contract
    from unsc.contract.frames import read_tables
    from unsc.publish.coverage import compute

    path = Path(root) / "README.md"
    if not path.is_file():
        return None
    contract = load_contract(root)
    frames = frames_from_texts(contract, texts) if texts is not None else read_tables(contract)
    old = path.read_text(encoding="utf-8")
    return path, old, replace_block(old, figures_markdown(compute(frames)))
