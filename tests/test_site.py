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
from unsc.publish.site import build_site, scan_offsite

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


def _build(mini, tmp_path) -> Path:
    (mini.root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", mini.root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", mini.root / "docs")
    # text from the data is escaped: a topic that looks like a table cell and HTML
    mini.update("drafts", {"draft_id": "S/RES/2700 (2023)"}, title="Reports | <b>bold</b> & *stars*")
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
    # deterministic charts: a second build gives the same bytes
    first = (built / "assets/charts/coverage.svg").read_bytes()
    again = build_site(mini.root, built.parent / "site2")
    assert (again.site / "assets/charts/coverage.svg").read_bytes() == first


def test_offsite_scan_catches_loads(tmp_path):
    (tmp_path / "a.html").write_text('<a href="https://undocs.org/en/S/2023/773">ok</a><img src="https://x.org/i.png">'
                                     '<link rel="stylesheet" href="//cdn.example/s.css"><script src="/local.js"></script>')
    (tmp_path / "b.css").write_text("@import 'https://fonts.example/f.css'; a{background:url(data:image/png;base64,AA)}")
    (tmp_path / "c.js").write_text('importScripts("https://cdn.example/w.js"); let s = "https://docs.example/";')
    assert sorted(u for _, u in scan_offsite(tmp_path)) == [
        "//cdn.example/s.css", "https://cdn.example/w.js", "https://fonts.example/f.css", "https://x.org/i.png"]


def test_cli_site_build(mini, tmp_path):
    from click.testing import CliRunner

    from unsc.cli import main

    r = CliRunner().invoke(main, ["site", "build", "--root", str(mini.root), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "index.html").is_file()
    r = CliRunner().invoke(main, ["site", "build", "--root", str(mini.root), "--out", str(mini.root)])
    assert r.exit_code != 0 and "refusing" in r.output


# ------------------------------------------------------------------ browser
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def chromium() -> str:
    """The system Chromium (skip when absent), checked before the site is built."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not path:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    return path


@pytest.fixture
def served(built):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", built
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_site_in_a_browser(chromium, served, mini):
    from playwright import sync_api

    base, site = served
    contract = load_contract(mini.root)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    requests, errors = [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            for path in pages:
                response = page.goto(base + path)
                assert response is not None and response.ok, path
                page.wait_for_load_state("networkidle")

            # the codebook lists every field of every schema
            for name, table in contract.tables.items():
                page.goto(f"{base}codebook/{name}.html")
                shown = page.eval_on_selector_all("[data-field]", "els => els.map(e => e.dataset.field)")
                assert shown == table.field_names, name

            # the year page shows the per-member votes of S/2023/773
            page.goto(base + "record/2023.html")
            item = page.locator("li", has=page.locator("#s-2023-773"))
            text = item.inner_text()
            assert "vetoed" in text and "12–1–2" in text
            assert re.search(r"No \(1\): USA", text), text
            assert re.search(r"Abstain \(2\): GBR RUS", text), text
            assert item.locator("a[href='https://press.un.org/en/2023/sc15462.doc.htm']").count() == 1

            # the search box finds a draft symbol
            page.goto(base + "index.html")
            page.wait_for_load_state("networkidle")
            if not page.locator("input.md-search__input").is_visible():  # narrow screens hide the box behind an icon
                page.locator("label.md-search__icon").first.click()
            box = page.locator("input.md-search__input")
            box.click()
            page.keyboard.type("S/2023/773", delay=20)  # Material searches on key events, not on a bare value change
            results = page.locator(".md-search-result__item")
            try:
                results.first.wait_for(timeout=5_000)
            except sync_api.TimeoutError:  # typed before the search worker was ready: type the last key again
                page.keyboard.press("Backspace")
                page.keyboard.type("3")
                results.first.wait_for(timeout=10_000)
            assert "S/2023/773" in page.locator(".md-search-result").inner_text()
            hit = page.locator(".md-search-result a[href*='record/2023.html']").first
            hit.click()
            page.wait_for_load_state("networkidle")
            assert page.url.startswith(base + "record/2023.html"), page.url
            assert page.locator("#s-2023-773").count() == 1
        finally:
            browser.close()
    assert errors == []
    offsite = sorted({u for u in requests if not re.match(r"^(?:https?|wss?)://127\.0\.0\.1[:/]", u) and not u.startswith(("data:", "blob:", "about:"))})
    assert offsite == []
