"""Ready-made views over the tables: the questions analysts ask first, answered once, the same in
`unsc.load()`, the release's Parquet and SQLite, and the site."""
from __future__ import annotations

import pandas as pd

from unsc.domain.council import PERMANENT_SEATS, SEAT_OF_STATE

VOTE_COUNTS = ("yes", "no", "abstain", "not_participating", "absent")
SEAT_WORDS = {"china": "China (the Republic of China until 25 October 1971, then the People's Republic)",
              "france": "France", "russia": "the USSR until 24 December 1991, then the Russian Federation",
              "uk": "the United Kingdom", "us": "the United States"}
LINK_WORDS = {"draft_url": "the draft's own document (its `draft_symbol`, or its `draft_id` where that is a document symbol)",
              "resolution_url": "the resolution adopted", "meeting_record_url": "the verbatim record of the meeting",
              "press_release_url": "the meeting's press release"}

# Each view's columns, in order: a column taken from a table names it ("drafts"), a computed one says what it is.
# The codebook documents the views from here; tests/test_release.py checks the views give exactly these columns.
VIEW_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "drafts_overview": (
        [(c, "drafts") for c in ("draft_id", "draft_symbol", "decision_date", "meeting_id", "draft_kind", "outcome", "resolution",
                                  "situation_id", "draft_title", "yes", "no", "abstain", "not_participating")]
        + [(f"p5_{seat}", f"How the member holding the permanent seat of {words} voted that day; missing where the record "
                          "does not have the vote.") for seat, words in SEAT_WORDS.items()]
        + [(col, f"The official address of {words} (undocs.org or press.un.org), by the rule the site's links use; "
                 "missing where none can be built.") for col, words in LINK_WORDS.items()]
        + [(f"members_{v}", f"How many per-member `{v}` votes the record holds for the draft (0 where none).") for v in VOTE_COUNTS]),
    "votes_detail": (
        [(c, "votes") for c in ("draft_id", "state_id", "vote", "basis", "source_id")]
        + [(c, "drafts") for c in ("decision_date", "draft_kind", "outcome", "situation_id", "meeting_id")]
        + [("topic", "meetings"),
           ("seat", "The seat the member held on the day of the vote: `permanent` or `elected`.")]),
}


def described(contract) -> dict[str, dict]:
    """Each view's description (its function's first paragraph) and its columns' meanings in plain text: a column
    taken from a table has that field's description."""
    out = {}
    for name, columns in VIEW_COLUMNS.items():
        doc = " ".join((VIEWS[name].__doc__ or "").split("\n\n")[0].split())
        out[name] = {"description": doc, "columns": {
            col: (contract.tables[where].field(col).description or "") if where in contract.tables else where for col, where in columns}}
    return out


def _from(view: str, table: str) -> list[str]:
    return [c for c, where in VIEW_COLUMNS[view] if where == table]


