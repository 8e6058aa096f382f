"""Tests for rashomon.report: escaping, structure, evidence links, and a headless browser run.

The browser tests use Debian's ``chromium``. When it is missing they install it
with apt-get if running as root, else skip with the reason. Screenshots of every
view are written to tests/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import assert_view_renders, console_lines, run_chromium
from test_relations import XSS, synthetic_analysis

from rashomon.report import write_report
from rashomon.report.figures import map_svg, timeline_svg
from rashomon.report.highlight import Span, highlight
from rashomon.report.markup import anchor, script_json
from rashomon.report.views import VIEWS
from rashomon.types import Analysis, Document

SCREENSHOTS = Path(__file__).parent / "screenshots"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    analysis = synthetic_analysis()
    analysis.documents[0].text += " {{data}} {{js}}"  # template markers inside an article
    return write_report(analysis, tmp_path_factory.mktemp("report") / "out" / "report.html")


@pytest.fixture(scope="module")
def page(report) -> str:
    return report.read_text(encoding="utf-8")


def test_article_markup_is_escaped_never_live(page):
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tags = parse(page)
    assert [t for t, _ in tags.tags].count("script") == 2
    assert not any(name.startswith("on") for _, attrs in tags.tags for name in attrs)
    assert not any(t == "img" for t, _ in tags.tags)
    assert "alert" not in "".join(tags.scripts)
    # the actor name with markup is text, in the page and in the JSON the script reads
    assert 'Peshmerga &lt;b&gt;&quot;Kurdish&quot;&lt;/b&gt;' in page
    assert '<b>"Kurdish"' not in page


def test_template_markers_in_articles_stay_text(page):
    assert "{{data}} {{js}}" in page
    assert page.count('id="rashomon-data"') == 1


def test_script_json_cannot_close_the_script():
    nasty = {"x": "</script><!-- <script>alert(1)</script> & done"}
    text = script_json(nasty)
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert json.loads(text) == nasty


def test_embedded_data_round_trips(page):
    tags = parse(page)
    data = json.loads(tags.scripts[0])
    assert data["actors"]["peshmerga"]["name"] == 'Peshmerga <b>"Kurdish"</b>'
    assert any(key.startswith("graph-direct") for key in data["graphs"])
    ids = {attrs.get("id") for _, attrs in tags.tags}
    assert all(tie[4] in ids for ties in data["graphs"].values() for tie in ties)


def test_no_external_resources(page):
    tags = parse(page)
    for tag, attrs in tags.tags:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#"), (tag, href)
        assert tag not in ("link", "iframe", "object", "embed", "img")
    assert not re.search(r"@import|url\(", page)
    assert "default-src 'none'" in page  # CSP: even a slip could not load anything


def test_all_views_present(page):
    ids = [attrs.get("id") for tag, attrs in parse(page).tags if tag == "section"]
    assert ids == [key for key, _ in VIEWS]


def test_every_internal_link_resolves(page):
    tags = parse(page)
    ids = [attrs["id"] for _, attrs in tags.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    targets = {attrs["href"][1:] for _, attrs in tags.tags if attrs.get("href", "")[:1] == "#"}
    assert targets - set(ids) == set()


def test_figures_link_to_evidence(page):
    # network ties -> relation rows; timeline dots -> event rows; map -> place rows;
    # event rows -> spans in the document view
    assert re.search(r'<a href="#rel-direct_7c_2020_7c_iran_7c_usa"><line', page)
    assert '<a href="#ev-e10"><circle class="dot material_conflict"' in page
    assert '<a href="#place-Baghdad"><circle class="place"' in page
    assert '<a href="#span-ev-e10">' in page and 'id="span-ev-e10"' in page
    assert 'id="span-cl-c3"' in page


def test_network_shows_camps_frustration_and_rolled_up_view(page):
    assert "2020 — direct" in page and "rolled up via affiliations" in page
    assert "Frustration:" in page and "partition" in page


def test_outlet_view_content(page):
    outlets = page[page.index('id="outlets"'):page.index('id="documents"')]
    assert 'class="coverage compact"' in outlets and "Blind spots" in outlets
    assert "reports it denied" in outlets and "Iran denying" in outlets
    assert "Words for actors" in outlets and "Sources quoted" in outlets


def test_incidents_view_is_read_first(page):
    assert VIEWS[0][0] == "incidents"
    incidents = page[page.index('id="incidents"'):page.index('id="overview"')]
    assert 'class="incident"' in incidents and 'class="tellings"' in incidents
    # The strike told by two outlets is one card, its cells linked to the sentences.
    assert "told by 2 documents" in incidents and 'href="#span-ev-e12"' in incidents
    assert 'class="diff"' in incidents  # the tellings differ somewhere (a denial)


@pytest.fixture(scope="module")
def articles_report(tmp_path_factory) -> Path:
    """A report on the short articles of test_incidents, with their outlet registry."""
    from test_incidents import ARTICLES, REGISTRY

    import rashomon
    from rashomon.outlet_registry import use_registry

    folder = tmp_path_factory.mktemp("articles")
    (folder / "outlets.yaml").write_text(REGISTRY, encoding="utf-8")
    use_registry([folder / "outlets.yaml"])
    try:
        analysis = rashomon.analyze([dict(a) for a in ARTICLES])
        return write_report(analysis, folder / "report.html")
    finally:
        use_registry([])


def test_articles_report_shows_contradiction_and_blind_spot(articles_report):
    page = articles_report.read_text(encoding="utf-8")
    incidents = page[page.index('id="incidents"'):page.index('id="overview"')]
    assert "perpetrator" in incidents and "United States" in incidents
    assert "Kata&#x27;ib Hezbollah" in incidents or "Kataib Hezbollah" in incidents
    outlets = page[page.index('id="outlets"'):page.index('id="documents"')]
    assert 'class="blind"' in outlets and "gulf" in outlets


def test_anchor_keeps_distinct_ids_distinct():
    assert anchor("ev", "a b") != anchor("ev", "a_b") != anchor("ev", "a_20_b")
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", anchor("ev", '"><script>'))


def test_highlight_overlapping_spans_escapes_and_anchors():
    text = "A <b> strikes B"
    spans = [Span(0, 1, "mn", "0", "A"), Span(0, 15, "cl", "c1", "claim <x>"),
             Span(6, 13, "ev", "e1", "event")]
    out = highlight(text, spans)
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert out.count('class="anchor"') == 3
    assert '<mark class="cl mn" title="A; claim &lt;x&gt;">A</mark>' in out
    assert '<mark class="cl ev"' in out


def test_empty_figures_and_empty_analysis(tmp_path):
    assert "No dated events" in timeline_svg([])
    assert "No event has a place" in map_svg([])
    path = write_report(Analysis(documents=[Document("d", "Nothing happened.")]),
                        tmp_path / "empty.html")
    assert "No relations." in path.read_text(encoding="utf-8")


# --- browser -----------------------------------------------------------------------------


def test_console_check_catches_errors(chromium, tmp_path):
    """The harness itself: a page that throws must be caught, or the next test proves nothing."""
    bad = tmp_path / "bad.html"
    bad.write_text("<script>notDefined();</script>", encoding="utf-8")
    result = run_chromium(chromium, bad.as_uri(), tmp_path, "--dump-dom")
    assert any("notDefined" in line for line in console_lines(result.stderr))


def test_report_runs_in_browser_without_errors(chromium, report, tmp_path):
    result = run_chromium(chromium, report.as_uri() + "#outlets", tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    dom = parse(result.stdout)
    body = next(attrs for tag, attrs in dom.tags if tag == "body")
    assert body.get("data-ready") == "1"  # the script ran to the end
    active = [attrs.get("id") for tag, attrs in dom.tags
              if tag == "section" and "active" in (attrs.get("class") or "")]
    assert active == ["outlets"]
    assert [t for t, _ in dom.tags].count("script") == 2
    assert not any(name.startswith("on") for _, attrs in dom.tags for name in attrs)


@pytest.mark.parametrize("view", [key for key, _ in VIEWS] + ["ev-e10", "span-cl-c6"])
def test_screenshot_each_view(chromium, report, tmp_path, view):
    SCREENSHOTS.mkdir(exist_ok=True)
    assert_view_renders(chromium, report, view, SCREENSHOTS / f"{view}.png", tmp_path)


@pytest.mark.parametrize("view", ["incidents", "outlets", "documents"])
def test_screenshot_comparison_views_of_articles(chromium, articles_report, tmp_path, view):
    SCREENSHOTS.mkdir(exist_ok=True)
    assert_view_renders(chromium, articles_report, view,
                        SCREENSHOTS / f"articles-{view}.png", tmp_path)
