"""The harvester: parsers on real texts, the polite fetcher, the offline replay, crosscheck."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from unsc.cli import main
from unsc.harvest import crosscheck, press, undl
from unsc.harvest.fetch import FetchError, Fetcher
from unsc.harvest.names import Names, read_aliases
from unsc.harvest.rows import HEADER
from unsc.harvest.run import harvest

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "harvest"
PRESS = ROOT / "sources" / "harvest" / "press"


@pytest.fixture(scope="module")
def names():
    return Names(ROOT / "data" / "states.csv")


def copy_package(tmp_path: Path) -> Path:
    """A copy of this repository's package (data, schemas, curation and every raw source, so it rebuilds)."""
    dst = tmp_path / "pkg"
    dst.mkdir()
    for f in ("datapackage.json",):
        shutil.copy(ROOT / f, dst / f)
    for d in ("data", "schemas", "curation", "sources"):
        shutil.copytree(ROOT / d, dst / d)
    return dst


# ------------------------------------------------------------------ names

def test_every_alias_maps_to_an_existing_state():
    with open(ROOT / "data" / "states.csv", encoding="utf-8") as fh:
        ids = {r["state_id"] for r in csv.DictReader(fh)}
    aliases = read_aliases()
    assert aliases
    assert [a for a in aliases if a["state_id"] not in ids] == []


def test_historical_and_formal_names(names):
    assert names.resolve("China", "1960-05-01") == "TWN"
    assert names.resolve("China", "1990-05-01") == "CHN"
    assert names.resolve("USSR", "1980-01-01") == "SUN"
    assert names.resolve("Russian Federation") == "RUS"
    assert names.resolve("United Kingdom") == "GBR"
    assert names.resolve("Republic of Korea") == "KOR"
    assert names.resolve("Bolivarian Republic of Venezuela") == "VEN"
    assert names.resolve("Plurinational State of Bolivia") == "BOL"
    assert names.resolve("Iran (Islamic Republic of)") == "IRN"
    assert names.resolve("Atlantis") is None


def test_an_alias_to_an_unknown_state_is_caught(tmp_path):
    # the alias check above reads the same table the resolver does: a bad id would be listed
    bad = [{"name": "Narnia", "state_id": "NRN", "from": "", "to": "", "note": ""}]
    n = Names(ROOT / "data" / "states.csv", aliases=bad)
    assert n.resolve("Narnia") == "NRN" and not n.known("NRN")


# ------------------------------------------------------------------ press releases (real openings)

def rows_of(name, names):
    return press.parse((PRESS / name).read_text(encoding="utf-8"), names, source=name[:-4].replace("-", "/"))


def test_press_veto_with_named_members(names):
    [r] = rows_of("SC-12791.txt", names)
    assert (r.outcome, r.yes, r.no, r.abstain) == ("vetoed", 10, 2, 3)
    assert r.against == ["BOL", "RUS"] and r.abstaining == ["CHN", "ETH", "KAZ"]
    assert r.meeting == "S/PV.7922" and r.resolution == ""  # resolution 2118 (2013), recalled, is not this vote


def test_press_unanimous_adoption_is_one_row_despite_headline_and_body(names):
    [r] = rows_of("SC-13861.txt", names)
    assert (r.resolution, r.outcome, r.yes, r.no, r.abstain, r.date) == ("S/RES/2478 (2019)", "adopted", 15, 0, 0, "2019-06-26")


def test_press_recalled_resolutions_are_not_votes(names):
    rows = rows_of("SC-8159.txt", names)
    assert [r.resolution for r in rows] == ["S/RES/1555 (2004)"]
    assert rows[0].date == "2004-07-29"  # the dateline's day, not the release's


def test_press_two_failed_drafts_with_every_member_named(names):
    veto, short = rows_of("SC-14244.txt", names)
    assert (veto.draft, veto.outcome, veto.yes, veto.no, veto.against) == ("S/2020/654", "vetoed", 13, 2, ["CHN", "RUS"])
    assert (short.draft, short.outcome, short.yes, short.no, short.abstain) == ("S/2020/658", "not_adopted", 4, 7, 4)
    assert short.in_favour == ["CHN", "RUS", "ZAF", "VNM"]
    assert short.abstaining == ["IDN", "NER", "VCT", "TUN"] and short.against == ["BEL", "DOM", "EST", "FRA", "DEU", "GBR", "USA"]


