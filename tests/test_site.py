"""The codebook and the public site: generated from the schemas and data, complete, and self-contained."""
from __future__ import annotations

import functools
import html
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from unsc.publish.codebook import codebook_pages, esc, field_names_in
from unsc.contract import load_contract
from unsc.contract.frames import read_tables
from unsc.publish.links import draft_page, official_links
from unsc.publish.site import build_site, generate, scan_offsite

ROOT = Path(__file__).resolve().parent.parent

CHANGELOG = """# Changelog

## [0.1.0] - 2024-01-01

First release: meetings, drafts and votes from the library's tables. See [the codebook](docs/index.md).
"""


def test_codebook_documents_every_field():
    """Every field of every schema has its entry in the generated codebook, and nothing else does."""
    contract = load_contract(ROOT)
    pages = codebook_pages(contract, {})
    assert set(pages) == {"codebook/index.md"} | {f"codebook/{t}.md" for t in contract.tables}
    for name, table in contract.tables.items():
        page = pages[f"codebook/{name}.md"]
        assert field_names_in(page) == table.field_names, name
        for f in table.fields:
            for value, meaning in f.categories.items():
                assert esc(value) in page and esc(meaning) in page, (name, f.name, value)
            for entry in f.raw.get("x-vocabulary", []):
                assert esc(entry["definition"]) in page and esc(entry["example"]) in page, (name, f.name, entry["value"])
        for fk in table.foreign_keys:
            for ref in fk.reference_fields:
                target = f"#{ref}" if fk.resource == name else f"{fk.resource}.md#{ref}"
                assert f"]({target})" in page, (name, fk)


def test_codebook_observes_the_data(mini):
    contract = load_contract(mini.root)
    pages = codebook_pages(contract, read_tables(contract))
    votes = pages["codebook/votes.md"]
    assert re.search(r"<code>yes</code> \| In favour\. \| 27 \| 90\.0% \|", votes)  # 12 + 15 yes votes in the fixture
    assert re.search(r"<code>no</code> \| .* \| 1 \|", votes)
    drafts = pages["codebook/drafts.md"]
    assert "Smallest 2023-10-18, largest 2023-10-19" in drafts
    positions = pages["codebook/positions.md"]
    assert re.search(r"<code>self&#95;defence</code> \| .* \| 1 \| 100\.0% \|", positions)


def test_escaping_keeps_markdown_and_html_inert():
    s = esc("a | b <script>x</script> *em* [l](u) `c` #h")
    assert "|" not in s and "<" not in s and "*" not in s and "[" not in s and "`" not in s


def _build(mini, tmp_path, situations: bool = False) -> Path:
    (mini.root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", mini.root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", mini.root / "docs")
    # text from the data is escaped: a topic that looks like a table cell and HTML
    mini.update("drafts", {"draft_id": "S/RES/2700 (2023)"}, draft_title="Reports | <b>bold</b> & *stars*")
    if situations:
        _with_situations(mini)
    out = tmp_path / "site"
    build_site(mini.root, out)
    return out


@pytest.fixture
def built(mini, tmp_path):
    return _build(mini, tmp_path)


def test_site_builds_for_the_mini_package(built, mini):
    for page in ("index.html", "codebook/index.html", "codebook/drafts.html", "coverage.html", "vetoes.html",
                 "record/index.html", "record/2023.html", "releases.html", "contributing.html", "validation.html",
                 "about.html", "assets/charts/coverage.svg", "assets/charts/vetoes.svg", "search/search_index.json"):
        assert (built / page).is_file(), page
    assert scan_offsite(built) == []
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "0.1.0" in home and "https://github.com/unsc-record/unsc-record/releases" in home
    year = (built / "record/2023.html").read_text(encoding="utf-8")
    assert 'id="s-2023-773"' in year and "<b>bold" not in year
    assert "Reports | <b>bold</b> & *stars*" in html.unescape(year)
    vetoes = (built / "vetoes.html").read_text(encoding="utf-8")
    assert "State USA (USA)" in vetoes and "S/2023/773" in vetoes
    assert "2024-01-01" in (built / "releases.html").read_text(encoding="utf-8")
    assert "unsc validate --report" in (built / "validation.html").read_text(encoding="utf-8")