def member_matrix(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Drafts × members: each cell the member's vote (`yes`, `no`, …), missing where it is not known.

    Rows are `draft_id` in date order, columns `state_id` in alphabetical order.
    """
    v = tables["votes"]
    order = tables["drafts"].sort_values(["decision_date", "draft_id"])["draft_id"]
    m = v.pivot(index="draft_id", columns="state_id", values="vote")
    m = m.reindex(index=[d for d in order if d in m.index])
    return m.reindex(columns=sorted(m.columns)).astype("string")


def drafts_overview(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per draft: what it was, what happened, its situation, the official addresses of its documents
    (`draft_url`, `resolution_url`, `meeting_record_url`, `press_release_url`; missing where none can be built),
    how each permanent seat voted (`p5_china`, `p5_france`, `p5_russia`, `p5_uk`, `p5_us`: the vote of the state
    holding the seat that day, missing where not recorded) and the number of per-member votes of each kind the
    record holds."""
    d = tables["drafts"]
    keep = [c for c in _from("drafts_overview", "drafts") if c in d.columns]
    out = d[keep].copy()
    v = tables["votes"]
    p5 = v[v["state_id"].isin(SEAT_OF_STATE)].assign(seat=lambda x: "p5_" + x["state_id"].map(SEAT_OF_STATE))
    wide = p5.pivot_table(index="draft_id", columns="seat", values="vote", aggfunc="first")
    for seat in PERMANENT_SEATS:
        col = f"p5_{seat}"
        out[col] = out["draft_id"].map(wide[col]) if col in wide.columns else pd.NA
        out[col] = out[col].astype("string")
    m = tables["meetings"].set_index("meeting_id") if "meetings" in tables else None
    out = out.join(_links(d, m))
    counts = v.groupby(["draft_id", "vote"], observed=True).size().unstack(fill_value=0)
    for kind in VOTE_COUNTS:
        out[f"members_{kind}"] = out["draft_id"].map(counts[kind] if kind in counts.columns else pd.Series(dtype="Int64")).fillna(0).astype("Int64")
    return out.sort_values(["decision_date", "draft_id"]).reset_index(drop=True)


def _links(drafts: pd.DataFrame, meetings: pd.DataFrame | None) -> pd.DataFrame:
    """`LINK_COLUMNS` for each draft, by the one rule in `unsc.publish.links` (the site's links are the same)."""
    from unsc.publish.links import LINK_COLUMNS, document_links

    def of_meeting(col: str) -> pd.Series:
        if meetings is None or col not in meetings.columns:
            return pd.Series(pd.NA, index=drafts.index)
        return drafts["meeting_id"].map(meetings[col])

    def plain(v):
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    year = drafts["decision_date"].dt.year if "decision_date" in drafts.columns else pd.Series(pd.NA, index=drafts.index)
    symbol = drafts["draft_symbol"] if "draft_symbol" in drafts.columns else pd.Series(pd.NA, index=drafts.index)
    rows = [document_links(did, plain(sym), plain(num), plain(y), plain(mnum), plain(press))
            for did, sym, num, y, mnum, press in zip(drafts["draft_id"], symbol, drafts["resolution_number"], year,
                                                      of_meeting("meeting_number"), of_meeting("press_release"))]
    return pd.DataFrame(rows, index=drafts.index, columns=list(LINK_COLUMNS)).astype("string")


def votes_detail(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per member's vote, with what an analysis filters on: the draft's `decision_date`, `draft_kind`,
    outcome and situation, the meeting's agenda item (`topic`), and the seat the member held that day
    (`permanent` or `elected`)."""
    from unsc.domain.council import seat_of

    d = tables["drafts"]
    cols = ["draft_id"] + [c for c in _from("votes_detail", "drafts") if c in d.columns]
    out = tables["votes"].merge(d[cols], on="draft_id", how="left")
    out = out.merge(tables["meetings"][["meeting_id", "topic"]], on="meeting_id", how="left")
    out["seat"] = seat_of(tables["memberships"], out).astype("string")
    return out.sort_values(["decision_date", "draft_id", "state_id"]).reset_index(drop=True)


VIEWS = {"drafts_overview": drafts_overview, "votes_detail": votes_detail}


# columns newer than the first release: the views take them where the package has them
TAKEN_WHERE_PRESENT = ("drafts.draft_symbol", "drafts.situation_id")


def missing_columns(view: str, tables: dict[str, pd.DataFrame]) -> list[str]:
    """The table columns *view* takes (`VIEW_COLUMNS`) that *tables* lack, as `table.column`: a package from
    before the 1.0.0 renames has `drafts.date` where the views read `drafts.decision_date`."""
    return [f"{where}.{col}" for col, where in VIEW_COLUMNS[view]
            if where in tables and col not in tables[where].columns and f"{where}.{col}" not in TAKEN_WHERE_PRESENT]


def add_views(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """*tables* with every view added under its name; a view whose columns the package lacks (an older release)
    is left out with a warning rather than failing the load."""
    import warnings

    out = dict(tables)
    for name, make in VIEWS.items():
        missing = missing_columns(name, tables)
        if missing:
            warnings.warn(f"view {name} left out: this package has no {', '.join(missing)} (a release from before the "
                          "1.0.0 column names? the codebook's 'Renamed columns' maps them)", stacklevel=2)
            continue
        out[name] = make(tables)
    return out