def test_press_affirmative_votes_and_a_tally_in_the_next_sentence(names):
    [r] = rows_of("SC-11859.txt", names)
    assert (r.resolution, r.yes, r.no, r.abstain, r.abstaining) == ("S/RES/2216 (2015)", 14, 0, 1, ["RUS"])
    [r] = rows_of("SC-14247.txt", names)
    assert (r.resolution, r.yes, r.no, r.abstain, r.abstaining) == ("S/RES/2533 (2020)", 12, 0, 3, ["CHN", "DOM", "RUS"])


def test_press_headline_and_body_merge_into_one_row(names):
    # headline "by 12 Votes in Favour to None against, with 3 Abstaining"; body names the three after the tally
    [r] = rows_of("SC-13561.txt", names)
    assert (r.resolution, r.yes, r.no, r.abstain, r.abstaining) == ("S/RES/2440 (2018)", 12, 0, 3, ["BOL", "ETH", "RUS"])


def test_press_a_report_symbol_is_not_taken_for_the_draft(names):
    # "a special report of the Secretary-General ... (S/2015/113)" is not the text voted on
    [r] = rows_of("SC-11808.txt", names)
    assert (r.resolution, r.draft) == ("S/RES/2208 (2015)", "")


def test_press_a_failure_without_tally_is_not_guessed(names):
    assert rows_of("SC-14246.txt", names) == []


def test_press_procedural_vote(names):
    [r] = rows_of("SC-15649.txt", names)
    assert (r.kind, r.outcome, r.yes, r.no, r.abstain) == ("procedural", "not_adopted", 6, 0, 9)


# The sentences below are the set phrases of UN press releases, as the issue quotes them.
@pytest.mark.parametrize("text, expected", [
    ("The draft resolution (document S/2024/173) failed to be adopted owing to the negative vote of a permanent member, "
     "by a vote of 13 in favour to 1 against (United States), with 1 abstention (United Kingdom).",
     ("vetoed", 13, 1, 1, ["USA"], ["GBR"], "S/2024/173")),
    ("The text failed to obtain the required number of votes, with 4 in favour to 2 against (United States, Latvia), with 9 abstentions.",
     ("not_adopted", 4, 2, 9, ["USA", "LVA"], [], "")),
    ("Adopting resolution 2768 (2025) by a vote of 12 in favour to none against, with 3 abstentions (Algeria, China, Russian Federation), the Council demanded",
     ("adopted", 12, 0, 3, [], ["DZA", "CHN", "RUS"], "")),
    ("By a vote of 12 in favour to 1 against (United States), with 2 abstentions (China, Russian Federation), the Council adopted resolution 2334 (2016).",
     ("adopted", 12, 1, 2, ["USA"], ["CHN", "RUS"], "")),
])
def test_press_outcome_sentences(names, text, expected):
    [r] = press.parse(text, names)
    assert (r.outcome, r.yes, r.no, r.abstain, r.against, r.abstaining, r.draft) == expected


def test_press_amendment_is_its_own_kind(names):
    text = ("The Council first voted on an amendment proposed by the Russian Federation, which failed to be adopted "
            "by a vote of 5 in favour to none against, with 10 abstentions. Unanimously adopting resolution 2771 (2025), the Council extended the mandate.")
    rows = press.parse(text, names)
    assert [(r.kind, r.outcome, r.yes) for r in rows] == [("amendment", "not_adopted", 5), ("draft_resolution", "adopted", 15)]


def test_press_html_page(names):
    html = ("<html><body><nav>Menu</nav><main><h1>Security Council Adopts Resolution</h1><div>SC/15965</div><div>15 January 2025</div>"
            "<p>9836th Meeting (AM)</p><p>Adopting resolution 2768 (2025) by a vote of 12 in favour to none against, with 3 abstentions "
            "(Algeria, China, Russian Federation), the Council extended the reporting.</p></main></body></html>")
    [r] = press.parse(html, names)
    assert (r.source, r.date, r.meeting, r.resolution, r.abstaining) == ("SC/15965", "2025-01-15", "S/PV.9836", "S/RES/2768 (2025)", ["DZA", "CHN", "RUS"])


def test_press_text_without_a_vote_gives_nothing(names):
    assert press.parse("The Security Council today heard a briefing on the situation in Somalia.", names) == []


# The forms below were found in the releases added for issue #18 (the parser missed them when they were first read).