def test_offsite_scan_catches_loads(tmp_path):
    (tmp_path / "a.html").write_text('<a href="https://undocs.org/en/S/2023/773">ok</a><img src="https://x.org/i.png">'
                                     '<link rel="stylesheet" href="//cdn.example/s.css"><script src="/local.js"></script>')
    (tmp_path / "b.css").write_text("@import 'https://fonts.example/f.css'; a{background:url(data:image/png;base64,AA)}")
    (tmp_path / "c.js").write_text('importScripts("https://cdn.example/w.js"); let s = "https://docs.example/";')
    assert sorted(u for _, u in scan_offsite(tmp_path)) == [
        "//cdn.example/s.css", "https://cdn.example/w.js", "https://fonts.example/f.css", "https://x.org/i.png"]


# ------------------------------------------------------------------ entity pages
SITUATIONS = [{"situation_id": "middle-east-palestine", "situation_name": "The situation in the Middle East and the Palestinian question",
               "region": "Middle East", "countries": "ISR;PSE", "definition": "The test's Middle East situation."},
              {"situation_id": "reports", "situation_name": "Reports of the Secretary-General", "region": "Thematic", "countries": "",
               "definition": "The test's thematic item."}]


def _with_situations(mini, situations=SITUATIONS):
    """The mini package with the test's own situations: S/2023/773 and its meeting on the Middle East, the rest reports."""
    mini.write("situations", situations)
    ids = {s["situation_id"] for s in situations}
    for table, key, special in (("drafts", "draft_id", "S/2023/773"), ("meetings", "meeting_id", "S/PV.9442")):
        rows = mini.rows(table)
        for r in rows:
            r["situation_id"] = ("middle-east-palestine" if r[key] == special else "reports") if ids else ""
        mini.write(table, rows)


def test_draft_page_names_are_stable_and_safe():
    assert draft_page("S/2023/773") == "S-2023-773"
    assert draft_page("S/RES/2712 (2023)") == "S-RES-2712-2023"
    assert draft_page("S/PV.1063-vetoed") == "S-PV.1063-vetoed"
    assert draft_page("vote:2025-02-24-amendment-1") == "vote-2025-02-24-amendment-1"
    assert draft_page("S/1997/18/Rev.1") == "S-1997-18-Rev.1"
    ids = [line.split(",", 1)[0] for line in (ROOT / "data" / "drafts.csv").read_text(encoding="utf-8").splitlines()[1:]]
    names = [draft_page(i) for i in ids]
    assert all(re.match(r"^[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]$", n) for n in names)
    assert len({n.lower() for n in names}) == len(ids)  # one page per draft, even on a case-insensitive disk


def test_official_links_follow_the_rules():
    assert official_links("S/2023/773", None, 2023, 9442, "SC/15462") == [
        ("Draft S/2023/773", "https://undocs.org/en/S/2023/773"),
        ("Meeting record S/PV.9442", "https://undocs.org/en/S/PV.9442"),
        ("Press release SC/15462", "https://press.un.org/en/2023/sc15462.doc.htm")]
    links = dict(official_links("S/RES/2712 (2023)", 2712, 2023, None, None))
    assert links == {"Resolution 2712 (2023)": "https://undocs.org/en/S/RES/2712(2023)"}
    assert official_links("S/PV.1063-vetoed", None, 1963, None, None) == []  # our own id is not a document symbol


