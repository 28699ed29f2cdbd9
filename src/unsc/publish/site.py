"""The public site: Markdown pages generated from the package, built with MkDocs (Material) into static HTML.

`build_site(root, out)` writes the pages into `<root>/build/docs` (hand-written pages in `docs/` are copied
there first), writes `<root>/build/mkdocs.yml` (the repository's `mkdocs.yml`, or the defaults here, plus the
generated navigation), runs `mkdocs build --strict`, then checks that no page loads anything from another host.

Every page is generated from the data at build time; every string from the data is escaped (`unsc.publish.codebook.esc`).
Charts are SVG drawn by matplotlib, deterministic: the same data gives the same bytes.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import yaml

from unsc.publish.codebook import codebook_pages, esc, link, slug
from unsc.publish.links import draft_page
from unsc.publish.pages import charts as ch
from unsc.publish.pages.entities import (SEATS, Lookups, draft_pages, filterable, load_situations, member_pages,
                                         situation_pages)
from unsc.contract import Contract, load_contract
from unsc.contract.frames import read_tables
from unsc.publish.coverage import positions_coverage, voted
from unsc.domain import vocab
from unsc.domain.queries import completeness, vetoing_votes

RELEASES_URL = "https://github.com/unsc-record/unsc-record/releases"
VOTE_ORDER = vocab.VOTES
VOTE_LABEL = {"yes": "Yes", "no": "No", "abstain": "Abstain", "not_participating": "Not participating", "absent": "Absent"}
P5_ORDER = ("USA", "GBR", "FRA", "SUN", "RUS", "TWN", "CHN")
P5_COLOUR = {"USA": "#1f77b4", "GBR": "#9467bd", "FRA": "#17becf", "SUN": "#d62728", "RUS": "#ff7f0e", "TWN": "#8c564b", "CHN": "#e377c2"}
STATUS_COLOUR = {"complete": "#2e7d32", "partial": "#f9a825", "none": "#bdbdbd"}
GENERATED = ("index.md", "codebook", "coverage.md", "vetoes.md", "charts.md", "record", "drafts", "members", "situations",
             "releases.md", "contributing.md", "validation.md", "assets/charts", "assets/unsc")
ASSETS = Path(__file__).resolve().parent / "assets"
# Entity pages (thousands) stay out of the navigation: every page in the navigation carries all of it.
NOT_IN_NAV = "/record/*.md\n!/record/index.md\n/drafts/\n/members/*.md\n!/members/index.md\n/situations/*.md\n!/situations/index.md\n"

DEFAULT_CONFIG = {
    "site_name": "UNSC Record",
    "site_description": "The open, versioned record of what the UN Security Council is asked to decide and how each member votes.",
    "use_directory_urls": False,
    "theme": {
        "name": "material",
        "font": False,
        "language": "en",
        "features": ["navigation.tabs", "navigation.indexes", "navigation.top", "search.highlight", "toc.follow"],
        "palette": {"primary": "indigo", "accent": "indigo"},
    },
    "plugins": ["search"],
    "extra_css": ["assets/unsc/site.css"],
    "extra_javascript": ["assets/unsc/tables.js"],
    "markdown_extensions": ["tables", "attr_list", "md_in_html", "admonition", "def_list", {"toc": {"permalink": True}}],
    "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"},
}


# ------------------------------------------------------------------ data
@dataclass
class Record:
    """The package's tables, with what several pages need computed once."""

    contract: Contract
    t: dict[str, pd.DataFrame]
    status: pd.Series = field(init=False)
    names: dict[str, str] = field(init=False)
    urls: dict[str, str] = field(init=False)
    topics: dict[str, str] = field(init=False)
    vetoers: dict[str, list[str]] = field(init=False)

    def __post_init__(self):
        t = self.t
        d = t["drafts"]
        self.status = completeness(t) if len(d) else pd.Series([], dtype="string")
        self.names = dict(zip(t["states"]["state_id"], t["states"]["state_name"]))
        self._state_html: dict[str, str] = {}
        src = t["sources"].dropna(subset=["source_url"])
        self.urls = dict(zip(src["source_id"], src["source_url"]))
        m = t["meetings"]
        self.topics = dict(zip(m["meeting_id"], m["topic"]))
        self.meeting_numbers = dict(zip(m["meeting_id"], m["meeting_number"]))
        self.vetoers = defaultdict(list)
        v = vetoing_votes(t)
        for draft_id, state_id in sorted(zip(v["draft_id"], v["state_id"]), key=lambda x: (x[0], _p5_rank(x[1]))):
            self.vetoers[draft_id].append(state_id)
        self.anchors = year_anchors(self.drafts)

    @property
    def drafts(self) -> pd.DataFrame:
        d = self.t["drafts"].assign(status=self.status)
        d = d.assign(_mn=d["meeting_id"].map(self.meeting_numbers))
        return d.sort_values(["decision_date", "_mn", "resolution_number", "draft_id"], na_position="last", kind="stable")

    def state(self, state_id: str) -> str:
        """A state code with its name on hover."""
        if state_id not in self._state_html:
            name = self.names.get(state_id)
            self._state_html[state_id] = f'<abbr title="{esc(name)}">{esc(state_id)}</abbr>' if name else esc(state_id)
        return self._state_html[state_id]

    def state_long(self, state_id: str) -> str:
        name = self.names.get(state_id)
        return f"{esc(name)} ({esc(state_id)})" if name else esc(state_id)

    def source(self, source_id: str) -> str:
        return link(self.urls.get(source_id), source_id)