def test_press_1990s_headline_resolution_adopted_unanimously(names):
    # "19960730 Resolution 1069 (1996) Adopted Unanimously": the compact date line of the page gives the date
    [r] = rows_of("SC-6250.txt", names)
    assert (r.resolution, r.outcome, r.yes, r.no, r.abstain, r.date) == ("S/RES/1069 (1996)", "adopted", 15, 0, 0, "1996-07-30")
    # "By Resolution 1131 (1997), Adopted Unanimously, MINURSO Will ..."
    [r] = rows_of("SC-6424.txt", names)
    assert (r.resolution, r.yes, r.date) == ("S/RES/1131 (1997)", 15, "1997-09-29")


@pytest.mark.parametrize("text, resolution", [
    ("Following the unanimous adoption of resolution 2315 (2016), the Council also heard a briefing.", "S/RES/2315 (2016)"),
    ("By its unanimous adoption of resolution 1108 (1997), the Council reiterated its commitment.", "S/RES/1108 (1997)"),
    ("Resolution 1117 (1997), Adopted Unanimously, Welcomes Secretary-General's Decision", "S/RES/1117 (1997)"),
])
def test_press_unanimous_adoption_phrases(names, text, resolution):
    [r] = press.parse(text, names)
    assert (r.resolution, r.outcome, r.yes, r.no, r.abstain) == (resolution, "adopted", 15, 0, 0)


def test_press_unanimous_action_whose_resolution_the_next_sentence_names(names):
    # "Acting unanimously today, the Security Council renewed ..." + "By the terms of resolution 2598 (2021)(to be issued ...)"
    [r] = rows_of("SC-14649.txt", names)
    assert (r.resolution, r.outcome, r.yes, r.no, r.abstain) == ("S/RES/2598 (2021)", "adopted", 15, 0, 0)
    [r] = rows_of("SC-14151.txt", names)  # "decided unanimously on 30 March 2020 to extend" + "By the terms of resolution 2516 (2020)"
    assert (r.resolution, r.yes) == ("S/RES/2516 (2020)", 15)
    # the next sentence must name the resolution: a unanimous decision alone states no number to read
    assert press.parse("Acting unanimously, the Council renewed the mandate. The Council also heard a briefing.", names) == []


def test_press_tally_without_against(names):
    # "by 14 Votes with 1 Abstention (United States)" and "by a vote of 14 in favour and 1 abstention (United States)"
    [r] = rows_of("SC-7157.txt", names)
    assert (r.resolution, r.yes, r.no, r.abstain, r.abstaining, r.date, r.meeting) == ("S/RES/1372 (2001)", 14, 0, 1, ["USA"], "2001-09-28", "S/PV.4384")
    # "with 13 Council members voting in favour and 2 abstentions (China, Russian Federation)"
    [r] = rows_of("SC-15223.txt", names)
    assert (r.resolution, r.yes, r.no, r.abstain, r.abstaining) == ("S/RES/2676 (2023)", 13, 0, 2, ["CHN", "RUS"])
    # read only where votes and abstentions make up the whole Council; otherwise someone may have voted against
    assert press.parse("The Council adopted resolution 1372 (2001) by a vote of 13 in favour and 1 abstention.", names) == []


def test_press_unanimity_on_a_matter_decided_without_a_vote_states_no_tally(names):
    # SC/7411: "The Council unanimously adopted resolution 1414 (2002)" recommending East Timor's admission; the record has it
    # adopted without a vote, as the Council decides most admissions, so "unanimously" is not read as 15 votes in favour
    assert rows_of("SC-7411.txt", names) == []
    text = "The Council recommended that Tuvalu be admitted to membership in the United Nations, adopting resolution 1290 (2000) by a vote of 14 in favour to none against, with 1 abstention (China)."
    [r] = press.parse(text, names)
    assert (r.yes, r.no, r.abstain, r.abstaining) == (14, 0, 1, ["CHN"])  # a stated tally is still read


def test_press_a_cited_letter_or_report_is_not_the_draft(names):
    [r] = rows_of("SC-14311.txt", names)  # "took note of the request by Iraq in its 16 September letter (document S/2020/909)"
    assert (r.resolution, r.draft) == ("S/RES/2544 (2020)", "")
    [r] = rows_of("SC-8473.txt", names)  # "his 3 August letter to the President of the Council (document S/2005/509)"
    assert r.draft == ""
    [r] = press.parse("By the text (document S/2020/667), the Council would have renewed the mechanism; it failed to be adopted "
                      "owing to the negative vote of a permanent member, by a vote of 13 in favour to 2 against (China, Russian Federation).", names)
    assert (r.draft, r.outcome) == ("S/2020/667", "vetoed")


