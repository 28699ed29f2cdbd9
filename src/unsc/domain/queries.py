"""Questions about the record that the rules, the site and `unsc coverage` all ask: how complete each draft's
per-member votes are, which drafts are in the positions scope and who is expected to explain a vote there,
which permanent members voted no.

Each function takes the typed tables (`{name: DataFrame}`). A `Tables` mapping also memoises the answers, so
that the dozen rules asking for `completeness` compute it once; the memo is cleared when a table is replaced.
A plain dict works too (nothing is cached then).
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from unsc.domain import council, vocab


class Tables(dict):
    """The typed tables, and a memo of the queries computed on them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.memo: dict[str, object] = {}

    def __setitem__(self, key, value):
        self.memo.clear()
        super().__setitem__(key, value)


def _memo(t, key: str, fn: Callable[[], object]):
    memo = getattr(t, "memo", None)
    if memo is None:
        return fn()
    if key not in memo:
        memo[key] = fn()
    return memo[key]


def by_key(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """*df* indexed by *key*, first row per key: a duplicated key is the schema layer's to report, not a crash here."""
    return df.drop_duplicates(key).set_index(key)


def majorities(dates: pd.Series) -> pd.Series:
    """Affirmative votes needed on each date (`council.majority_on`, vectorised): 7 before 1966, 9 after; 9 where unknown."""
    return pd.Series(9, index=dates.index).where(~(dates < council.ENLARGEMENT), 7)


def draft_dates(t) -> pd.DataFrame:
    return t["drafts"][["draft_id", "decision_date", "draft_kind", "outcome"]]


def votes_with_dates(t) -> pd.DataFrame:
    """Each vote with its draft's decision_date, draft_kind and outcome, indexed as `votes` (votes on an unknown draft dropped)."""
    def run():
        v = t["votes"].reset_index().rename(columns={"index": "_vrow"})
        return v.merge(draft_dates(t), on="draft_id", how="inner").set_index("_vrow")

    return _memo(t, "votes_with_dates", run)


def vote_counts(t) -> pd.DataFrame:
    """Per draft_id: how many members voted each way, and `members` in all."""
    def run():
        v = t["votes"]
        c = v.groupby(["draft_id", "vote"], observed=True).size().unstack("vote", fill_value=0) if len(v) else pd.DataFrame()
        c = c.reindex(columns=list(vocab.VOTES), fill_value=0)
        c["members"] = c[list(vocab.VOTES)].sum(axis=1)
        return c

    return _memo(t, "vote_counts", run)


def completeness(t) -> pd.Series:
    """Per draft: 'complete' (one vote per sitting member), 'partial', or 'none'."""
    def run():
        d = t["drafts"]
        counts = vote_counts(t)
        v = votes_with_dates(t).dropna(subset=["decision_date"])
        sat = council.sitting_pairs(t["memberships"], v)
        sitting_votes = v[sat].groupby("draft_id").size()
        size = council.sizes(d["decision_date"])
        n = d["draft_id"].map(sitting_votes).fillna(0)
        total = d["draft_id"].map(counts["members"]).fillna(0)
        status = pd.Series("none", index=d.index)
        status[total > 0] = "partial"
        status[(n >= size) & (total == n)] = "complete"
        return status

    return _memo(t, "completeness", run)


def permanent_no(t) -> pd.Series:
    """Per draft_id: the permanent members (sitting that day) that voted no, space-separated."""
    def run():
        v = votes_with_dates(t).dropna(subset=["decision_date"])
        v = v[v["vote"] == "no"]
        seat = council.seat_of(t["memberships"], v)
        return v[seat == vocab.PERMANENT].groupby("draft_id")["state_id"].apply(lambda s: " ".join(sorted(s)))

    return _memo(t, "permanent_no", run)


def vetoing_votes(t) -> pd.DataFrame:
    """(draft_id, state_id, decision_date) of every negative vote by a state holding a permanent seat that day, on a vetoed draft."""
    d = t["drafts"]
    nos = t["votes"][t["votes"]["vote"] == "no"].merge(d[["draft_id", "decision_date", "outcome"]], on="draft_id")
    nos = nos[nos["outcome"] == vocab.VETOED].dropna(subset=["decision_date"]).reset_index(drop=True)
    seat = council.seat_of(t["memberships"], nos)
    return nos[seat.to_numpy() == vocab.PERMANENT][["draft_id", "state_id", "decision_date"]]


# The drafts issue #6 asks explanations for, and who is expected to have explained each vote.
POSITIONS_SCOPE_TOPICS = r"Palestinian question|Ukraine"


def positions_scope(t) -> pd.DataFrame:
    """Every draft resolution vetoed or not adopted since 2011, and every vote (amendments and procedural
    votes included) since 2022 under the agenda items 'The situation in the Middle East, including the
    Palestinian question' and those on Ukraine. The topic is the meeting's, or the draft's title while its
    meeting is unconfirmed."""
    def run():
        d = t["drafts"]
        topics = by_key(t["meetings"], "meeting_id")["topic"]
        topic = d["meeting_id"].map(topics).fillna("").astype(str)
        topic = topic.where(topic != "", d["draft_title"].fillna("").astype(str))
        failed = d["outcome"].isin(vocab.FAILED) & (d["decision_date"] >= "2011-01-01") & (d["draft_kind"] == "draft_resolution")
        region = topic.str.contains(POSITIONS_SCOPE_TOPICS, case=False, regex=True) & (d["decision_date"] >= "2022-01-01") & d["yes"].notna()
        return d[failed | region]

    return _memo(t, "positions_scope", run)


def expected_members(t, scope: pd.DataFrame) -> list[tuple[set[str], set[str]]]:
    """For each draft of *scope*, in order: the permanent members sitting that day, and the members that
    voted against or abstained. Each is expected to have explained its vote, or to be listed in position_gaps."""
    v = t["votes"]
    dissent = v[v["vote"].isin(vocab.DISSENT)].groupby("draft_id")["state_id"].apply(set)
    perm = t["memberships"][t["memberships"]["seat"] == vocab.PERMANENT]
    by_date = {d: set(council.sitting(perm, d)["state_id"]) for d in scope["decision_date"].dropna().unique()}  # once per day
    return [(by_date.get(r.decision_date, set()) if pd.notna(r.decision_date) else set(council.sitting(perm, r.decision_date)["state_id"]),
             dissent.get(r.draft_id, set())) for r in scope.itertuples()]
