"""`unsc coverage`: how much of the record has complete per-member votes, and what rests on secondary sources."""
from __future__ import annotations

import json
import sys

import click
import pandas as pd

from unsc.domain import council, hosts
from unsc.contract import find_root, load_contract
from unsc.contract.frames import read_tables
from unsc.domain import vocab
from unsc.domain.queries import Tables, by_key, completeness, expected_members, positions_scope, vetoing_votes


def voted(d: pd.DataFrame) -> pd.Series:
    """Texts put to the vote: the ones that can have per-member votes."""
    return d["yes"].notna() | d["outcome"].isin(vocab.PUT_TO_VOTE)


def compute(frames: dict[str, pd.DataFrame]) -> dict:
    frames = frames if isinstance(frames, Tables) else Tables(frames)  # the queries below share their memo
    d = frames["drafts"].copy()
    d["status"] = completeness(frames)
    d["decade"] = (d["decision_date"].dt.year // 10 * 10).astype("Int64")
    voted_ = d[voted(d)]
    src = by_key(frames["sources"], "source_id")
    votes = frames["votes"].assign(source_kind=frames["votes"]["source_id"].map(src["source_kind"]))
    # official: read on a UN page or in an accepted verbatim reproduction (sources.copy_kind), not what `source_kind` claims
    copy = votes["source_id"].map(src["copy_kind"]) if "copy_kind" in src else pd.Series(pd.NA, index=votes.index)
    provenance = copy.map(lambda c: ("official" if c in hosts.OFFICIAL_COPIES else c) if isinstance(c, str) and c else "not_stated")

    def table(df: pd.DataFrame) -> dict:
        c = df["status"].value_counts()
        n = len(df)
        return {"drafts": n, "complete": int(c.get("complete", 0)), "partial": int(c.get("partial", 0)), "none": int(c.get("none", 0)),
                "complete_share": round(c.get("complete", 0) / n, 4) if n else None}

    by_decade = {str(k): table(g) for k, g in voted_.groupby("decade")}
    contested = voted_[(voted_["decision_date"] >= "1994-01-01") & (voted_["decision_date"] <= "2022-06-30") &
                       ((voted_["no"].fillna(0) > 0) | (voted_["abstain"].fillna(0) > 0) | (voted_["not_participating"].fillna(0) > 0) | voted_["outcome"].isin(vocab.FAILED))]
    recent = voted_[voted_["decision_date"] >= "2022-07-01"]
    vetoes = vetoing_votes(frames).groupby("state_id").size().sort_index()
    numbers = d["resolution_number"].dropna().astype(int)
    recent_numbers = sorted(numbers[d.loc[numbers.index, "decision_date"] >= "2022-06-30"])
    gaps = [n for n in range(min(recent_numbers or [0]), max(recent_numbers or [0]) + 1) if n not in set(recent_numbers)]
    all_gaps = [n for n in range(1, int(numbers.max()) + 1) if n not in set(numbers)] if len(numbers) else []
    positions = positions_coverage(frames)
    return {
        "positions": positions,
        "record_runs_to": str(d["decision_date"].max().date()) if len(d) else None,
        "meetings": int(len(frames["meetings"])),
        "drafts": int(len(d)),
        "votes": int(len(frames["votes"])),
        "overall": table(voted_),
        "by_decade": by_decade,
        "contested_1994_to_june_2022": table(contested),
        "since_july_2022": table(recent),
        "resolution_numbers": {"max": int(numbers.max()) if len(numbers) else None, "missing": all_gaps, "missing_since_july_2022": gaps},
        "vetoes_by_permanent_member": {k: int(v) for k, v in vetoes.items()},
        "votes_by_source_kind": {k: int(v) for k, v in votes["source_kind"].value_counts().sort_index().items()},
        "votes_by_provenance": {k: int(v) for k, v in provenance.value_counts().sort_index().items()},
        "votes_by_basis": {k: int(v) for k, v in votes["basis"].value_counts().sort_index().items()},
        "draft_symbols": symbol_coverage(frames["drafts"]),
        "sponsors": sponsor_coverage(frames),
    }


def symbol_coverage(drafts: pd.DataFrame) -> dict:
    """How many drafts carry their own document symbol (`draft_symbol`), the key other datasets join on."""
    if "draft_symbol" not in drafts.columns:
        return {}
    has = drafts["draft_symbol"].notna()
    resolutions = drafts["resolution"].notna()
    return {"drafts": int(len(drafts)), "with_symbol": int(has.sum()),
            "resolutions": int(resolutions.sum()), "resolutions_with_symbol": int((has & resolutions).sum())}


SPONSOR_SCOPES = {  # issue #17: the drafts whose sponsors the record aims to list
    "since_2022": ("every draft decided since 1 January 2022", lambda d: d["decision_date"] >= "2022-01-01"),
    "failed_since_1994": ("every vetoed or failed draft since 1 January 1994",
                          lambda d: (d["decision_date"] >= "1994-01-01") & d["outcome"].isin(vocab.FAILED)),
}


def sponsor_coverage(frames: dict[str, pd.DataFrame]) -> dict:
    """Per scope: drafts with at least one sponsor listed, drafts with the penholder marked, and the drafts still
    without any sponsor (the gap a contributor can fill)."""
    d, sp = frames["drafts"], frames["sponsors"]
    listed = set(sp["draft_id"])
    penned = set(sp.loc[sp["role"] == "penholder", "draft_id"])
    out = {}
    for name, (label, in_scope) in SPONSOR_SCOPES.items():
        ids = d.loc[in_scope(d).fillna(False).astype(bool), "draft_id"]
        out[name] = {"scope": label, "drafts": int(len(ids)), "with_sponsor": int(ids.isin(listed).sum()),
                     "with_penholder": int(ids.isin(penned).sum()), "without_sponsor": sorted(set(ids) - listed)}
    return out


UN_RECORDS = vocab.UN_RECORDS


def positions_coverage(frames: dict[str, pd.DataFrame]) -> dict:
    """Per draft in scope: which expected members (every permanent member; every member voting against or
    abstaining) have a position, which are shown not to have spoken, and which are still not found."""
    scope = positions_scope(frames)
    pos = frames["positions"].groupby("draft_id")["state_id"].apply(set)
    gaps = frames["position_gaps"]
    silent = gaps[gaps["gap_reason"] == "did_not_speak"].groupby("draft_id")["state_id"].apply(set)
    notes = {(g.draft_id, g.state_id): g.gap_note for g in gaps.itertuples() if isinstance(g.gap_note, str)}
    rows, with_p5, with_all = [], 0, 0
    for r, (p5, dissent) in zip(scope.itertuples(), expected_members(frames, scope)):
        have = pos.get(r.draft_id, set())
        quiet = silent.get(r.draft_id, set())
        done = have | quiet
        missing_p5 = sorted(p5 - done)
        missing_other = sorted(dissent - p5 - done)
        with_p5 += not missing_p5
        with_all += not (missing_p5 or missing_other)
        rows.append({"draft_id": r.draft_id, "decision_date": str(r.decision_date.date()), "positions": len(have),
                     "did_not_speak": sorted(quiet),
                     "permanent_missing": missing_p5, "dissenters_missing": missing_other,
                     "not_found_notes": {s: notes[(r.draft_id, s)] for s in missing_p5 + missing_other if (r.draft_id, s) in notes}})
    p = frames["positions"][frames["positions"]["draft_id"].isin(scope["draft_id"])]
    kinds = p["source_id"].map(by_key(frames["sources"], "source_id")["source_kind"])
    by_kind = {"un_record": int(kinds.isin(UN_RECORDS).sum()), "member_statement": int((kinds == "member_statement").sum()),
               "secondary": int((kinds == "secondary").sum())}
    return {"in_scope": len(scope), "every_permanent_member": with_p5,
            "share": round(with_p5 / len(scope), 4) if len(scope) else None,
            "every_expected_member": with_all, "positions": int(len(p)), "positions_by_source_kind": by_kind, "drafts": rows}


def as_text(c: dict) -> str:
    lines = [f"Record runs to {c['record_runs_to']}: {c['meetings']} meetings, {c['drafts']} drafts, {c['votes']} per-member votes.", "",
             f"{'period':<28}{'voted':>7}{'complete':>10}{'partial':>9}{'none':>7}{'share':>8}"]

    def row(name, t):
        share = f"{t['complete_share']:.1%}" if t["complete_share"] is not None else "-"
        lines.append(f"{name:<28}{t['drafts']:>7}{t['complete']:>10}{t['partial']:>9}{t['none']:>7}{share:>8}")

    for k, t in c["by_decade"].items():
        row(f"{k}s", t)
    row("overall", c["overall"])
    row("contested 1994-06/2022", c["contested_1994_to_june_2022"])
    row("since 1 July 2022", c["since_july_2022"])
    lines += ["", "Vetoes (negative votes of permanent members on vetoed drafts): " + ", ".join(f"{k} {v}" for k, v in c["vetoes_by_permanent_member"].items()),
              "Per-member votes by source kind: " + ", ".join(f"{k} {v}" for k, v in c["votes_by_source_kind"].items()),
              "Per-member votes by the copy read (official: a UN page or an accepted verbatim reproduction): " + ", ".join(f"{k} {v}" for k, v in c["votes_by_provenance"].items()),
              "Per-member votes by basis: " + ", ".join(f"{k} {v}" for k, v in c["votes_by_basis"].items()),
              f"Resolution numbers: 1 to {c['resolution_numbers']['max']}; missing: {c['resolution_numbers']['missing'] or 'none'}",
              f"Explanations of vote in scope (failed drafts since 2011; votes on the Palestinian question and on Ukraine since 2022): {c['positions']['in_scope']} drafts; "
              f"{c['positions']['every_permanent_member']} ({(c['positions']['share'] or 0):.1%}) with every permanent member's position or a record that it did not speak, "
              f"{c['positions']['every_expected_member']} also with every member that voted against or abstained (the rest, member by member: `--format json`)",
              "Drafts with their own document symbol: " + (f"{c['draft_symbols']['with_symbol']} of {c['draft_symbols']['drafts']} "
                                                           f"(adopted resolutions: {c['draft_symbols']['resolutions_with_symbol']} of {c['draft_symbols']['resolutions']})"
                                                           if c.get("draft_symbols") else "-"),
              "Sponsors listed: " + "; ".join(f"{t['scope']}: {t['with_sponsor']} of {t['drafts']} ({t['with_penholder']} with the penholder marked)"
                                              for t in c.get("sponsors", {}).values()) + " (the drafts without: `--format json`)",
              "Positions in scope by source kind: " + ", ".join(f"{k} {v}" for k, v in c["positions"]["positions_by_source_kind"].items())]
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def coverage(path, fmt):
    """Per decade and overall: drafts with complete, partial or no per-member votes; vetoes; sources."""
    contract = load_contract(find_root(path))
    c = compute(read_tables(contract))
    click.echo(json.dumps(c, indent=2) if fmt == "json" else as_text(c), nl=fmt == "json")
    sys.exit(0)
