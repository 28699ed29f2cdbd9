"""A page for every draft, every state that sat on the Council and every situation: data in, Markdown out.

Each function takes the site's `Record` (the package's tables with a few lookups computed once) and returns
`{relative path: Markdown}`. Every string from the data goes through `esc`. Pages carry `search: boost` front
matter so that the search finds a draft or a member page before the year page that mentions it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from unsc.domain.council import PERMANENT_SEATS

from unsc.publish.codebook import code, esc, link
from unsc.publish.links import draft_page, official_links

VOTE_ORDER = ("yes", "no", "abstain", "not_participating", "absent")
VOTE_LABEL = {"yes": "Yes", "no": "No", "abstain": "Abstain", "not_participating": "Not participating", "absent": "Absent"}
# The five permanent seats; a seat's earlier holder is shown with it (SUN until 1991, TWN until 1971).
# (the seat's present holder, every state that held it), from the one definition of the permanent seats
SEATS = tuple((PERMANENT_SEATS[s][-1], PERMANENT_SEATS[s]) for s in ("us", "uk", "france", "russia", "china"))
SEAT_LABEL = {"USA": "USA", "GBR": "GBR", "FRA": "FRA", "RUS": "RUS (SUN to 1991)", "CHN": "CHN (TWN to 1971)"}
CAST = ("yes", "no", "abstain")
BOOST_ENTITY = 4


def front(title: str | None = None, boost: float | None = None) -> str:
    """YAML front matter (title, search boost), or nothing."""
    lines = []
    if title:
        lines.append(f"title: {_yaml_str(title)}")
    if boost:
        lines += ["search:", f"  boost: {boost}"]
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def _yaml_str(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def filterable(table_lines: list[str], label: str) -> list[str]:
    """A Markdown table wrapped so that the site script adds a filter box (labelled *label*) above it."""
    return [f'<div class="unsc-filter" data-label="{esc(label)}" markdown>', ""] + table_lines + ["", "</div>", ""]


def _none(v):
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def _rows_by(df: pd.DataFrame, key: str, cols: list[str]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    if not len(df):
        return out
    for row in zip(*(df[c].astype(object).where(df[c].notna(), None) for c in [key] + cols)):
        out[row[0]].append(row[1:])
    return out


def _pct(a: int, n: int) -> str:
    return f"{100 * a / n:.0f}%" if n else "–"


# ------------------------------------------------------------------ situations
NAME_COLUMNS = ("situation_name", "title", "label")  # the column that names a situation, first found


@dataclass
class Situations:
    """The situations vocabulary (`situations` table) and the situations of each draft (`drafts.situation_id`,
    several separated by spaces, or the meeting's `situation_id`). Absent from the data: `load_situations` gives None."""

    table: pd.DataFrame
    of_draft: dict[str, list[str]]

    def name(self, sid: str) -> str:
        row = self.table.loc[self.table["situation_id"] == sid]
        for col in NAME_COLUMNS:
            if col in row and len(row) and pd.notna(row[col].iloc[0]):
                return str(row[col].iloc[0])
        return sid


def _raw(path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def load_situations(contract, t: dict[str, pd.DataFrame]) -> Situations | None:
    """The situations, from the contract when it declares them, else from `data/situations.csv` and the
    `situation_id` column of `data/drafts.csv` (or `data/meetings.csv`) read as they are; None when absent."""
    root = contract.root
    table = t.get("situations")
    if table is None:
        table = _raw(root / "data" / "situations.csv")
    if table is None or "situation_id" not in table.columns or not len(table):
        return None
    table = table.astype(object).where(table.notna(), None)
    drafts = t["drafts"] if "situation_id" in t["drafts"].columns else _raw(root / "data" / "drafts.csv")
    of_draft: dict[str, list[str]] = {}
    if drafts is not None and "situation_id" in drafts.columns:
        for did, sid in zip(drafts["draft_id"], drafts["situation_id"]):
            if isinstance(sid, str) and sid.strip():
                of_draft[did] = sid.split()
    meetings = t["meetings"] if "situation_id" in t["meetings"].columns else _raw(root / "data" / "meetings.csv")
    if meetings is not None and "situation_id" in meetings.columns:
        by_meeting = {m: s.split() for m, s in zip(meetings["meeting_id"], meetings["situation_id"]) if isinstance(s, str) and s.strip()}
        for did, mid in zip(t["drafts"]["draft_id"], t["drafts"]["meeting_id"]):
            if did not in of_draft and mid in by_meeting:
                of_draft[did] = by_meeting[mid]
    table = table.sort_values("situation_id", kind="stable").reset_index(drop=True)
    return Situations(table, of_draft)


def situation_link(sits: Situations | None, sid: str, prefix: str = "../") -> str:
    known = sits is not None and sid in set(sits.table["situation_id"])
    return f"[{esc(sits.name(sid))}]({prefix}situations/{draft_page(sid)}.md)" if known else esc(sid)


def situation_link_h(sits: Situations | None, sid: str) -> str:
    known = sits is not None and sid in set(sits.table["situation_id"])
    return f'<a href="../situations/{draft_page(sid)}.html">{esc(sits.name(sid))}</a>' if known else esc(sid)


# ------------------------------------------------------------------ shared lookups
class Lookups:
    """What the entity pages share, computed once from the record."""

    def __init__(self, rec, situations: Situations | None):
        t = rec.t
        self.rec = rec
        self.situations = situations
        m = rec.t["memberships"]
        self.permanent = set(m.loc[m["seat"] == "permanent", "state_id"])
        voters = set(t["votes"]["state_id"])
        self.members = sorted(set(m["state_id"]) | voters)
        self.votes = _rows_by(t["votes"], "draft_id", ["state_id", "vote", "basis", "source_id"])
        self.sponsors = _rows_by(t["sponsors"], "draft_id", ["state_id", "role", "source_id"])
        self.positions = _rows_by(t["positions"], "draft_id", ["state_id", "meeting_id", "timing", "summary", "themes", "source_id"])
        src = t["sources"].astype(object).where(t["sources"].notna(), None)
        self.sources = {r.source_id: r for r in src.itertuples(index=False)}
        me = t["meetings"].astype(object).where(t["meetings"].notna(), None)
        self.meetings = {r.meeting_id: r for r in me.itertuples(index=False)}
        d = rec.drafts
        self.drafts = d
        self.amendments = _rows_by(d.dropna(subset=["amends"]), "amends", ["draft_id"])
        self.dates = {k: (v.date().isoformat() if pd.notna(v) else None) for k, v in zip(d["draft_id"], d["decision_date"])}
        self.outcomes = dict(zip(d["draft_id"], d["outcome"].astype(object)))
        self.page = {}
        owner: dict[str, str] = {}
        for did in d["draft_id"]:
            name = draft_page(did)
            if name.lower() in owner:
                raise ValueError(f"drafts.csv: draft_id {did!r} and {owner[name.lower()]!r} would share the page "
                                 f"drafts/{name}.html; fix unsc.publish.links.draft_page or one of the ids")
            owner[name.lower()] = did
            self.page[did] = name

    def draft(self, did, prefix: str = "../") -> str:
        """A link to a draft's page (plain text for an id that is not in the record)."""
        return f"[{esc(did)}]({prefix}drafts/{self.page[did]}.md)" if did in self.page else esc(did)

    def draft_h(self, did) -> str:
        """The same as `draft`, as HTML from a page one folder down."""
        return f'<a href="../drafts/{self.page[did]}.html">{esc(did)}</a>' if did in self.page else esc(did)

    def member_h(self, sid) -> str:
        """The same as `member`, as HTML from a page one folder down."""
        name = self.rec.names.get(sid)
        text = f"{esc(name)} ({esc(sid)})" if name else esc(sid)
        return f'<a href="../members/{sid}.html">{text}</a>' if sid in self.members_set else text

    def member(self, sid, prefix: str = "../", long: bool = True) -> str:
        name = self.rec.names.get(sid)
        text = f"{esc(name)} ({esc(sid)})" if (name and long) else esc(sid)
        return f"[{text}]({prefix}members/{sid}.md)" if sid in self.members_set else text

    @property
    def members_set(self) -> set[str]:
        if not hasattr(self, "_members_set"):
            self._members_set = set(self.members)
        return self._members_set

    def source(self, sid) -> str:
        r = self.sources.get(sid)
        if r is None:
            return esc(sid)
        title = f" — {esc(r.source_title)}" if r.source_title else ""
        return (link(r.source_url, sid) if r.source_url else code(sid)) + title


def _tally(r) -> str:
    if pd.isna(r.yes):
        return ""
    s = f"{int(r.yes)}–{int(r.no) if pd.notna(r.no) else '–'}–{int(r.abstain) if pd.notna(r.abstain) else '–'}"
    if pd.notna(r.not_participating) and int(r.not_participating):
        s += f" ({int(r.not_participating)} not participating)"
    return s


def _words(v) -> str:
    return esc(str(v).replace("_", " ")) if _none(v) is not None else ""


# ------------------------------------------------------------------ drafts
def _h_table(head: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """A raw HTML table (cells already escaped): Markdown passes it through untouched, which keeps thousands of
    pages fast to convert."""
    def cell(tag, i, v):
        return f'<{tag} style="text-align:right">{v}</{tag}>' if i in right else f"<{tag}>{v}</{tag}>"
    out = ["<table>", "<thead><tr>" + "".join(cell("th", i, h) for i, h in enumerate(head)) + "</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows]
    return "\n".join(out + ["</tbody>", "</table>", ""])


def draft_pages(rec, lk: Lookups, anchors: dict[str, tuple[int, str]], cite: dict) -> dict[str, str]:
    """`drafts/<page>.md` for every draft: outcome, date, meeting, situation, the vote member by member,
    sponsors, explanations of vote, amendments, official documents, sources and a citation.
    Headings are Markdown (the table of contents and the search index use them); the content under them is raw
    HTML with `.html` links (checked by the site's link test), which Markdown does not need to parse."""
    pages = {}
    outcome_meaning = rec.contract.table("drafts").field("outcome").categories
    by_id = lk.drafts.set_index("draft_id", drop=False)
    for r in lk.drafts.itertuples(index=False):
        did = r.draft_id
        date = r.decision_date.date().isoformat() if pd.notna(r.decision_date) else None
        year = r.decision_date.year if pd.notna(r.decision_date) else None
        meeting = lk.meetings.get(r.meeting_id) if pd.notna(r.meeting_id) else None
        topic = r.draft_title if pd.notna(r.draft_title) else (meeting.topic if meeting is not None else None)
        lines = [front(boost=BOOST_ENTITY), f"# {esc(did)}", ""]
        if topic:
            lines += [f"<p><strong>{esc(topic)}</strong></p>", ""]
        facts = []
        outcome = _words(r.outcome)
        if pd.notna(r.resolution):
            outcome += f" as {esc(r.resolution)}"
        tally = _tally(r)
        facts.append(("Outcome", f'<span title="{esc(outcome_meaning.get(r.outcome, ""))}"><strong>{outcome}</strong></span>'
                      + (f", {tally} (yes–no–abstain, {_words(r.tally_basis)})" if tally else "")))
        if did in lk.rec.vetoers:
            facts.append(("Vetoed by", ", ".join(lk.member_h(s) for s in lk.rec.vetoers[did])))
        if date:
            where = f' (<a href="../record/{year}.html#{anchors[did][1]}">{year}</a>)' if did in anchors else ""
            facts.append(("Date", date + where))
        if meeting is not None:
            facts.append(("Meeting", f"{esc(meeting.meeting_id)}" + (f" — {esc(meeting.topic)}" if meeting.topic else "")))
        elif pd.notna(r.meeting_id):
            facts.append(("Meeting", esc(r.meeting_id)))
        if lk.situations is not None:
            sids = lk.situations.of_draft.get(did, [])
            if sids:
                facts.append(("Situation", ", ".join(situation_link_h(lk.situations, s) for s in sids)))
        facts.append(("Kind", _words(r.draft_kind) + (f" to {lk.draft_h(r.amends)}" if pd.notna(r.amends) else "")))
        facts.append(("Per-member votes", _words(r.status)))
        lines += ["<dl class=\"unsc-facts\">" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>", ""]

        # the vote, member by member
        vg = lk.votes.get(did, [])
        lines += ["## The vote, member by member", ""]
        if vg:
            rows = []
            values = list(VOTE_ORDER) + sorted({str(x[1]) for x in vg} - set(VOTE_ORDER))
            for value in values:
                states = sorted((x[0] for x in vg if x[1] == value), key=lambda s: (s not in lk.permanent, s))
                if states:
                    who = ", ".join(lk.member_h(s) + (" <strong>(P)</strong>" if s in lk.permanent else "") for s in states)
                    rows.append([esc(VOTE_LABEL.get(value, value)), who, str(len(states))])
            lines += ["<p>Permanent members are marked <strong>(P)</strong>.</p>", "", _h_table(["Vote", "Members", "Count"], rows, {2})]
            if all(x[2] == "derived" for x in vg):
                lines += ["<p>These votes are derived from a unanimous adoption, not from a recorded vote.</p>", ""]
        elif r.outcome in ("adopted", "vetoed", "not_adopted") or pd.notna(r.yes):
            lines += ["<p>The per-member votes are <em>not recorded yet</em>.</p>", ""]
        else:
            lines += ["<p>No per-member vote: this text was not put to a vote.</p>", ""]

        sg = lk.sponsors.get(did, [])
        if sg:
            pen = [lk.member_h(x[0]) for x in sg if x[1] == "penholder"]
            spo = [lk.member_h(x[0]) for x in sg if x[1] != "penholder"]
            lines += ["## Sponsors", ""]
            if pen:
                lines += ["<p>Penholder: " + ", ".join(pen) + "</p>", ""]
            if spo:
                lines += ["<p>Sponsors: " + ", ".join(spo) + "</p>", ""]

        pg = lk.positions.get(did, [])
        if pg:
            lines += ["## Explanations of vote", ""]
            for p in sorted(pg, key=lambda p: (p[0] not in lk.permanent, p[0])):
                themes = " ".join(code(x) for x in str(p[4]).split()) if p[4] else "–"
                lines += [f"### {esc(lk.rec.names.get(p[0], p[0]))} ({esc(p[0])})", "",
                          f"<p>{lk.member_h(p[0])}, {_words(p[2])}: {esc(p[3])}</p>", "",
                          f"<p>Themes: {themes}. Source: {lk.source(p[5])}.</p>", ""]

        am = lk.amendments.get(did, [])
        if am:
            rows = []
            for (aid,) in am:
                a = by_id.loc[aid]
                rows.append([lk.draft_h(aid), lk.dates.get(aid) or "–", _words(a.outcome), _tally(a)])
            lines += ["## Amendments voted on it", "", _h_table(["Amendment", "Date", "Outcome", "Vote"], rows)]

        docs = official_links(did, r.resolution_number, year,
                              meeting.meeting_number if meeting is not None else None,
                              meeting.press_release if meeting is not None else None, draft_symbol=r.draft_symbol)
        lines += ["## Official documents", ""]
        lines += (["<ul>" + "".join(f"<li>{link(url, label)}</li>" for label, url in docs) + "</ul>"] if docs
                  else ["<p>No official document can be linked from this record yet.</p>"])
        lines.append("")

        srcs = list(dict.fromkeys([r.source_id] + [x[-1] for rows in (vg, sg, pg) for x in rows if x[-1] is not None]))
        lines += ["## Sources", "", "<ul>" + "".join(f"<li>{lk.source(s)}</li>" for s in srcs if _none(s) is not None) + "</ul>", ""]

        lines += ["## Cite this", "",
                  f"<blockquote><p>{esc(cite['authors'])}. “{esc(did)}”{f' ({date})' if date else ''}. In <em>{esc(cite['title'])}</em>, "
                  f"version {esc(cite['version'])}, page <code>drafts/{lk.page[did]}.html</code>."
                  + (f" {link(cite['home'], cite['home'])}." if cite.get("home") else "") + "</p></blockquote>", ""]
        pages[f"drafts/{lk.page[did]}.md"] = "\n".join(lines)
    return pages


# ------------------------------------------------------------------ members
def _seat_columns(votes: pd.DataFrame) -> pd.DataFrame:
    """draft × state table of the vote cast (yes/no/abstain only), plus one column per permanent seat."""
    cast = votes[votes["vote"].isin(CAST)]
    m = cast.pivot_table(index="draft_id", columns="state_id", values="vote", aggfunc="first")
    for seat, holders in SEATS:
        col = pd.Series(pd.NA, index=m.index, dtype=object)
        for h in holders:
            if h in m.columns:
                col = col.where(col.notna(), m[h])
        m[f"seat:{seat}"] = col
    return m


def agreement(votes: pd.DataFrame, years: pd.Series, seats=SEATS) -> dict[str, pd.DataFrame]:
    """{state: table}: per year (index), for each permanent seat, the share of drafts on which the state and the
    seat's holder cast the same vote (yes, no or abstain; drafts where either did not cast one are left out), and
    how many drafts were compared. Columns `<seat>` (share 0–1) and `<seat>_n`; a seat's own holders get no column."""
    m = _seat_columns(votes)
    cast = votes.loc[votes["vote"].isin(CAST), ["draft_id", "state_id", "vote"]]
    cast = cast.assign(year=cast["draft_id"].map(years)).dropna(subset=["year"])
    parts = []
    for seat, holders in seats:
        other = cast["draft_id"].map(m[f"seat:{seat}"])
        keep = other.notna() & ~cast["state_id"].isin(holders)
        g = (cast.loc[keep, "vote"] == other[keep]).groupby([cast.loc[keep, "state_id"], cast.loc[keep, "year"].astype(int)])
        parts.append(g.mean().rename(seat))
        parts.append(g.size().rename(f"{seat}_n"))
    if not parts:
        return {}
    df = pd.concat(parts, axis=1)
    return {sid: g.droplevel(0).sort_index() for sid, g in df.groupby(level=0)}


def member_pages(rec, lk: Lookups) -> dict[str, str]:
    """`members/<state_id>.md` for every state that sat on the Council, and `members/index.md`."""
    t = rec.t
    d = lk.drafts
    years = pd.Series(d["decision_date"].dt.year.values, index=d["draft_id"].values)
    v = t["votes"].assign(year=t["votes"]["draft_id"].map(years))
    agreements = agreement(t["votes"], years)
    terms = _rows_by(t["memberships"].sort_values(["start_date"], kind="stable"), "state_id", ["seat", "start_date", "end_date", "regional_group"])
    pos = t["positions"].assign(_date=t["positions"]["draft_id"].map(lk.dates))
    pos_by = _rows_by(pos.sort_values(["_date", "draft_id"], kind="stable", na_position="last"), "state_id",
                      ["draft_id", "timing", "themes", "summary", "source_id"])
    vetoes_by: dict[str, list[str]] = defaultdict(list)
    for did in d["draft_id"]:
        for s in rec.vetoers.get(did, []):
            vetoes_by[s].append(did)
    counts = v.dropna(subset=["year"]).assign(year=lambda x: x["year"].astype(int)).groupby(["state_id", "year", "vote"]).size()
    counts_of = {sid: g.droplevel(0) for sid, g in counts.groupby(level=0)} if len(counts) else {}
    by_id = d.set_index("draft_id", drop=False)
    pages = {}
    index = ["# Members of the Council", "",
             "Every state that sat on the Security Council in the record: its seats, votes, vetoes, how often it voted "
             "with each permanent member, and its explanations of vote.", ""]
    rows = ["| Member | Seat | First year | Last year | Votes recorded | Vetoes cast |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for sid in lk.members:
        name = rec.names.get(sid, sid)
        tg = terms.get(sid, [])
        vs = counts_of.get(sid, pd.Series(dtype=int))
        lines = [front(boost=BOOST_ENTITY), f"# {esc(name)} ({esc(sid)})", ""]
        seats = sorted({x[0] for x in tg})
        first = min((x[1] for x in tg), default=None)
        last_end = [x[2] for x in tg]
        last = "present" if any(e is None for e in last_end) else (max(last_end).date().isoformat() if last_end else None)
        lines += [f"{esc(name)} sat on the Council as a {' and '.join(esc(s) for s in seats) or '–'} member"
                  + (f" from {first.date().isoformat()} to {last}" if first is not None else "") + ". "
                  f"{int(vs.sum()) if len(vs) else 0:,} per-member votes recorded; {len(vetoes_by.get(sid, []))} veto(es).", ""]
        lines += ["## Terms", "", "| Seat | From | To | Group |", "| --- | --- | --- | --- |"]
        for seat, start, end, group in tg:
            lines.append(f"| {esc(seat)} | {start.date().isoformat() if start is not None else '–'} | "
                         f"{end.date().isoformat() if end is not None else 'present'} | {esc(group) if group else '–'} |")
        lines.append("")
        lines += ["## Votes by year", ""]
        if len(vs):
            tab = vs.unstack("vote", fill_value=0)
            cols = [c for c in VOTE_ORDER if c in tab.columns] + sorted(set(tab.columns) - set(VOTE_ORDER))
            tab = tab[cols]
            body = ["| Year | " + " | ".join(esc(VOTE_LABEL.get(c, c)) for c in cols) + " | Total |",
                    "| ---: | " + " | ".join("---:" for _ in cols) + " | ---: |"]
            for y, r in tab.iterrows():
                body.append(f"| [{int(y)}](../record/{int(y)}.md) | " + " | ".join(str(int(r[c])) for c in cols) + f" | {int(r.sum())} |")
            body.append("| All years | " + " | ".join(str(int(tab[c].sum())) for c in cols) + f" | {int(tab.values.sum())} |")
            lines += filterable(body, f"Filter the votes of {name} by year")
        else:
            lines += ["No per-member vote of this state is recorded yet.", ""]
        vet = vetoes_by.get(sid, [])
        if vet:
            lines += ["## Vetoes", "", "| Date | Draft | Topic |", "| --- | --- | --- |"]
            for did in vet:
                r = by_id.loc[did]
                topic = r.draft_title if pd.notna(r.draft_title) else rec.topics.get(r.meeting_id, "")
                lines.append(f"| {lk.dates.get(did) or '–'} | {lk.draft(did)} | {esc(topic)} |")
            lines.append("")
        ag = agreements.get(sid)
        if ag is not None and len(ag):
            seats_here = [s for s, _ in SEATS if s in ag.columns and ag[s].notna().any()]
            lines += ["## Agreement with the permanent members", "",
                      "Share of the drafts on which this state and the permanent member cast the same vote (yes, no or "
                      "abstain), among the drafts on which both cast one; the number compared is in brackets.", ""]
            body = ["| Year | " + " | ".join(esc(SEAT_LABEL[s]) for s in seats_here) + " |",
                    "| ---: | " + " | ".join("---:" for _ in seats_here) + " |"]
            for y, r in ag.iterrows():
                cells = [f"{_pct(r[s] * r[s + '_n'], r[s + '_n'])} ({int(r[s + '_n'])})" if pd.notna(r[s]) else "–" for s in seats_here]
                body.append(f"| {int(y)} | " + " | ".join(cells) + " |")
            lines += filterable(body, f"Filter the agreement of {name} by year")
        pg = pos_by.get(sid, [])
        if pg:
            lines += ["## Explanations of vote", "", "| Date | Draft | Timing | Themes | Summary |", "| --- | --- | --- | --- | --- |"]
            for did, timing, themes, summary, _src in pg:
                th = " ".join(code(x) for x in str(themes).split()) if themes else "–"
                lines.append(f"| {lk.dates.get(did) or '–'} | {lk.draft(did)} | {_words(timing)} | {th} | {esc(summary)} |")
            lines.append("")
        pages[f"members/{sid}.md"] = "\n".join(lines)
        first_y = first.year if first is not None else "–"
        last_y = "present" if last == "present" else (last[:4] if last else "–")
        rows.append(f"| [{esc(name)} ({esc(sid)})]({sid}.md) | {' '.join(esc(s) for s in seats) or '–'} | {first_y} | {last_y} | "
                    f"{int(vs.sum()) if len(vs) else 0} | {len(vet)} |")
    pages["members/index.md"] = "\n".join(index + filterable(rows, "Filter the members")) + "\n"
    return pages


# ------------------------------------------------------------------ situations
def situation_pages(rec, lk: Lookups) -> dict[str, str]:
    """`situations/<situation_id>.md` for every situation and `situations/index.md`; nothing without situations."""
    sits = lk.situations
    if sits is None:
        return {}
    by_sit: dict[str, list[str]] = defaultdict(list)
    for did in lk.drafts["draft_id"]:
        for s in sits.of_draft.get(did, []):
            by_sit[s].append(did)
    d = lk.drafts.set_index("draft_id", drop=False)
    extra = [c for c in sits.table.columns if c not in ("situation_id", *NAME_COLUMNS, "source_id")]
    pages = {}
    index = ["# Situations", "", "The situations the Council was asked to decide on, each with the timeline of its drafts, "
             "their outcomes and vetoes.", ""]
    rows = ["| Situation | Drafts | Adopted | Vetoed | First | Last |", "| --- | ---: | ---: | ---: | --- | --- |"]
    for s in sits.table.itertuples(index=False):
        sid = s.situation_id
        name = sits.name(sid)
        dids = by_sit.get(sid, [])
        g = d.loc[dids] if dids else d.iloc[0:0]
        adopted = int(g["outcome"].isin(["adopted", "adopted_without_vote"]).sum())
        vetoed = int((g["outcome"] == "vetoed").sum())
        dates = [lk.dates[x] for x in dids if lk.dates.get(x)]
        lines = [front(boost=BOOST_ENTITY), f"# {esc(name)}", ""]
        for col in extra:
            val = getattr(s, col, None)
            if _none(val) is not None:
                lines += [f"{esc(col.replace('_', ' ').capitalize())}\n: {esc(val)}", ""]
        lines += [f"{len(g)} draft(s) in the record: {adopted} adopted, {vetoed} vetoed.", ""]
        if len(g):
            body = ["| Date | Draft | Outcome | Vote | Vetoed by |", "| --- | --- | --- | --- | --- |"]
            for r in g.itertuples(index=False):
                who = ", ".join(lk.member(x, long=False) for x in rec.vetoers.get(r.draft_id, []))
                body.append(f"| {lk.dates.get(r.draft_id) or '–'} | {lk.draft(r.draft_id)} | {_words(r.outcome)} | {_tally(r)} | {who} |")
            lines += ["## Timeline", ""] + filterable(body, f"Filter the drafts on {name}")
        pages[f"situations/{draft_page(sid)}.md"] = "\n".join(lines)
        rows.append(f"| {situation_link(sits, sid, prefix='../')} | {len(g)} | {adopted} | {vetoed} | "
                    f"{min(dates) if dates else '–'} | {max(dates) if dates else '–'} |")
    pages["situations/index.md"] = "\n".join(index + filterable(rows, "Filter the situations")) + "\n"
    return pages
