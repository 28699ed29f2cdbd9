"""Who sat on the Council on a given day, and how many votes a decision needed."""
from __future__ import annotations

import datetime as dt

import pandas as pd

FIRST_MEETING = pd.Timestamp("1946-01-17")
ENLARGEMENT = pd.Timestamp("1966-01-01")  # Charter amendment of 1963 in force: 15 members


def size_on(date) -> int:
    return 11 if pd.Timestamp(date) < ENLARGEMENT else 15


def elected_seats_on(date) -> int:
    return size_on(date) - 5


def sizes(dates: pd.Series) -> pd.Series:
    """Council size for each date in a Series (15 where the date is missing)."""
    return pd.Series(15, index=dates.index).where(~(dates < ENLARGEMENT), 11)


def majority_on(date) -> int:
    """Affirmative votes needed: 7 of 11 before 1966, 9 of 15 after (Art. 27)."""
    return 7 if pd.Timestamp(date) < ENLARGEMENT else 9


def today() -> pd.Timestamp:
    import os

    return pd.Timestamp(os.environ.get("UNSC_TODAY") or dt.date.today().isoformat())


def sitting(memberships: pd.DataFrame, date) -> pd.DataFrame:
    """Membership rows covering *date*."""
    d = pd.Timestamp(date)
    m = memberships
    return m[(m["start_date"] <= d) & (m["end_date"].isna() | (m["end_date"] >= d))]


def sitting_ids(memberships: pd.DataFrame):
    """A function *date* -> the frozenset of state ids sitting that day, memoised per day: the same
    answer as `sitting`, without a pandas filter for every vote an importer builds."""
    terms = [(r.state_id, r.start_date, r.end_date) for r in memberships[["state_id", "start_date", "end_date"]].itertuples(index=False)]
    memo: dict = {}

    def on(date) -> frozenset:
        d = pd.Timestamp(date)
        if d not in memo:
            memo[d] = frozenset(s for s, start, end in terms if start <= d and (pd.isna(end) or end >= d))
        return memo[d]

    return on


def sitting_pairs(memberships: pd.DataFrame, frame: pd.DataFrame, date_col: str = "decision_date") -> pd.Series:
    """For each row of *frame* (with `state_id` and *date_col*), whether that state sat that day."""
    m = memberships[["state_id", "start_date", "end_date", "seat"]].dropna(subset=["state_id", "start_date"])
    left = pd.DataFrame({"_row": frame.index, "state_id": frame["state_id"].to_numpy(), date_col: frame[date_col].to_numpy()})
    j = left.merge(m, on="state_id", how="inner")
    ok = (j["start_date"] <= j[date_col]) & (j["end_date"].isna() | (j["end_date"] >= j[date_col]))
    good = set(j.loc[ok, "_row"])
    return pd.Series(frame.index.isin(list(good)), index=frame.index)


def seat_of(memberships: pd.DataFrame, frame: pd.DataFrame, date_col: str = "decision_date") -> pd.Series:
    """The seat ('permanent'/'elected') each row's state held that day, NA if none."""
    m = memberships[["state_id", "start_date", "end_date", "seat"]].dropna(subset=["state_id", "start_date"])
    left = pd.DataFrame({"_row": frame.index, "state_id": frame["state_id"].to_numpy(), date_col: frame[date_col].to_numpy()})
    j = left.merge(m, on="state_id", how="inner")
    ok = (j["start_date"] <= j[date_col]) & (j["end_date"].isna() | (j["end_date"] >= j[date_col]))
    s = j.loc[ok].drop_duplicates("_row").set_index("_row")["seat"]
    return s.reindex(frame.index)


def council_counts(memberships: pd.DataFrame, until=None) -> pd.DataFrame:
    """Intervals [start, end] over which the number of permanent and elected members is constant."""
    until = pd.Timestamp(until) if until is not None else today()
    m = memberships.dropna(subset=["start_date"])
    events = []
    for seat in ("permanent", "elected"):
        s = m[m["seat"] == seat]
        ends = s["end_date"].fillna(pd.Timestamp("2262-01-01")) + pd.Timedelta(days=1)
        events.append(pd.DataFrame({"day": s["start_date"], seat: 1}))
        events.append(pd.DataFrame({"day": ends, seat: -1}))
    ev = pd.concat(events).fillna(0).groupby("day").sum().sort_index().cumsum()
    ev = ev[(ev.index <= until)]
    rows = []
    days = list(ev.index)
    for i, day in enumerate(days):
        nxt = days[i + 1] - pd.Timedelta(days=1) if i + 1 < len(days) else until
        if nxt < FIRST_MEETING:
            continue
        rows.append({"start": max(day, FIRST_MEETING), "end": nxt,
                     "permanent": int(ev.iloc[i].get("permanent", 0)), "elected": int(ev.iloc[i].get("elected", 0))})
    if not rows or rows[0]["start"] > FIRST_MEETING:
        first = rows[0]["start"] - pd.Timedelta(days=1) if rows else until
        rows.insert(0, {"start": FIRST_MEETING, "end": first, "permanent": 0, "elected": 0})
    return pd.DataFrame(rows)


# The five permanent seats and the states that held each (Art. 23): China's seat passed from the Republic of
# China to the People's Republic on 25 October 1971, the USSR's was continued by the Russian Federation on
# 24 December 1991. Which state held a seat on a day comes from `memberships`; this says only which seat it is.
PERMANENT_SEATS: dict[str, tuple[str, ...]] = {
    "china": ("TWN", "CHN"),
    "france": ("FRA",),
    "russia": ("SUN", "RUS"),
    "uk": ("GBR",),
    "us": ("USA",),
}
SEAT_OF_STATE = {s: seat for seat, states in PERMANENT_SEATS.items() for s in states}