def year_anchors(drafts: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """{draft_id: (year, anchor)}: where each dated draft is on its year page (a repeated slug gets -2, -3...)."""
    out, used = {}, {}
    for did, date in zip(drafts["draft_id"], drafts["decision_date"]):
        if pd.isna(date):
            continue
        anchor = slug(did)
        key = (date.year, anchor)
        used[key] = used.get(key, 0) + 1
        out[did] = (date.year, anchor if used[key] == 1 else f"{anchor}-{used[key]}")
    return out


def _p5_rank(state_id: str) -> int:
    return P5_ORDER.index(state_id) if state_id in P5_ORDER else len(P5_ORDER)


def _int(v) -> str:
    return "–" if v is None or pd.isna(v) else str(int(v))


def _year_page(year: int) -> str:
    return f"record/{year}.md"


def _draft_link(r, prefix: str = "") -> str:
    """A link to the draft's own page."""
    return f"[{esc(r.draft_id)}]({prefix}drafts/{draft_page(r.draft_id)}.md)"


def _tally(r) -> str:
    if pd.isna(r.yes):
        return ""
    s = f"{_int(r.yes)}–{_int(r.no)}–{_int(r.abstain)}"
    if pd.notna(r.not_participating) and int(r.not_participating):
        s += f" ({_int(r.not_participating)} not participating)"
    return s


# ------------------------------------------------------------------ pages
def _intro(root: Path, contract: Contract) -> str:
    hand = root / "docs" / "index.md"
    if hand.is_file():
        return hand.read_text(encoding="utf-8").rstrip() + "\n"
    d = contract.descriptor
    return f"# {esc(d.get('title', 'UNSC Record'))}\n\n{esc(d.get('description', ''))}\n"


def home_page(root: Path, rec: Record) -> str:
    c, t = rec.contract, rec.t
    d = c.descriptor
    drafts, meetings = t["drafts"], t["meetings"]
    dates = pd.concat([meetings["meeting_date"], drafts["decision_date"]]).dropna()
    first = dates.min().date().isoformat() if len(dates) else "–"
    last = dates.max().date().isoformat() if len(dates) else "–"
    vetoes = int((drafts["outcome"] == vocab.VETOED).sum())
    adopted = int(drafts["outcome"].isin(vocab.ADOPTED).sum())
    home = d.get("homepage", "")
    releases = f"{home}/releases" if home.startswith("https://github.com/") else RELEASES_URL
    version = d.get("version", "")
    licences = ", ".join(link(x.get("path"), x.get("title") or x.get("name")) for x in d.get("licenses", []))
    authors = "; ".join(esc(x.get("title", "")) for x in d.get("contributors", [])) or "UNSC Record contributors"
    lines = [_intro(root, c), "## The record in figures", "",
             "| In the record | Number |", "| --- | ---: |",
             f"| Meetings | {len(meetings):,} |",
             f"| Drafts and decisions put to the Council | {len(drafts):,} |",
             f"| Resolutions and decisions adopted | {adopted:,} |",
             f"| Vetoed drafts ([list](vetoes.md)) | {vetoes:,} |",
             f"| Per-member votes | {len(t['votes']):,} |",
             f"| Texts put to the vote, with complete per-member votes ([coverage](coverage.md)) | "
             f"{int(voted(drafts).sum()):,}, {int(rec.status[voted(drafts)].eq('complete').sum()):,} complete |",
             f"| States | {len(t['states']):,} |",
             f"| Sources cited | {len(t['sources']):,} |",
             f"| Period covered | {first} to {last} |", "",
             "## Download", "",
             f"The latest release is **version {esc(version)}**: the CSV tables with their `datapackage.json` and schemas, "
             f"ready for any Frictionless-aware tool, pandas or R. Download it from {link(releases, releases)}. "
             "What each column means is in the [codebook](codebook/index.md); what changed in each version is in "
             "[releases](releases.md).", "",
             "## How to cite", "",
             f"> {authors}. *{esc(d.get('title', 'UNSC Record'))}*, version {esc(version)}. "
             + (link(home, home) if home else "") + (f". Licence: {licences}." if licences else "."), "",
             "Cite the version you used, so that others can retrieve exactly the same data.", ""]
    if (root / "CITATION.cff").is_file():
        lines += ["The repository's `CITATION.cff` gives the same citation in machine-readable form.", ""]
    return "\n".join(lines)


def coverage_page(rec: Record) -> tuple[str, str]:
    d = rec.drafts.dropna(subset=["decision_date"])
    d = d.assign(year=d["decision_date"].dt.year, decade=d["decision_date"].dt.year // 10 * 10, voted=voted(d))
    m = rec.t["meetings"].dropna(subset=["meeting_date"])
    meet_y = m["meeting_date"].dt.year.value_counts()
    kinds = dict(zip(rec.t["sources"]["source_id"], rec.t["sources"]["source_kind"]))
    v = rec.t["votes"]
    per_draft = v["draft_id"].value_counts()
    secondary = v.loc[v["source_id"].map(kinds) == "secondary", "draft_id"].value_counts()
    d = d.assign(nvotes=d["draft_id"].map(per_draft).fillna(0).astype(int),
                 nsecondary=d["draft_id"].map(secondary).fillna(0).astype(int))

    def summary(key):
        dv = d[d["voted"]]
        g = pd.crosstab(dv[key], dv["status"]).reindex(columns=["complete", "partial", "none"], fill_value=0)
        g = g.reindex(sorted(d[key].unique()), fill_value=0)
        g["drafts"] = d.groupby(key).size()
        g["voted"] = dv.groupby(key).size().reindex(g.index, fill_value=0)
        g["votes"] = d.groupby(key)["nvotes"].sum()
        g["secondary"] = d.groupby(key)["nsecondary"].sum()
        return g

    per_year, per_decade = summary("year"), summary("decade")
    meet_dec = m["meeting_date"].dt.year.floordiv(10).mul(10).value_counts()
    svg = ch.coverage_chart(per_year) if len(per_year) else ""

    def rows(g, meets, label):
        out = [f"| {label} | Meetings | Drafts | Put to the vote | Complete | Partial | None | Complete share | Per-member votes | of which from secondary sources |",
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for k, r in g.iterrows():
            name = f"[{k}]({_year_page(k)})" if label == "Year" else f"{k}s"
            share = f"{100 * r.complete / r.voted:.0f}%" if r.voted else "–"
            out.append(f"| {name} | {int(meets.get(k, 0)):,} | {int(r.drafts):,} | {int(r.voted):,} | {int(r.complete):,} | "
                       f"{int(r.partial):,} | {int(r['none']):,} | {share} | {int(r.votes):,} | {int(r.secondary):,} |")
        return out

    dv = d[d["voted"]]
    st = dv["status"].value_counts()
    share = f" ({100 * st.get('complete', 0) / len(dv):.1f}%)" if len(dv) else ""
    lines = ["# Coverage", "",
             "How much of the record has per-member votes. For each text put to the vote, the per-member votes are "
             "**complete** when every member sitting that day has a vote row, **partial** when some do, and **none** "
             "when no vote is recorded yet. An unknown vote is left out, never guessed. Texts adopted without a vote, "
             "withdrawn or not put to the vote have no per-member votes and are counted only under *Drafts*. Votes that "
             "rest on a secondary (non-UN) source are counted apart.", "",
             f"Of {len(dv):,} texts put to the vote ({len(d):,} drafts and decisions in all): {int(st.get('complete', 0)):,} "
             f"complete{share}, {int(st.get('partial', 0)):,} partial, {int(st.get('none', 0)):,} without per-member votes.", ""]
    if svg:
        lines += ["![Per-member votes recorded, by year: complete, partial or none](assets/charts/coverage.svg){ .unsc-chart }", ""]
    lines += ["## By decade", ""] + rows(per_decade, meet_dec, "Decade") + ["", "## By year", ""] + rows(per_year, meet_y, "Year") + [""]
    lines += positions_section(rec)
    return "\n".join(lines), svg


def positions_section(rec: Record) -> list[str]:
    """Explanations of vote in scope, draft by draft: who has a position, who did not speak, who is not found."""
    pc = positions_coverage(rec.t)
    if not pc["in_scope"]:
        return []
    k = pc["positions_by_source_kind"]
    out = ["## Explanations of vote", "",
           "In scope: every draft resolution vetoed or not adopted since 2011, and every vote since 2022 under the agenda "
           "items *The situation in the Middle East, including the Palestinian question* and those on Ukraine. Expected: "
           "every permanent member, and every member that voted against or abstained. A member counts as done when it has "
           "a position row, or when a record of the whole meeting shows it did not speak (`position_gaps`); anyone else "
           "is listed as not found.", "",
           f"{pc['every_permanent_member']} of {pc['in_scope']} drafts have every permanent member; "
           f"{pc['every_expected_member']} also every member that voted against or abstained. "
           f"Positions in scope: {pc['positions']} ({k['un_record']} from UN records, {k['member_statement']} from the "
           f"members' own published statements, {k['secondary']} from secondary reports).", "",
           "| Draft | Date | Positions | Did not speak | Permanent members not found | Others not found |",
           "| --- | --- | ---: | --- | --- | --- |"]
    for r in pc["drafts"]:
        cells = [" ".join(rec.state(s) for s in r[key]) or "–" for key in ("did_not_speak", "permanent_missing", "dissenters_missing")]
        out.append(f"| {esc(r['draft_id'])} | {r['decision_date']} | {r['positions']} | " + " | ".join(cells) + " |")
    return out + [""]


def vetoes_page(rec: Record) -> tuple[str, str]:
    d = rec.drafts
    v = d[d["outcome"] == vocab.VETOED]
    lines = ["# Vetoes", "",
             "Every draft that had the required majority but failed on the negative vote of a permanent member "
             f"({len(v):,} in the record). The vetoing members are the states that voted no while holding a permanent "
             "seat that day; where the per-member votes are not recorded yet, they are left blank.", ""]
    counts = defaultdict(lambda: defaultdict(int))
    for r in v.itertuples():
        if pd.notna(r.decision_date):
            for s in rec.vetoers.get(r.draft_id, []):
                counts[r.decision_date.year // 10 * 10][s] += 1
    svg = ""
    if counts:
        states = sorted({s for c in counts.values() for s in c}, key=lambda s: (_p5_rank(s), s))
        table = pd.DataFrame({dec: {s: counts[dec].get(s, 0) for s in states} for dec in sorted(counts)}).T.fillna(0).astype(int)
        table = table[states]
        svg = ch.vetoes_chart(seat_years(rec, v), SEAT_NAMES)
        lines += ["![Vetoes cast by each permanent member, per year, one panel per member](assets/charts/vetoes.svg){ .unsc-chart }", "",
                  "## Vetoes cast per permanent member and decade", "",
                  "A draft vetoed by two members counts once for each.", "",
                  "| Decade | " + " | ".join(rec.state(s) for s in states) + " | Drafts vetoed |",
                  "| --- | " + " | ".join("---:" for _ in states) + " | ---: |"]
        per_dec = v.dropna(subset=["decision_date"])["decision_date"].dt.year.floordiv(10).mul(10).value_counts()
        for dec, r in table.iterrows():
            lines.append(f"| {dec}s | " + " | ".join(str(int(r[s])) for s in states) + f" | {int(per_dec.get(dec, 0))} |")
        lines.append("| Total | " + " | ".join(str(int(table[s].sum())) for s in states) + f" | {len(v):,} |")
        lines.append("")
    table = ["| Date | Draft | Topic | Vetoed by | Vote (yes–no–abstain) |", "| --- | --- | --- | --- | --- |"]
    for r in v.itertuples():
        date = r.decision_date.date().isoformat() if pd.notna(r.decision_date) else "–"
        topic = r.draft_title if pd.notna(r.draft_title) else rec.topics.get(r.meeting_id, "")
        who = ", ".join(rec.state_long(s) for s in rec.vetoers.get(r.draft_id, [])) or "*not recorded yet*"
        table.append(f"| {date} | {_draft_link(r)} | {esc(topic)} | {who} | {_tally(r)} |")
    lines += ["## Every vetoed draft", "", "Sort by a column with its header; type in the box to keep only the rows "
              "that contain every word (a year, a member's code, a topic).", ""] + filterable(table, "Filter the vetoed drafts")
    return "\n".join(lines) + "\n", svg


MIN_COMPARED = 5  # a year's agreement share rests on at least this many drafts
MIN_COVERAGE = 0.9  # ... in a year where at least this share of the texts put to the vote have complete votes
SEAT_NAMES = {"USA": "United States", "GBR": "United Kingdom", "FRA": "France", "RUS": "USSR/Russia", "CHN": "China (ROC to 1971)"}


def seat_years(rec: Record, vetoed: pd.DataFrame) -> pd.DataFrame:
    """Vetoes cast per year (index, every year from the first to the last veto) by each permanent seat (columns)."""
    holder = {h: seat for seat, hs in SEATS for h in hs}
    rows = [(r.decision_date.year, holder.get(s, s)) for r in vetoed.itertuples() if pd.notna(r.decision_date) for s in rec.vetoers.get(r.draft_id, [])]
    df = pd.DataFrame(rows, columns=["year", "seat"])
    t = pd.crosstab(df["year"], df["seat"]) if len(df) else pd.DataFrame()
    seats = [s for s, _ in SEATS] + sorted(set(t.columns) - {s for s, _ in SEATS})
    years = range(int(t.index.min()), int(t.index.max()) + 1) if len(t) else []
    return t.reindex(index=years, columns=seats, fill_value=0)


def charts_page(rec: Record) -> tuple[str, dict[str, str]]:
    """Agreement between the permanent members and the no votes and abstentions of elected members, per year."""
    from unsc.publish.pages.entities import _seat_columns

    d = rec.drafts.dropna(subset=["decision_date"])
    years = pd.Series(d["decision_date"].dt.year.values, index=d["draft_id"].values)
    svgs, lines = {}, ["# Charts", "", "Patterns in the per-member votes, drawn from the record when the site is built. "
                       "Each chart counts only the votes recorded so far (see [coverage](coverage.md)).", ""]
    votes = rec.t["votes"]
    complete = set(rec.t["drafts"].loc[rec.status.eq("complete").values, "draft_id"])
    m = _seat_columns(votes[votes["draft_id"].isin(complete)])
    yr = years.reindex(m.index)
    seats = [s for s, _ in SEATS]
    shares = {}
    for i, a in enumerate(seats):
        for b in seats[i + 1:]:
            x, y = m[f"seat:{a}"], m[f"seat:{b}"]
            both = x.notna() & y.notna() & yr.notna()
            if both.any():
                g = (x[both] == y[both]).groupby(yr[both]).agg(["mean", "size"])
                shares[f"{a}–{b}"] = g["mean"].where(g["size"] >= MIN_COMPARED)
    dv = rec.drafts[voted(rec.drafts)].dropna(subset=["decision_date"])
    share_complete = dv["status"].eq("complete").groupby(dv["decision_date"].dt.year).mean()
    covered = set(share_complete[share_complete >= MIN_COVERAGE].index)
    df = pd.DataFrame(shares).sort_index()
    df = df[df.index.isin(covered)].dropna(how="all")
    if len(df):
        df = df.reindex(range(int(df.index.min()), int(df.index.max()) + 1))
        svgs["agreement.svg"] = ch.agreement_chart(df)
        lines += ["## Agreement between the permanent members", "",
                  "For each pair of permanent seats, the share of drafts on which both cast the same vote (yes, no or "
                  f"abstain), among the drafts with complete per-member votes on which both cast one; a year with fewer "
                  f"than {MIN_COMPARED} such drafts, or in which fewer than {MIN_COVERAGE:.0%} of the texts put to the vote "
                  "have complete per-member votes (so that the drafts compared are not only the unanimous ones), is left "
                  "out. The Russian seat was the USSR's until 1991, the "
                  "Chinese seat the Republic of China's until 1971.", "",
                  "![Agreement between the permanent members, per year, one panel per pair](assets/charts/agreement.svg){ .unsc-chart }", ""]
    perm = rec.t["memberships"]
    elected = set(perm.loc[perm["seat"] == "elected", "state_id"]) - set(perm.loc[perm["seat"] == "permanent", "state_id"])
    ev = votes[votes["state_id"].isin(elected) & votes["vote"].isin(["no", "abstain"])]
    ev = ev.assign(year=ev["draft_id"].map(years)).dropna(subset=["year"])
    if len(ev):
        t = pd.crosstab(ev["year"].astype(int), ev["vote"]).reindex(columns=["no", "abstain"], fill_value=0)
        t = t.reindex(range(int(t.index.min()), int(t.index.max()) + 1), fill_value=0)
        svgs["elected.svg"] = ch.elected_chart(t)
        lines += ["## No votes and abstentions of elected members", "",
                  "How often the ten (before 1966, six) elected members voted against a draft or abstained, per year.", "",
                  "![No votes and abstentions of elected members, per year](assets/charts/elected.svg){ .unsc-chart }", ""]
    lines += ["The vetoes are charted on the [vetoes](vetoes.md) page and the coverage of the record on the "
              "[coverage](coverage.md) page.", ""]
    return "\n".join(lines), svgs


def _rows_by_draft(df: pd.DataFrame, cols: list[str]) -> dict[str, list[tuple]]:
    """{draft_id: [row tuples]} in plain Python: per-draft pandas selections are far too slow here."""
    out: dict[str, list[tuple]] = defaultdict(list)
    for row in zip(*(df[c].astype(object).where(df[c].notna(), None) for c in ["draft_id"] + cols)):
        out[row[0]].append(row[1:])
    return out


def record_pages(rec: Record) -> dict[str, str]:
    """An index and one page per year: every draft with its outcome, tally, per-member votes and sources."""
    d = rec.drafts
    v = rec.t["votes"]
    v = v.assign(_rank=v["state_id"].map(_p5_rank)).sort_values(["_rank", "state_id"], kind="stable")
    votes = _rows_by_draft(v, ["state_id", "vote", "basis", "source_id"])
    sponsors = _rows_by_draft(rec.t["sponsors"], ["state_id", "role", "source_id"])
    positions = _rows_by_draft(rec.t["positions"], ["state_id", "timing", "summary", "themes", "source_id"])
    outcome_meaning = rec.contract.table("drafts").field("outcome").categories
    pages = {}
    dated = d.dropna(subset=["decision_date"])
    years = [int(y) for y in sorted(dated["decision_date"].dt.year.unique())]
    idx = ["# The record, year by year", "",
           "Every draft and decision put to the Council, one page per year: outcome, announced tally, how each member "
           "voted (grouped by vote) and the sources that state it. Codes are ISO 3166 alpha-3; hover over one for the name.", "",
           "| Year | Drafts | Adopted | Vetoed | Complete per-member votes |", "| --- | ---: | ---: | ---: | ---: |"]
    for year in years:
        g = dated[dated["decision_date"].dt.year == year]
        idx.append(f"| [{year}]({year}.md) | {len(g)} | {int(g['outcome'].isin(vocab.ADOPTED).sum())} | "
                   f"{int((g['outcome'] == vocab.VETOED).sum())} | {int((g['status'] == 'complete').sum())} |")
        i = years.index(year)
        around = ([f"[← {years[i - 1]}]({years[i - 1]}.md)"] if i else []) + ["[All years](index.md)"] + \
                 ([f"[{years[i + 1]} →]({years[i + 1]}.md)"] if i + 1 < len(years) else [])
        lines = [f"# {year}", "", " · ".join(around), "", f"{len(g)} draft(s) and decision(s) put to the Council in {year}. "
                 "Tallies read yes–no–abstain; each draft's symbol leads to its own page.", ""]
        month = None
        for r in g.itertuples():
            if r.decision_date.month != month:
                month = r.decision_date.month
                lines += [f"## {r.decision_date.strftime('%B')} {{ #{r.decision_date.strftime('%B').lower()} }}", ""]
            anchor = rec.anchors[r.draft_id][1]
            topic = r.draft_title if pd.notna(r.draft_title) else rec.topics.get(r.meeting_id, "")
            outcome = f'<span title="{esc(outcome_meaning.get(r.outcome, ""))}">**{esc(str(r.outcome).replace("_", " "))}**</span>'
            head = [f'<a id="{anchor}"></a>**{_draft_link(r, "../")}**', r.decision_date.date().isoformat(), esc(r.meeting_id)]
            if pd.notna(r.resolution):
                outcome += f" as {esc(r.resolution)}"
            tally = _tally(r)
            head.append(outcome + (f" {tally}" if tally else ""))
            if r.draft_kind != "draft_resolution":
                head.append(f"*{esc(str(r.draft_kind).replace('_', ' '))}*" + (f" to {esc(r.amends)}" if pd.notna(r.amends) else ""))
            head.append(esc(topic))
            body = []
            vg, sg, pg = votes.get(r.draft_id, []), sponsors.get(r.draft_id, []), positions.get(r.draft_id, [])
            if vg:
                groups = []
                values = list(VOTE_ORDER) + sorted({str(x[1]) for x in vg} - set(VOTE_ORDER))
                for value in values:
                    states = [x[0] for x in vg if x[1] == value]
                    if states:
                        groups.append(f"{esc(VOTE_LABEL.get(value, value))} ({len(states)}): " + " ".join(rec.state(s) for s in states))
                derived = " (derived from a unanimous adoption)" if all(x[2] == "derived" for x in vg) else ""
                body.append(f"Votes, {esc(r.status)}{derived}: " + "; ".join(groups))
            elif pd.notna(r.yes) or r.outcome in vocab.PUT_TO_VOTE:
                body.append("Per-member votes: *not recorded yet*")
            if sg:
                pen = [rec.state(x[0]) for x in sg if x[1] == "penholder"]
                spo = [rec.state(x[0]) for x in sg if x[1] != "penholder"]
                body.append("; ".join(x for x in (("Penholder: " + " ".join(pen)) if pen else "", ("Sponsors: " + " ".join(spo)) if spo else "") if x))
            for p in pg:
                body.append(f"{rec.state(p[0])} ({esc(str(p[1]).replace('_', ' '))}): {esc(p[2])} [{esc(p[3])}]")
            srcs = dict.fromkeys([r.source_id] + [x[-1] for rows in (vg, sg, pg) for x in rows if x[-1] is not None])
            body.append("Sources: " + ", ".join(rec.source(s) for s in srcs if pd.notna(s)))
            lines.append("- " + " · ".join(h for h in head if h) + "<br>")
            lines.append("  " + "<br>\n  ".join(body))
        lines.append("")
        pages[_year_page(year)] = "\n".join(lines)
    undated = d[d["decision_date"].isna()]
    if len(undated):
        idx += ["", f"{len(undated)} draft(s) without a valid date are not listed: " + ", ".join(esc(x) for x in undated["draft_id"]) + "."]
    pages["record/index.md"] = "\n".join(idx) + "\n"
    return pages


_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)([^)]*)\)")


def _rewrite_links(text: str, home: str, base: str = "") -> str:
    """Relative links in a repository Markdown file point to the repository; images become links (no off-site loads)."""
    def fix(m):
        bang, label, target, rest = m.groups()
        if re.match(r"^(?:[a-z]+:|#|//)", target):
            return f"[{label or target}]({target}{rest})" if bang and target.startswith(("http://", "https://", "//")) else m.group(0)
        url = f"{home}/blob/main/{base}{target.lstrip('./')}" if home else target
        return f"[{label or target}]({url})"
    return _LINK.sub(fix, text)


def releases_page(root: Path, contract: Contract) -> str:
    home = contract.descriptor.get("homepage", "")
    releases = f"{home}/releases" if home.startswith("https://github.com/") else RELEASES_URL
    lines = ["# Releases", "", f"Every release is published at {link(releases, releases)}. "
             f"The package's current version is **{esc(contract.version)}**.", ""]
    path = root / "CHANGELOG.md"
    if not path.is_file():
        return "\n".join(lines + ["No release has been recorded yet (there is no `CHANGELOG.md`).", ""])
    text = _rewrite_links(path.read_text(encoding="utf-8"), home)
    parts = re.split(r"^## +", text, flags=re.MULTILINE)
    preamble = re.sub(r"^# .*\n?", "", parts[0], count=1, flags=re.MULTILINE).strip()
    if preamble:
        lines += [preamble, ""]
    for part in parts[1:]:
        heading, _, body = part.partition("\n")
        version = re.search(r"\[?v?(\d+\.\d+\.\d+[^\]\s]*|Unreleased)\]?", heading, flags=re.IGNORECASE)
        anchor = slug(version.group(1)) if version else slug(heading)
        body = re.sub(r"^(#{1,2}) ", "### ", body.strip(), flags=re.MULTILINE) or "*Nothing yet.*"
        lines += [f"## {heading.strip()} {{ #v{anchor} }}", "", body, ""]
    return "\n".join(lines)


def contributing_page(root: Path, contract: Contract) -> str:
    path = root / "CONTRIBUTING.md"
    if path.is_file():
        return _rewrite_links(path.read_text(encoding="utf-8"), contract.descriptor.get("homepage", ""))
    return "\n".join([
        "# Contributing", "",
        "Corrections and additions are welcome. Every row must cite a source (`source_id`) from the "
        "[sources table](codebook/sources.md); an unknown vote is left out, never guessed.", "",
        "Before proposing a change, check it locally:", "",
        "```sh", "unsc fmt          # rewrite the CSV files in canonical form", "unsc validate     # every layer, one report",
        "```", "",
        "A fuller contributors' guide will appear here once the repository has a `CONTRIBUTING.md`.", ""])


def validation_page(root: Path, work_docs: Path) -> str:
    report = root / "reports" / "validation"
    lines = ["# Validation report", ""]
    if not report.is_dir():
        return "\n".join(lines + [
            "No validation report was present when this site was built. Generate one with:", "",
            "```sh", "unsc validate --report reports/validation", "```", "",
            "then rebuild the site (`unsc site build`) to publish it here. Without the report, `unsc validate` "
            "still checks every layer and prints one line per problem.", ""])
    offsite = scan_offsite(report)
    index = next((p for p in ("index.html", "index.htm") if (report / p).is_file()), None)
    if offsite or index is None:
        hosts = sorted({re.sub(r"^(?:https?:)?//([^/]+).*$", r"\1", u) for _, u in offsite})
        why = (f"it loads resources from other hosts ({esc(', '.join(hosts))}), which this site never does"
               if offsite else "it has no index.html")
        return "\n".join(lines + [f"A report exists in `reports/validation/`, but it is not published here because {why}. "
                                  "Open `reports/validation/index.html` locally, or run `unsc validate` for the text report.", ""])
    shutil.copytree(report, work_docs / "validation-report", dirs_exist_ok=True)
    return "\n".join(lines + [f"The report generated by `unsc validate --report` is [here](validation-report/{index}).", ""])


# ------------------------------------------------------------------ off-site checks
_CSS_LOAD = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s;]+)""", re.IGNORECASE)
_JS_LOAD = re.compile(r"""(?:\b(?:src|href)\s*[=:]\s*|importScripts\(\s*|\bimport\(\s*|\bfetch\(\s*)['"`]((?:https?:)?//[^'"`\s]+)""", re.IGNORECASE)
_HTML_LOAD_ATTRS = {"src", "srcset", "poster", "data", "background", "formaction", "action"}
_HREF_TAGS = {"link", "script", "image", "use", "base", "feimage"}


def _offsite(url: str, allowed: tuple[str, ...]) -> bool:
    m = re.match(r"^\s*(?:(https?):)?//([^/:?#\s]+)", url, flags=re.IGNORECASE)
    return bool(m) and m.group(2).lower() not in allowed


class _LoadFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in _HTML_LOAD_ATTRS:
                self.urls += [u.strip().split(" ")[0] for u in value.split(",")] if name == "srcset" else [value]
            elif name in ("href", "xlink:href") and tag in _HREF_TAGS:
                self.urls.append(value)
            elif name == "style":
                self.urls += _CSS_LOAD.findall(value)
            elif name == "content" and tag == "meta" and "url=" in value.lower():
                self.urls.append(value.lower().split("url=", 1)[1])
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.urls += _CSS_LOAD.findall(data)
        elif self._in == "script":
            self.urls += _JS_LOAD.findall(data) + _CSS_LOAD.findall(data)


_TAG = re.compile(r"<(?:style|script)\b|<[a-zA-Z][^>]*(?://|&#|url=)[^>]*>", re.IGNORECASE)


def _html_loads(text: str) -> list[str]:
    """What `_LoadFinder` finds, parsing only the tags that could name another host (most pages have none but
    links): the same answer, many times faster on thousands of pages."""
    p = _LoadFinder()
    lower = text.lower()
    for m in _TAG.finditer(text):
        chunk = m.group(0)
        if chunk.lower() in ("<style", "<script"):
            end = lower.find(f"</{chunk[1:].lower()}", m.end())
            chunk = text[m.start(): len(text) if end < 0 else end] + f"</{chunk[1:]}>"
        p.feed(chunk)
        p.close()
        p.reset()
        p._in = None
    return p.urls


def scan_offsite(site: str | Path, allowed: tuple[str, ...] = ("127.0.0.1", "localhost")) -> list[tuple[str, str]]:
    """(file, url) for every resource a page, stylesheet, script or SVG would load from another host.
    Ordinary links (<a href>) are not loads and are allowed."""
    site = Path(site)
    found = []
    for path in sorted(site.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in (".html", ".htm", ".css", ".js", ".svg", ".mjs"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix in (".html", ".htm", ".svg"):
            urls = _html_loads(text)
        elif suffix == ".css":
            urls = _CSS_LOAD.findall(text)
        else:
            urls = _JS_LOAD.findall(text) + _CSS_LOAD.findall(text)
        found += [(str(path.relative_to(site)), u) for u in urls if _offsite(u, allowed)]
    return found


# ------------------------------------------------------------------ build
def _nav(pages: dict[str, str], hand: list[str], contract: Contract) -> list:
    record = "record/index.md"  # the year pages are reached from it: each page in the navigation renders all of it
    codebook = ["codebook/index.md"] + [{t.title: f"codebook/{t.name}.md"} for t in contract.tables.values()]
    nav = [{"Home": "index.md"}] + [p for p in hand]
    explore = [{"Members": "members/index.md"}] + ([{"Situations": "situations/index.md"}] if "situations/index.md" in pages else [])
    nav += [{"Codebook": codebook}, {"Coverage": "coverage.md"}, {"Vetoes": "vetoes.md"}, {"Charts": "charts.md"},
            {"The record": record}] + explore + [
            {"Releases": "releases.md"}, {"Contributing": "contributing.md"}, {"Validation report": "validation.md"}]
    return nav


_NOTICE = re.compile(r'^!!! note "Generated"\n    (This page is generated[^\n]*)\n', flags=re.MULTILINE)


def _quiet_codebook(text: str) -> str:
    """The contributor notice on a codebook page becomes an HTML comment: readers do not need it."""
    return _NOTICE.sub(lambda m: f"<!-- {m.group(1).replace('--', '-')} -->\n", text)


def _cite(contract: Contract) -> dict:
    d = contract.descriptor
    authors = "; ".join(x.get("title", "") for x in d.get("contributors", []) if x.get("title")) or "UNSC Record contributors"
    return {"authors": authors, "title": d.get("title", "UNSC Record"), "version": d.get("version", ""), "home": d.get("homepage", "")}


def _config(root: Path) -> dict:
    path = root / "mkdocs.yml"
    if not path.is_file():
        return dict(DEFAULT_CONFIG)
    cfg = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key, value in DEFAULT_CONFIG.items():
        cfg.setdefault(key, value)
    if isinstance(cfg.get("theme"), dict):
        cfg["theme"]["font"] = False  # never Google Fonts
    cfg.pop("repo_url", None)  # Material would call the GitHub API from every page
    return cfg


def generate(root: str | Path = ".", docs: str | Path | None = None) -> tuple[Path, dict]:
    """Write every page into *docs* (default `<root>/build/docs`); return it and the MkDocs configuration."""
    root = Path(root).resolve()
    docs = Path(docs).resolve() if docs else root / "build" / "docs"
    contract = load_contract(root)
    rec = Record(contract, read_tables(contract))
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    hand = []
    src = root / "docs"
    if src.is_dir():
        for p in sorted(src.rglob("*")):
            rel = p.relative_to(src).as_posix()
            if p.is_dir() or rel == "index.md" or rel.split("/")[0] in GENERATED or rel in GENERATED:
                continue
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, docs / rel)
            if rel.endswith(".md"):
                hand.append(rel)
    pages = {"index.md": home_page(root, rec)}
    pages.update({k: _quiet_codebook(v) for k, v in codebook_pages(contract, rec.t).items()})
    pages["coverage.md"], coverage_svg = coverage_page(rec)
    pages["vetoes.md"], veto_svg = vetoes_page(rec)
    pages["charts.md"], svgs = charts_page(rec)
    pages.update(record_pages(rec))
    lk = Lookups(rec, load_situations(contract, rec.t))
    pages.update(draft_pages(rec, lk, rec.anchors, _cite(contract)))
    pages.update(member_pages(rec, lk))
    pages.update(situation_pages(rec, lk))
    pages["releases.md"] = releases_page(root, contract)
    pages["contributing.md"] = contributing_page(root, contract)
    pages["validation.md"] = validation_page(root, docs)
    charts = docs / "assets" / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    svgs.update({"coverage.svg": coverage_svg, "vetoes.svg": veto_svg})
    for name, svg in sorted(svgs.items()):
        if svg:
            (charts / name).write_text(svg, encoding="utf-8")
    shutil.copytree(ASSETS, docs / "assets" / "unsc", dirs_exist_ok=True)
    for rel, text in pages.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    cfg = _config(root)
    cfg["docs_dir"] = str(docs)
    cfg.pop("site_dir", None)
    cfg["nav"] = _nav(pages, hand, contract)
    cfg["not_in_nav"] = NOT_IN_NAV
    for key in ("extra_css", "extra_javascript"):
        cfg[key] = list(dict.fromkeys(list(cfg.get(key) or []) + DEFAULT_CONFIG[key]))
    cfg.setdefault("site_name", DEFAULT_CONFIG["site_name"])
    return docs, cfg


@dataclass
class BuildResult:
    site: Path
    docs: Path
    pages: int
    seconds_generate: float
    seconds_mkdocs: float


def build_site(root: str | Path = ".", out: str | Path = "site", docs: str | Path | None = None, check: bool = True) -> BuildResult:
    """Generate the pages, run `mkdocs build --strict` into *out*, and fail if any page loads an off-site resource."""
    root = Path(root).resolve()
    out = Path(out).resolve()
    if out == root or out in root.parents or (out / "datapackage.json").exists() or out == Path.home():
        raise ValueError(f"refusing to build the site into {out}: MkDocs empties that folder first")
    t0 = time.perf_counter()
    docs, cfg = generate(root, docs)
    if out == docs or out in docs.parents or docs in out.parents:
        raise ValueError(f"the site folder {out} and the page folder {docs} must not contain each other")
    cfg["site_dir"] = str(out)
    config_path = docs.parent / "mkdocs.yml"
    config_path.write_text("# Generated by `unsc site build`; edit the repository's mkdocs.yml instead.\n"
                           + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    t1 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-f", str(config_path)],
                          capture_output=True, text=True, cwd=root)
    t2 = time.perf_counter()
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed:\n{proc.stdout}{proc.stderr}")
    if check:
        bad = scan_offsite(out)
        if bad:
            raise RuntimeError("the site loads resources from other hosts:\n" + "\n".join(f"{f}: {u}" for f, u in bad))
    n = sum(1 for _ in out.rglob("*.html"))
    return BuildResult(out, docs, n, t1 - t0, t2 - t1)


__all__ = ["build_site", "generate", "scan_offsite", "BuildResult"]