def test_a_page_for_every_draft_member_and_situation(mini, tmp_path):
    _with_situations(mini)
    mini.write("drafts", mini.rows("drafts") + [{
        "draft_id": "S/PV.9442-amendment-1", "id_kind": "meeting_record_pseudo", "meeting_id": "S/PV.9442", "decision_date": "2023-10-18",
        "draft_kind": "amendment", "amends": "S/2023/773", "outcome": "not_adopted", "yes": "5", "no": "2", "abstain": "8",
        "not_participating": "0", "tally_basis": "announced", "source_id": "SC/15462"}])
    _with_situations(mini)  # the new amendment too
    docs, cfg = generate(mini.root, tmp_path / "docs")
    drafts = {p.relative_to(docs).as_posix() for p in (docs / "drafts").glob("*.md")}
    assert drafts == {f"drafts/{draft_page(r['draft_id'])}.md" for r in mini.rows("drafts")}
    page = (docs / "drafts/S-2023-773.md").read_text(encoding="utf-8")
    assert "boost:" in page.split("---")[1]
    p = "<strong>(P)</strong>"
    assert f'<tr><td>No</td><td><a href="../members/USA.html">State USA (USA)</a> {p}</td><td style="text-align:right">1</td></tr>' in page
    assert f'<tr><td>Abstain</td><td><a href="../members/GBR.html">State GBR (GBR)</a> {p}, <a href="../members/RUS.html">' in page
    assert '<a href="../drafts/S-PV.9442-amendment-1.html">S/PV.9442-amendment-1</a>' in page  # the amendment voted on it
    assert "https://undocs.org/en/S/2023/773" in page and "https://press.un.org/en/2023/sc15462.doc.htm" in page
    assert "<code>self&#95;defence</code>" in page and "Penholder: <a href=\"../members/BRA.html\">State BRA (BRA)</a>" in page
    assert "## Cite this" in page and "(2023-10-18)" in page
    assert ('<a href="../situations/middle-east-palestine.html">The situation in the Middle East and the Palestinian question</a>'
            in page)
    assert '<a href="../record/2023.html#s-2023-773">2023</a>' in page
    res = (docs / "drafts/S-RES-2700-2023.md").read_text(encoding="utf-8")
    assert "https://undocs.org/en/S/RES/2700(2023)" in res and "derived from a unanimous adoption" in res
    members = {p.name for p in (docs / "members").glob("*.md")}
    sat = {r["state_id"] for r in mini.rows("memberships")}
    assert members == {f"{s}.md" for s in sat} | {"index.md"}
    usa = (docs / "members/USA.md").read_text(encoding="utf-8")
    assert "## Vetoes" in usa and "[S/2023/773](../drafts/S-2023-773.md)" in usa
    assert re.search(r"\| \[2023\]\(../record/2023.md\) \| 1 \| 1 \| 2 \|", usa)  # yes, no, total
    assert "Voted against because" in usa
    # agreement of Brazil with the permanent seats in 2023: GBR abstained on one of two drafts
    bra = (docs / "members/BRA.md").read_text(encoding="utf-8")
    assert re.search(r"\| 2023 \| 50% \(2\) \| 50% \(2\) \| 100% \(2\) \| 50% \(2\) \| 100% \(2\) \|", bra), bra
    sit = (docs / "situations/middle-east-palestine.md").read_text(encoding="utf-8")
    assert "[S/2023/773](../drafts/S-2023-773.md)" in sit and "| vetoed |" in sit and "USA" in sit
    assert "Region\n: Middle East" in sit
    assert {"Situations": "situations/index.md"} in cfg["nav"]
    assert "/drafts/" in cfg["not_in_nav"]
    year = (docs / "record/2023.md").read_text(encoding="utf-8")
    assert "[S/2023/773](../drafts/S-2023-773.md)" in year


def test_no_situation_pages_without_situations(mini, tmp_path):
    _with_situations(mini, situations=[])  # a package whose situations table is empty
    docs, cfg = generate(mini.root, tmp_path / "docs")
    assert not (docs / "situations").exists()
    assert "Situation" not in (docs / "drafts/S-2023-773.md").read_text(encoding="utf-8")
    assert all("Situations" not in item for item in cfg["nav"] if isinstance(item, dict))


