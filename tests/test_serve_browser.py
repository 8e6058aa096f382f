"""`rashomon serve` driven in headless Chromium (Playwright with Debian's chromium).

The server runs on loopback over a copy of the bundled examples' store. The browser
searches, filters, clicks a tie, uploads an article and a hostile one; every page is
screenshotted to tests/screenshots/serve-*.png (git-ignored) and must load nothing
from outside the server and log no error. Without chromium (and no root to install
it) the tests skip with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from serve_helpers import HOSTILE, copy_store, example_store, running_server

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api")

from rashomon.serve import create_app  # noqa: E402

SCREENSHOTS = Path(__file__).parent / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-browser")
    db = copy_store(example_store(tmp_path_factory.mktemp("serve-store")), root)
    with running_server(create_app(db, upload_dir=root / "uploads")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield b
        b.close()


class Watched:
    """A page that records console errors, page errors and every request's host."""

    def __init__(self, browser, base_url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.base = base_url
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        host = urlparse(base_url).netloc
        self.page.on("request", lambda r: self.foreign.append(r.url)
                     if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                     and urlparse(r.url).netloc != host else None)

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_selector('body[data-ready="1"]')
        return self.page

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign


@pytest.fixture()
def watched(browser, base_url):
    w = Watched(browser, base_url)
    yield w
    w.page.close()


PAGES = [("overview", "/", "main h1"), ("network", "/network", "svg.network .tie"),
         ("timeline", "/timeline", "svg.timeline circle.dot"),
         ("map", "/map", "svg.map .country-shape"), ("events", "/events", "tr.event"),
         ("claims", "/claims", "tr.claim"), ("actors", "/actors", "tbody tr"),
         ("actor", "/actors/iran", "tr.event"), ("documents", "/documents", "tbody tr"),
         ("document", "/documents/tw-20140610-mosul", ".doctext mark.ev"),
         ("search", "/search?q=Mosul", "ol.hits li"), ("outlets", "/outlets", "tbody tr"),
         ("add", "/add", "form#add")]


@pytest.mark.parametrize("name, path, ready", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_renders_offline_without_errors(watched, name, path, ready):
    page = watched.open(path)
    page.wait_for_selector(ready, timeout=30_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / f"serve-{name}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    watched.check()


def test_search_finds_an_article(watched):
    page = watched.open("/")
    page.fill("form.search input[name=q]", "Mosul")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector("ol.hits li")
    first = page.locator("ol.hits li").first
    assert "mosul" in first.locator("mark").inner_text().lower()
    first.locator("a").click()
    page.wait_for_selector(".doctext")
    assert "Mosul" in page.inner_text(".doctext")
    watched.check()


def test_filtering_events_by_actor_narrows_the_list(watched):
    page = watched.open("/events")
    total = _count(page)
    page.fill("#f-actor", "Iran")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"actor=Iran"))
    narrowed = _count(page)
    assert 0 < narrowed < total
    rows = page.locator("tr.event")
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        assert cells.nth(2).inner_text() != "—" or cells.nth(3).inner_text() != "—"
    watched.check()


def _count(page) -> int:
    text = page.inner_text("p.count")
    match = re.search(r"of (\d+)", text) or re.search(r"(\d+) result", text)
    assert match, text
    return int(match.group(1))


def test_clicking_a_tie_shows_its_evidence(watched):
    page = watched.open("/network")
    page.wait_for_selector("svg.network .tie")
    page.locator("svg.network .tie").first.dispatch_event("click")
    page.wait_for_selector("#detail .evidence-list li a")
    link = page.locator("#detail .evidence-list li a").first
    href = link.get_attribute("href")
    assert href.startswith("/documents/") and "#span-" in href
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "serve-network-tie.png"), full_page=True)
    # Moving the slider shows another period.
    before = page.inner_text("#period-label")
    page.eval_on_selector("#period", "s => { s.value = '0'; s.dispatchEvent(new Event('input')); }")
    page.wait_for_function("b => document.querySelector('#period-label').textContent !== b",
                           arg=before)
    link_page = watched.open(href)
    anchor = href.split("#", 1)[1]
    assert link_page.evaluate("id => !!document.getElementById(id)", anchor)
    watched.check()


def test_timeline_brushing_lists_the_events_of_a_span(watched):
    page = watched.open("/timeline")
    page.wait_for_selector("svg.timeline circle.dot")
    box = page.locator("svg.timeline").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.16, box["y"] + box["height"] * 0.4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, box["y"] + box["height"] * 0.4, steps=5)
    page.mouse.up()
    page.wait_for_selector("#detail .evidence-list li")
    assert page.locator("#detail .evidence-list li").count() > 0
    before = page.inner_text(".controls .meta")
    page.click("button[aria-label='zoom in']")
    assert page.inner_text(".controls .meta") != before
    watched.check()


def test_map_markers_open_their_events(watched):
    page = watched.open("/map")
    page.wait_for_selector("svg.map .marker")
    page.locator("svg.map .marker").first.dispatch_event("click")
    page.wait_for_selector("#detail .evidence-list li a")
    assert "/documents/" in page.locator("#detail .evidence-list li a").first.get_attribute(
        "href")
    watched.check()


def test_uploading_an_article_makes_it_appear_analysed(watched):
    page = watched.open("/add")
    page.fill("#title", "Browser dispatch on Basra talks")
    page.fill("#outlet", "Test Wire")
    page.fill("#published", "2021-05-04")
    page.fill("textarea[name=text]", "Iraqi forces attacked militia positions near Basra on "
              "Monday, the defence ministry said. Iran condemned the raid.")
    page.click("form#add button")
    page.wait_for_selector('.job[data-state="done"] a', timeout=180_000)
    page.locator('.job[data-state="done"] a').first.click()
    page.wait_for_selector(".doctext")
    assert page.inner_text("main h1") == "Browser dispatch on Basra talks"
    assert page.locator(".doctext mark.mn").count() > 0
    assert page.locator(".doctext mark.ev").count() > 0
    watched.check()


def test_a_bad_upload_shows_its_reason(watched):
    page = watched.open("/add")
    page.set_input_files("input[name=files]", files=[
        {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}])
    page.click("form#add button")
    page.wait_for_selector(".job.error")
    assert "unsupported file type" in page.inner_text(".job.error")


def test_a_hostile_articles_script_never_runs(watched):
    page = watched.open("/add")
    page.set_input_files("input[name=files]", files=[
        {"name": "hostile.txt", "mimeType": "text/plain", "buffer": HOSTILE.encode()}])
    page.click("form#add button")
    page.wait_for_selector('.job[data-state="done"] a', timeout=180_000)
    page.locator('.job[data-state="done"] a').first.click()
    page.wait_for_selector(".doctext")
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # Cleaning takes HTML elements out of the text; a tag-like word that is left
    # (here "<basra onclick=...>") must show as text, never become an element.
    assert '<basra onclick="window.__pwned = 4">' in page.inner_text(".doctext")
    assert page.locator(".doctext basra").count() == 0
    assert page.locator(".doctext script, .doctext img, .doctext svg").count() == 0
    assert page.locator("main h1 *").count() == 0  # the title is text too
    search = watched.open("/search?q=pwned")
    assert search.evaluate("typeof window.__pwned") == "undefined"
    SCREENSHOTS.mkdir(exist_ok=True)
    search.screenshot(path=str(SCREENSHOTS / "serve-hostile-search.png"))