def test_press_names_run_together_without_a_comma(names):
    # "with 5 abstentions (China, Gabon, India, Kenya Russian Federation)"
    [r] = rows_of("SC-14908.txt", names)
    assert (r.yes, r.no, r.abstain, r.abstaining, r.unknown_names) == (10, 0, 5, ["CHN", "GAB", "IND", "KEN", "RUS"], [])
    assert press.names("Kenya Atlantis", names, "2022-05-26", unknown := []) == [] and unknown == ["Kenya Atlantis"]


@pytest.mark.parametrize("head, date", [
    ("SC/7157\n\nSECURITY COUNCIL LIFTS SANCTIONS AGAINST SUDAN\n\n28/09/2001\nPress Release\n", "2001-09-28"),
    ("Press Release\nSC/6401\n19970729 Resolution 1122 (1997), Adopted Unanimously\n", "1997-07-29"),
    ("Press Release\nSC/6401\n\n19970729\n\nBy Resolution 1167 (1998)", "1997-07-29"),
    ("SC/9999\n13/31/2001\n", ""),  # no 31st month: not a date
])
def test_press_header_date_lines_of_older_pages(head, date):
    assert press.header(head).date == date


# ------------------------------------------------------------------ MARCXML

def test_undl_record(names):
    [r] = undl.parse((FIX / "undl" / "sc-res-2768.xml").read_bytes(), names, "x")
    assert (r.resolution, r.date, r.meeting, r.outcome, r.yes, r.no, r.abstain) == ("S/RES/2768 (2025)", "2025-01-15", "S/PV.9836", "adopted", 12, 0, 3)
    assert r.abstaining == ["CHN", "DZA", "RUS"] and len(r.in_favour) == 12 and r.against == []
    assert r.subjects == ["SHIPPING", "YEMEN--POLITICAL CONDITIONS"] and "Middle East" in r.agenda


def test_undl_without_vote_and_general_assembly(names):
    [r] = undl.parse((FIX / "undl" / "without-vote.xml").read_bytes(), names)
    assert r.outcome == "adopted_without_vote" and r.yes is None
    assert undl.parse((FIX / "undl" / "ga-record-4096564.xml").read_bytes(), names) == []


# ------------------------------------------------------------------ CLI