def test_codebook_and_home_for_readers(mini, tmp_path):
    docs, _ = generate(mini.root, tmp_path / "docs")
    drafts = (docs / "codebook/drafts.md").read_text(encoding="utf-8")
    assert '!!! note "Generated"' not in drafts and "<!-- This page is generated" in drafts
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "| | |" not in home and "| In the record | Number |" in home
    vetoes = (docs / "vetoes.md").read_text(encoding="utf-8")
    assert '<div class="unsc-filter" data-label="Filter the vetoed drafts" markdown>' in vetoes
    assert "[S/2023/773](drafts/S-2023-773.md)" in vetoes


def test_charts_are_accessible_and_reproducible(mini, tmp_path, monkeypatch):
    import unsc.publish.site as site_module

    monkeypatch.setattr(site_module, "MIN_COMPARED", 1)  # the fixture has two drafts a year, not five
    mini.update("votes", {"draft_id": "S/2023/773", "state_id": "JPN"}, vote="abstain")  # an elected member abstains
    docs, _ = generate(mini.root, tmp_path / "a")
    again, _ = generate(mini.root, tmp_path / "b")
    for name in ("coverage.svg", "vetoes.svg", "agreement.svg", "elected.svg"):
        svg = (docs / "assets/charts" / name).read_text(encoding="utf-8")
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg, name
        assert (again / "assets/charts" / name).read_bytes() == (docs / "assets/charts" / name).read_bytes(), name
        width = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))
        assert width < 450, (name, width)  # drawn narrow: legible when scaled to a 390 px screen
    for rel in ("drafts/S-2023-773.md", "members/USA.md", "vetoes.md", "record/2023.md"):
        assert (docs / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_same_data_same_html(built, mini):
    """A second build, through `unsc site build`, gives the same bytes (charts included); the command refuses to
    write the site over the package."""
    from click.testing import CliRunner

    from unsc.cli import main

    again = built.parent / "again"
    r = CliRunner().invoke(main, ["site", "build", "--root", str(mini.root), "--out", str(again)])
    assert r.exit_code == 0, r.output
    sample = ["index.html", "vetoes.html", "charts.html", "drafts/S-2023-773.html", "members/USA.html", "record/2023.html",
              "search/search_index.json", "assets/charts/coverage.svg", "assets/charts/vetoes.svg"]
    for rel in sample:
        assert (built / rel).read_bytes() == (again / rel).read_bytes(), rel
    r = CliRunner().invoke(main, ["site", "build", "--root", str(mini.root), "--out", str(mini.root)])
    assert r.exit_code != 0 and "refusing" in r.output


def test_codebook_pages_name_every_field_in_schema_order(built_full):
    """Each codebook page of the built site has an entry (an anchor with `data-field`) for every field, in order."""
    for name, table in load_contract(ROOT).tables.items():  # the mini package carries the repository's schemas
        page = (built_full / "codebook" / f"{name}.html").read_text(encoding="utf-8")
        assert re.findall(r'data-field="([^"]+)"', page) == table.field_names, name


# ------------------------------------------------------------------ browser
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def chromium() -> str:
    """The system Chromium (skip when absent), checked before the site is built."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not path:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    return path


@pytest.fixture(scope="module")
def built_full(tmp_path_factory):
    """The mini package with the test's situations, built once for the tests that only read the site."""
    from conftest import make_mini

    return _build(make_mini(tmp_path_factory.mktemp("mini")), tmp_path_factory.mktemp("built"), situations=True)


@pytest.fixture
def served(built_full):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_full)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", built_full
    finally:
        server.shutdown()
        server.server_close()


