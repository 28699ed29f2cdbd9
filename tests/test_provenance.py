"""Issue #16: where a fact was read is data, the outlet policy is a rule, and the known import errors stay fixed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from unsc.build.importers import curated
from unsc.contract import load_contract
from unsc.contract.frames import read_tables
from unsc.domain import hosts
from unsc.validate import rules_layer

ROOT = Path(__file__).resolve().parent.parent
SC = {"source_id": "SC/15462"}


def hits(pkg, rule):
    """The rule's findings on *pkg*, as `unsc validate` reports them (file, row, field, message, hint)."""
    contract = load_contract(pkg.root)
    frames = read_tables(contract)
    return [i for i in rules_layer(contract, frames, frames) if i.rule == rule]


# ---------------------------------------------------------------- rules provenance.*
def test_un_record_on_a_non_un_host_fails(mini):
    row = mini.update("sources", SC, source_url="https://www.globalsecurity.org/military/library/news/2023/10/mil-231018-unsc01.htm")
    found = hits(mini, "provenance.un-host")
    assert [(i.file, i.row, i.field) for i in found] == [("data/sources.csv", row, "source_url")]
    assert "globalsecurity.org" in found[0].message and "re-source" in found[0].hint


def test_declared_reproduction_on_an_accepted_host_passes(mini):
    mini.update("sources", SC, read_at="https://www.globalsecurity.org/military/library/news/2023/10/mil-231018-unsc01.htm", copy_kind="reproduction")
    assert hits(mini, "provenance.un-host") == [] and hits(mini, "provenance.outlet") == []


def test_reproduction_on_a_refused_host_fails(mini):
    mini.update("sources", SC, read_at="https://nolga1125.blogspot.com/2023/10/sc15462.html", copy_kind="reproduction")
    assert any("nolga1125.blogspot.com" in i.message for i in hits(mini, "provenance.un-host"))
    outlet = hits(mini, "provenance.outlet")
    assert outlet and outlet[0].field == "read_at" and "refused" in outlet[0].message


def test_source_on_an_unreviewed_host_fails(mini):
    rows = mini.rows("sources")
    rows.append({"source_id": "secondary:example", "source_kind": "secondary", "source_url": "https://unreviewed-outlet.example/story", "source_title": "A story"})
    mini.write("sources", rows)
    found = hits(mini, "provenance.outlet")
    assert len(found) == 1 and "unreviewed-outlet.example is not reviewed" in found[0].message


@pytest.mark.parametrize("url", ["https://press.un.org/en/node?page=190", "https://press.un.org/en/disarmament",
                                 "http://press.un.org/en/2024/sc15881.doc", "https://press.un.org/en/content/security-council",
                                 "https://www.un.org/search?q=veto", "https://archive.org/"])
def test_address_that_is_not_the_document_fails(mini, url):
    mini.update("sources", SC, source_url=url)
    found = hits(mini, "provenance.address")
    assert len(found) == 1 and url in found[0].message


def test_official_copy_off_a_un_host_fails(mini):
    rows = mini.rows("sources")
    rows.append({"source_id": "secondary:ap", "source_kind": "secondary", "source_url": "https://apnews.com/article/x", "source_title": "A story", "copy_kind": "official"})
    mini.write("sources", rows)
    assert [i.field for i in hits(mini, "provenance.copy-kind")] == ["copy_kind"]


def test_un_hosts_are_one_list():
    assert all(hosts.is_un_host(h) for h in ("press.un.org", "un.org", "digitallibrary.un.org", "documents.un.org", "research.un.org", "undocs.org", "unis.unvienna.org"))
    assert not any(hosts.is_un_host(h) for h in ("globalsecurity.org", "40.74.122.252", "un.org.evil.example", "web.test.ohchr.un-icc.cloud"))


# ---------------------------------------------------------------- curation interchange: where it was read
def _row(**kw):
    base = {"source_kind": "press_release", "source_symbol": "SC/16125", "source_url": "https://press.un.org/en/2025/sc16125.doc.htm",
            "source_title": "A release", "source_date": "2025-07-22", "read_url": "", "copy_kind": "", "note": ""}
    return {**base, **kw}


SYMBOLS = re.compile(r"^(?:SC/[0-9]+|S/.+)$")


def test_source_row_carries_the_copy_read():
    src = curated.source_row(_row(read_url="https://www.globalsecurity.org/x.htm", copy_kind="reproduction"), SYMBOLS)
    assert (src["source_url"], src["read_at"], src["copy_kind"]) == ("https://press.un.org/en/2025/sc16125.doc.htm", "https://www.globalsecurity.org/x.htm", "reproduction")
    assert curated.source_row(_row(), SYMBOLS)["copy_kind"] == "official"
    assert curated.source_row(_row(source_url="https://www.globalsecurity.org/x.htm"), SYMBOLS)["copy_kind"] == "secondary"


def test_curated_import_refuses_a_un_record_copied_on_a_refused_or_unreviewed_host():
    outlets = hosts.load_outlets()
    assert "refused" in curated.outlet_refusal(_row(source_url="https://nolga1125.blogspot.com/2023/07/x.html"), outlets)
    assert "not reviewed" in curated.outlet_refusal(_row(read_url="http://40.74.122.252/index.cgi/x"), outlets)
    assert curated.outlet_refusal(_row(read_url="https://www.globalsecurity.org/x.htm", copy_kind="reproduction"), outlets) is None


# ---------------------------------------------------------------- the record itself
@pytest.fixture(scope="module")
def record():
    return read_tables(load_contract(ROOT))