def test_cli_parse_prints_the_csv():
    res = CliRunner().invoke(main, ["harvest", "parse", "press", str(PRESS / "SC-12791.txt"), "--root", str(ROOT)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == ",".join(HEADER) == "source,date,draft,resolution,outcome,yes,no,abstain,against,abstaining"
    assert lines[1] == "SC/12791,,,,vetoed,10,2,3,BOL;RUS,CHN;ETH;KAZ"
    res = CliRunner().invoke(main, ["harvest", "parse", "undl", str(FIX / "undl" / "sc-res-2768.xml"), "--root", str(ROOT)])
    assert res.output.splitlines()[1] == "sc-res-2768.xml,2025-01-15,,S/RES/2768 (2025),adopted,12,0,3,,CHN;DZA;RUS"


def test_cli_broken_xml_is_an_error_not_a_traceback():
    res = CliRunner().invoke(main, ["harvest", "parse", "undl", str(FIX / "undl" / "broken.xml"), "--root", str(ROOT)])
    assert res.exit_code == 1
    assert "broken.xml: not well-formed XML" in res.output and "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


# ------------------------------------------------------------------ fetching

class FakeWeb:
    def __init__(self, pages: dict[str, bytes], fail: set[str] = frozenset()):
        self.pages, self.fail, self.calls = pages, fail, []

    def __call__(self, url):
        self.calls.append(url)
        if url in self.fail:
            return 503, b"", "text/plain"
        return (200, self.pages[url], "text/html") if url in self.pages else (404, b"", "text/plain")


def test_fetcher_caches_rate_limits_and_reports_errors(tmp_path):
    web = FakeWeb({"https://a/1": b"one", "https://a/2": b"two"}, fail={"https://a/3"})
    t = [0.0]
    slept = []
    f = Fetcher(tmp_path / "c", transport=web, interval=2.0, clock=lambda: t[0], sleep=lambda s: slept.append(s))
    assert f.get("https://a/1").body == b"one"
    assert f.get("https://a/2").body == b"two"
    assert slept == [2.0]  # the second request waited for the interval
    again = Fetcher(tmp_path / "c", transport=web)
    assert again.get("https://a/1").from_cache and again.network_requests == 0  # a re-run fetches nothing twice
    # a listing is cached for its day only: the next day asks again
    assert not again.get("https://a/1", "2026-12-07").from_cache
    assert again.get("https://a/1", "2026-12-07").from_cache and not again.get("https://a/1", "2026-12-08").from_cache
    with pytest.raises(FetchError, match="HTTP 503"):
        f.get("https://a/3")
    # an interrupted write (body without its metadata) is fetched again
    body, meta = f._paths("https://a/2")
    assert body.exists()
    meta.unlink()
    n = len(web.calls)
    assert Fetcher(tmp_path / "c", transport=web).get("https://a/2").from_cache is False
    assert len(web.calls) == n + 1


# ------------------------------------------------------------------ the harvest run

def test_offline_replay_reproduces_the_committed_rows(tmp_path):
    pkg = copy_package(tmp_path)
    (pkg / "data" / "harvest_ledger.csv").unlink()
    res = CliRunner().invoke(main, ["harvest", "--offline", "--no-rebuild", "--root", str(pkg)])
    assert res.exit_code == 0, res.output
    assert (pkg / "data" / "harvest_ledger.csv").read_text() == (ROOT / "data" / "harvest_ledger.csv").read_text()
    ledger = list(csv.DictReader(open(pkg / "data" / "harvest_ledger.csv", encoding="utf-8")))
    assert f"{sum(r['status'] == 'agrees' for r in ledger)} agree with the record" in res.output
    assert not list((pkg / "curation" / "votes").glob("harvest-*.csv"))  # everything it read is already in the record


def _new_record_xml() -> bytes:
    x = (FIX / "undl" / "sc-res-2768.xml").read_text()
    return (x.replace("S/RES/2768(2025)", "S/RES/2830(2026)").replace("2025-01-15", "2026-05-04").replace("S/PV.9836", "S/PV.10140")
             .replace('<record>\n', '<record>\n  <controlfield tag="001">9999001</controlfield>\n')).encode()


def test_harvest_fetches_keeps_snapshots_writes_curation_and_rebuilds(tmp_path):
    from unsc.harvest.run import PRESS_LIST, UNDL_SEARCH

    pkg = copy_package(tmp_path)
    search1 = UNDL_SEARCH.format(year=2026, start=1)
    listing = b'<html><body><a href="/en/2026/sc16400.doc.htm">SC/16400</a></body></html>'
    release = ("<html><body><main><div>SC/16400</div><div>4 May 2026</div><p>10140th Meeting (AM)</p>"
               "<p>Adopting resolution 2830 (2026) by a vote of 12 in favour to none against, with 3 abstentions "
               "(Algeria, China, Russian Federation), the Council extended the reporting.</p></main></body></html>").encode()
    disagreeing = (FIX / "undl" / "sc-res-2768.xml").read_text().replace('<subfield code="b">12</subfield>', '<subfield code="b">13</subfield>').encode()
    both = _new_record_xml().replace(b"</collection>", b"") + disagreeing[disagreeing.index(b"<record>"):]
    pages = {search1: both,
             PRESS_LIST.format(page=0): listing, "https://press.un.org/en/2026/sc16400.doc.htm": release,
             PRESS_LIST.format(page=1): b"<html></html>"}
    web = FakeWeb(pages)
    fetcher = Fetcher(tmp_path / "cache", transport=web, interval=0)
    before = (pkg / "data" / "drafts.csv").read_text()
    rep = harvest(pkg, offline=False, fetcher=fetcher, today="2026-12-07", rebuild=True)
    assert rep.problems == []
    manifest = (pkg / "sources" / "manifest.csv").read_text()
    assert "harvest/press/SC-16400.html,https://press.un.org/en/2026/sc16400.doc.htm,2026-12-07," in manifest
    assert (pkg / "sources" / "harvest" / "press" / "SC-16400.html").read_bytes() == release
    # the new resolution became curation rows (one per source) and went through the curated import
    cur = list(csv.DictReader(open(pkg / "curation" / "votes" / "harvest-2026.csv", encoding="utf-8")))
    assert {r["resolution_number"] for r in cur} == {"2830"} and {r["source_kind"] for r in cur} == {"press_release", "un_document"}
    drafts = (pkg / "data" / "drafts.csv").read_text()
    assert "S/RES/2830 (2026)" in drafts and "S/RES/2830 (2026)" not in before
    # the disagreeing library record (13 in favour where the record says 12) is reported, not applied
    assert any("S/RES/2768 (2025)" in d and "yes 13 (record 12)" in d for d in rep.disagreements)
    kept = next(r for r in csv.DictReader(io.StringIO(drafts)) if r["draft_id"] == "S/RES/2768 (2025)")
    assert (kept["meeting_id"], kept["decision_date"], kept["outcome"], kept["yes"], kept["no"], kept["abstain"]) == ("S/PV.9836", "2025-01-15", "adopted", "12", "0", "3")
    # a second run is served from the cache
    n = len(web.calls)
    rep2 = harvest(pkg, offline=False, fetcher=Fetcher(tmp_path / "cache", transport=web), today="2026-12-07", rebuild=False)
    assert len(web.calls) == n and rep2.fetched == 0


def test_harvest_error_names_the_file(tmp_path):
    pkg = copy_package(tmp_path)
    (pkg / "sources" / "harvest" / "press" / "SC-8159.txt").unlink()
    res = CliRunner().invoke(main, ["harvest", "--offline", "--no-rebuild", "--root", str(pkg)])
    assert res.exit_code == 1 and "sources/harvest/press/SC-8159.txt: listed in sources/manifest.csv but missing" in res.output
    assert "Traceback" not in res.output


# ------------------------------------------------------------------ crosscheck

EXPORT_HEADER = ["undl_id", "ms_code", "ms_name", "permanent_member", "ms_vote", "date", "resolution", "draft", "meeting", "description", "agenda",
                 "subjects", "vote_note", "total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms", "modality", "undl_link"]


def export_from_record(resolutions: list[str]) -> list[dict]:
    """Rows in the library export's format, built from this record's own votes."""
    drafts = {d["resolution_number"]: d for d in csv.DictReader(open(ROOT / "data" / "drafts.csv", encoding="utf-8"))}
    votes = [v for v in csv.DictReader(open(ROOT / "data" / "votes.csv", encoding="utf-8"))]
    out = []
    for n in resolutions:
        d = drafts[n]
        for v in [v for v in votes if v["draft_id"] == d["draft_id"]]:
            out.append({"undl_id": "1", "ms_code": v["state_id"], "ms_name": v["state_id"], "permanent_member": "", "date": d["decision_date"],
                        "ms_vote": {"yes": "Y", "no": "N", "abstain": "A"}[v["vote"]], "resolution": f"S/RES/{n}({d['decision_date'][:4]})",
                        "total_yes": d["yes"], "total_no": d["no"], "total_abstentions": d["abstain"], "total_non_voting": "0", "total_ms": "15",
                        "modality": "Vote"})
    return out


def write_export(path: Path, rows: list[dict]):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=EXPORT_HEADER, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue())


def test_crosscheck_agreeing_file_passes(tmp_path):
    write_export(tmp_path / "ok.csv", export_from_record(["2768", "2478"]))
    res = CliRunner().invoke(main, ["crosscheck", "undl", str(tmp_path / "ok.csv"), "--root", str(ROOT)])
    assert res.exit_code == 0, res.output
    assert "2 resolution(s) compared; 0 disagreement(s)" in res.output


def test_crosscheck_reports_planted_errors(tmp_path):
    rows = export_from_record(["2768", "2478"])
    for r in rows:
        if r["resolution"].startswith("S/RES/2768") and r["ms_code"] == "RUS":
            r["ms_vote"] = "N"  # another member vote
        if r["resolution"].startswith("S/RES/2478"):
            r["date"], r["total_yes"] = "2019-06-27", "14"  # another date, another tally
    rows.append({**rows[0], "resolution": "S/RES/9998(2026)", "date": "2026-11-30"})  # a resolution the record lacks
    write_export(tmp_path / "bad.csv", rows)
    res = CliRunner().invoke(main, ["crosscheck", "undl", str(tmp_path / "bad.csv"), "--root", str(ROOT)])
    assert res.exit_code == 1
    out = res.output
    assert "S/RES/2768 (2025): vote of RUS: export 'no', record 'abstain'" in out
    assert "S/RES/2478 (2019): date: export '2019-06-27', record '2019-06-26'" in out
    assert "S/RES/2478 (2019): tally: export '14-0-0', record '15-0-0'" in out
    assert "S/RES/9998 (2026): missing resolution" in out


def test_crosscheck_wrong_file_is_explained(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    res = CliRunner().invoke(main, ["crosscheck", "undl", str(tmp_path / "x.csv"), "--root", str(ROOT)])
    assert res.exit_code == 1 and "not the library's voting export" in res.output and "Traceback" not in res.output
    with pytest.raises(crosscheck.ExportError):
        crosscheck.read_export(tmp_path / "missing.csv")