def _links_and_ids(text: str) -> tuple[list[str], set[str]]:
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if a.get("id"):
                self.ids.add(a["id"])
            if tag == "a" and a.get("name"):
                self.ids.add(a["name"])
            for key in ("href", "src"):
                if a.get(key) is not None and tag in ("a", "link", "script", "img"):
                    self.hrefs.append(a[key])

    p = P()
    p.feed(text)
    return p.hrefs, p.ids


def _broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) for every local link that leads to no file, or to an #anchor that is not an id there."""
    from urllib.parse import unquote, urlsplit

    pages = {p.relative_to(site).as_posix(): _links_and_ids(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}
    broken = []
    for rel, (hrefs, _) in pages.items():
        if rel == "404.html":  # the theme's 404 page uses site-absolute links: a server shows it for any missing path
            continue
        for href in hrefs:
            u = urlsplit(href)
            if u.scheme or href.startswith("//"):
                continue
            target = (site / rel).parent / unquote(u.path) if u.path else site / rel
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((rel, href))
                continue
            if u.fragment and target.suffix == ".html":
                ids = pages[target.relative_to(site.resolve()).as_posix()][1]
                if unquote(u.fragment) not in ids:
                    broken.append((rel, href))
    return broken


def test_broken_link_check_catches_breaks(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.html").write_text('<h2 id="here">x</h2><a href="../b.html#nowhere">b</a><a href="gone.html">g</a>'
                                       '<a href="#here">ok</a><a href="https://undocs.org/en/S/2023/773">ok</a>')
    (tmp_path / "b.html").write_text('<a href="a/x.html#here">ok</a>')
    assert sorted(_broken_links(tmp_path)) == [("a/x.html", "../b.html#nowhere"), ("a/x.html", "gone.html")]


def test_every_local_link_and_anchor_resolves(built_full):
    """The crawl's static half: every local link of every page leads to a file, and every #anchor to an id there."""
    site = built_full
    assert _broken_links(site) == []
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert {"drafts/S-2023-773.html", "members/USA.html", "situations/middle-east-palestine.html", "charts.html"} <= pages


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")]


def _search(page, sync_api, query: str):
    if not page.locator("input.md-search__input").is_visible():  # narrow screens hide the box behind an icon
        page.locator("label.md-search__icon").first.click()
    box = page.locator("input.md-search__input")
    box.click()
    # Material says "Initializing search" until its search worker has loaded the index: type only after that
    page.wait_for_function("() => !/Initializing/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')")
    # Material searches on key events, not on a bare value change: clear with keys, so the previous results go
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    results = page.locator(".md-search-result__item")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length === 0")
    page.keyboard.type(query, delay=20)
    results.first.wait_for(timeout=10_000)
    return page.locator(".md-search-result__item a").first.get_attribute("href").split("?")[0]


@pytest.mark.browser
def test_site_in_a_browser(chromium, served, mini):
    from playwright import sync_api

    base, site = served
    contract = load_contract(mini.root)
    every = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    # every page of its own, and the first page of each folder of pages made from one template (a member,
    # a draft, a situation, a year): their scripts and requests are the template's; `test_every_local_link_and_anchor_resolves`
    # reads every page's links and anchors, and `test_codebook_pages_name_every_field_in_schema_order` every
    # codebook page's fields, without a browser.
    seen_folders: set[str] = set()
    pages = []
    for path in every:
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if folder in ("", "codebook") or folder not in seen_folders or path.endswith("/index.html"):
            if folder != "codebook" or path == "codebook/drafts.html":
                pages.append(path)
        seen_folders.add(folder)
    requests, errors = [], []
    violations = {}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(f"{page.url} {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"{page.url} pageerror: {e}"))
            # the crawl: every page loads, without a console error or a request to another host
            audited: set[str] = set()
            checked = ("drafts/", "members/", "situations/", "record/2023", "index", "vetoes", "charts", "coverage", "codebook/drafts")
            for path in pages:
                response = page.goto(base + path, wait_until="load")  # every subresource of the page loaded
                assert response is not None and response.ok, path
                kind = next((k for k in checked if path.startswith(k)), None)
                if kind is not None and kind not in audited:  # one page of each kind: pages of a kind share their template
                    audited.add(kind)
                    found = _axe(page)  # after "load": the page's own scripts have run
                    if found:
                        violations[path] = found
            assert violations == {}

            # the year page shows the per-member votes of S/2023/773 and leads to its page
            page.goto(base + "record/2023.html")
            item = page.locator("li", has=page.locator("#s-2023-773"))
            text = item.inner_text()
            assert "vetoed" in text and "12–1–2" in text
            assert re.search(r"No \(1\): USA", text), text
            item.locator("a[href='../drafts/S-2023-773.html']").click()
            page.wait_for_url(base + "drafts/S-2023-773.html")

            # a draft page: the vote grouped, permanent members marked, links to the documents and to the members
            body = page.locator("article").inner_text()
            assert re.search(r"No\s+State USA \(USA\) \(P\)\s+1", body), body
            assert page.locator("a[href='https://undocs.org/en/S/2023/773']").count() == 1
            page.locator("article a[href='../members/USA.html']").first.click()
            page.wait_for_url(base + "members/USA.html")
            assert "Vetoes" in page.locator("article").inner_text()

            # a situation page lists its drafts
            page.goto(base + "situations/middle-east-palestine.html")
            assert page.locator("article a[href='../drafts/S-2023-773.html']").count() == 1

            # a sortable table: pressing a header reorders the rows; a filter keeps the matching rows
            page.goto(base + "members/index.html")
            first = lambda: page.locator("article table tbody tr").first.inner_text()  # noqa: E731
            header = page.locator("article table thead th button", has_text="Member")
            header.click()
            ascending = first()
            header.click()
            assert first() != ascending
            assert page.locator("article table thead th").first.get_attribute("aria-sort") == "descending"
            page.get_by_label("Filter the members").fill("USA")
            visible = page.locator("article table tbody tr:visible")
            assert visible.count() == 1 and "USA" in visible.first.inner_text()

            # charts stay inside a 390 px screen and a 1,366 px one
            for width in (390, 1366):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(base + "charts.html")
                for img in page.locator("article img.unsc-chart").all():
                    box = img.bounding_box()
                    assert box and 0 < box["width"] <= width and img.evaluate("i => i.naturalWidth") > 0
            page.set_viewport_size({"width": 1280, "height": 900})

            # search finds the draft page and the member page first
            page.goto(base + "index.html")
            assert _search(page, sync_api, "S/2023/773").endswith("drafts/S-2023-773.html")
            assert _search(page, sync_api, "State USA").endswith("members/USA.html")
        finally:
            browser.close()
    assert errors == []
    offsite = sorted({u for u in requests if not re.match(r"^(?:https?|wss?)://127\.0\.0\.1[:/]", u) and not u.startswith(("data:", "blob:", "about:"))})
    assert offsite == []


@pytest.mark.browser
def test_site_from_disk(chromium, built_full):
    """Opened from file://, the pages and their tables work (search needs a server)."""
    from playwright import sync_api

    errors = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((built_full / "drafts/S-2023-773.html").as_uri())
            assert "S/2023/773" in page.locator("h1").inner_text()
            page.locator("article a[href='../members/USA.html']").first.click()
            assert page.url.endswith("members/USA.html")
            page.goto((built_full / "members/index.html").as_uri())
            header = page.locator("article table thead th button", has_text="Member")
            header.click()
            header.click()
            assert page.locator("article table thead th").first.get_attribute("aria-sort") == "descending"
            page.get_by_label("Filter the members").fill("GBR")
            assert page.locator("article table tbody tr:visible").count() == 1
        finally:
            browser.close()
    assert [e for e in errors if "search" not in e] == []  # the search worker cannot load from file://: expected