def test_record_has_no_official_label_on_a_non_un_host_without_an_accepted_copy(record):
    s = record["sources"]
    outlets = hosts.load_outlets()
    for r in s[s["source_kind"].isin(hosts.UN_RECORD_KINDS)].itertuples():
        host = hosts.host_of(r.read_at if isinstance(r.read_at, str) else r.source_url if isinstance(r.source_url, str) else "")
        if host and not hosts.is_un_host(host):
            assert r.copy_kind == "reproduction" and outlets[host]["verdict"] == "accepted", r.source_id


def test_readme_veto_figures_equal_the_data(record):
    from unsc.publish.coverage import vetoing_votes

    text = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
    m = re.search(r"Vetoes \(negative votes of permanent members on vetoed drafts\): ([^.]+)\.", text)
    assert m, "the README no longer states the veto figures"
    names = {"USA": "USA", "USSR": "SUN", "Russian Federation": "RUS", "United Kingdom": "GBR", "China": "CHN", "France": "FRA"}
    names |= {v: v for v in names.values()}  # the figures block written by `unsc build` names members by state id
    stated = {names[n.strip()]: int(c) for n, c in re.findall(r"([A-Za-z ]+?) (\d+)(?:,|$)", m.group(1))}
    counted = vetoing_votes(record).groupby("state_id").size().to_dict()
    counted = {k: int(v) for k, v in counted.items() if k in names.values()}
    assert stated == counted


# ---------------------------------------------------------------- library-table imports fixed in the importer
from unsc.build.importers import dhl  # noqa: E402


def _d(did, meeting, date, outcome="vetoed", vetoers=("SUN",), tally=(8, 2, 1)):
    return {"draft_id": did, "meeting_id": meeting, "decision_date": date, "outcome": outcome, "_vetoers": list(vetoers),
            "yes": tally[0], "no": tally[1], "abstain": tally[2]}


def test_the_veto_list_wins_over_a_later_duplicate_row():
    drafts = [_d("S/5407", "S/PV.1069", "1963-09-13"), _d("S/5407", "S/PV.1063", "1963-09-03", outcome="not_adopted", vetoers=())]
    vetoes = [{"draft": "S/5407", "meeting": "S/PV.1063", "date": "1963-09-03", "vetoers": ["SUN"]}]
    out, notes = dhl.resolve_duplicates(drafts, vetoes)
    assert [(d["meeting_id"], d["decision_date"], d["outcome"], d["_vetoers"]) for d in out] == [("S/PV.1063", "1963-09-03", "vetoed", ["SUN"])]
    assert "veto list's S/PV.1063 kept" in notes[0]


def test_a_vetoed_revision_is_one_veto_not_two():
    drafts = [_d("S/18087", "S/PV.2686", "1986-05-23", vetoers=("GBR", "USA"), tally=(12, 2, 1))]
    vetoes = [{"draft": "S/18087/Rev.1", "meeting": "S/PV.2686", "date": "1986-05-23", "vetoers": ["GBR", "USA"]}]
    out, _ = dhl.resolve_duplicates(drafts, vetoes)
    assert [(d["draft_id"], d["yes"]) for d in out] == [("S/18087/Rev.1", 12)]


def test_an_outcome_in_the_fourth_cell_of_a_five_cell_row_is_read(tmp_path):
    page = tmp_path / "scact1964_table_en.html"
    page.write_text("<table><tr><td>S/PV.1152</td><td>17 September </td><td>Complaint by Malaysia </td>"
                    "<td>Draft resolution <a href='x'>S/5973</a> vetoed by<br> USSR 9-2-0</td><td>--</td></tr></table>", encoding="utf-8")
    parsed = dhl.Parsed()
    dhl.parse_year(page, 1964, parsed)
    assert [(m["meeting_id"], m["topic"]) for m in parsed.meetings] == [("S/PV.1152", "Complaint by Malaysia")]
    assert [(d["draft_id"], d["outcome"], d["yes"], d["no"], d["abstain"]) for d in parsed.drafts] == [("S/5973", "vetoed", 9, 2, 0)]


def test_record_carries_the_fixed_library_facts(record):
    d = record["drafts"].set_index("draft_id")
    assert (d.at["S/5407", "meeting_id"], str(d.at["S/5407", "decision_date"].date())) == ("S/PV.1063", "1963-09-03")
    assert (d.at["S/11400", "meeting_id"], str(d.at["S/11400", "decision_date"].date())) == ("S/PV.1788", "1974-07-31")
    assert "S/18087" not in d.index and d.at["S/18087/Rev.1", "outcome"] == "vetoed"
    assert (d.at["S/5973", "yes"], d.at["S/5973", "no"], d.at["S/5973", "abstain"]) == (9, 2, 0)


def test_record_codes_an_adoption_by_acclamation_as_without_a_vote(record):
    d = record["drafts"].set_index("draft_id")
    assert d.at["S/RES/1987 (2011)", "outcome"] == "adopted_without_vote"
    assert d.loc["S/RES/1987 (2011)", ["yes", "no", "abstain"]].isna().all()


def test_coverage_counts_official_only_from_the_copy_read(mini):
    from unsc.publish.coverage import compute

    def by_copy():
        return compute(read_tables(load_contract(mini.root)))["votes_by_provenance"]

    n = len(mini.rows("votes"))
    assert by_copy() == {"not_stated": n}
    mini.update("sources", SC, copy_kind="reproduction", read_at="https://www.globalsecurity.org/x.htm")
    assert by_copy() == {"official": n}
    mini.update("sources", SC, copy_kind="secondary", read_at="")
    assert by_copy() == {"secondary": n}
