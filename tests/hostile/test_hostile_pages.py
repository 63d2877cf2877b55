"""Stored XSS, rendering side: whatever IRIs and labels the store holds, pages of the server
and of a static release link only to http(s) IRIs, hold no inline style, and every response
carries a strict Content-Security-Policy and the other security headers; the release notes
escape labels."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from hostile_data import DATA, HOSTILE_LABEL, JAVASCRIPT, PRACTICE_PATH, VBSCRIPT

from sdgraph.project import Project
from sdgraph.publish.notes import md_iri, md_text
from sdgraph.publish.release import release

HREF = re.compile(r'\b(?:href|src|action)="([^"]*)"', re.IGNORECASE)
UNSAFE = ("javascript:", "data:", "vbscript:")


@pytest.fixture(scope="module")
def client(hostile_server: str):
    with httpx.Client(base_url=hostile_server, timeout=60) as http:
        yield http


@pytest.fixture(scope="module")
def released(hostile_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release(hostile_project, "1.0.0",
                   out=tmp_path_factory.mktemp("release") / "1.0.0").folder


def assert_safe_html(text: str) -> None:
    """No link, source or form target of an unsafe scheme; no inline style or script."""
    for target in HREF.findall(text):
        assert not target.strip().lower().startswith(UNSAFE), target
    assert "<style" not in text.lower()
    assert not re.search(r"\sstyle\s*=", text, re.IGNORECASE)
    # A JSON-LD data block (the ontology page's) is data, never run.
    assert "<script" not in re.sub(r'<script[^>]*type="application/ld\+json"', "", text.lower())
    assert "<img" not in text  # the hostile label stays text


def test_a_practice_page_links_no_unsafe_iri(client: httpx.Client) -> None:
    page = client.get(PRACTICE_PATH, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert_safe_html(page.text)
    # The unsafe IRIs are still shown, as text.
    for iri in (JAVASCRIPT, DATA, VBSCRIPT):
        assert iri in page.text


def test_a_label_is_text_on_every_page(client: httpx.Client) -> None:
    for path in ("/id/city/hostileville", "/search?q=onerror", PRACTICE_PATH):
        page = client.get(path, headers={"Accept": "text/html"})
        assert_safe_html(page.text)
    assert "&lt;img src=x onerror=" in client.get("/id/city/hostileville").text


@pytest.mark.parametrize("path,accept", [
    ("/", "text/html"), (PRACTICE_PATH, "text/html"), (PRACTICE_PATH, "text/turtle"),
    ("/ontology", "text/html"), ("/queries", "text/html"),
    ("/queries/cities-per-edition?run=1", "text/html"), ("/sparql", "text/html"),
    ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
    ("/no/such/page", "text/html"), ("/id/practice/tiny-bikes/", "text/html"),
    ("/static/site.css", "text/css"), ("/search?q=bike", "text/html"),
])
def test_every_response_carries_the_security_headers(client: httpx.Client, path: str,
                                                     accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    policy = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["style-src"] == ["'self'"]
    assert "script-src" not in directives  # default-src 'none': no script at all
    assert "'unsafe-inline'" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_pages_style_from_the_site_stylesheet_only(client: httpx.Client) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ".goal-11 { background: #FD9D24; }" in css.text
    sdg = client.get("/sdg/11", headers={"Accept": "text/html"}).text
    assert '<span class="chip goal-11"></span>' in sdg
    assert '<link rel="stylesheet" href="/static/site.css">' in sdg
    ontology = client.get("/ontology", headers={"Accept": "text/html"}).text
    assert_safe_html(ontology)
    assert '<link rel="stylesheet" href="/static/pylode.css">' in ontology
    assert client.get("/static/pylode.css").status_code == 200


def test_release_pages_link_no_unsafe_iri(released: Path) -> None:
    pages = sorted(released.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert_safe_html(text)
        assert 'http-equiv="Content-Security-Policy"' in text
    practice = (released / "id/practice/tiny-bikes/index.html").read_text(encoding="utf-8")
    assert JAVASCRIPT in practice
    assert '<link rel="stylesheet" href="../../../static/site.css">' in practice
    assert len(re.findall(r"^\.goal-\d+ ", (released / "static/site.css").read_text(), re.M)) == 17
    assert (released / "ontology/pylode.css").is_file()
    htaccess = (released / ".htaccess").read_text(encoding="utf-8")
    assert "Header always set Content-Security-Policy \"default-src 'none';" in htaccess
    assert 'Header always set X-Content-Type-Options "nosniff"' in htaccess


def test_release_notes_escape_labels_and_iris(released: Path) -> None:
    notes = (released / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert md_text(HOSTILE_LABEL) in notes
    assert HOSTILE_LABEL not in notes
    assert "<img" not in notes and "<javascript:" not in notes and "<vbscript:" not in notes
    assert f"{md_iri(VBSCRIPT)}" in notes or VBSCRIPT not in notes


def test_markdown_escaping() -> None:
    assert md_text("a <b> & [c](d) *e* | f\ng") == (
        r"a &lt;b&gt; &amp; \[c\]\(d\) \*e\* \| f g")
    assert md_iri("https://example.org/x") == "<https://example.org/x>"
    assert md_iri("javascript:alert(1)") == "` javascript:alert(1) `"
    assert md_iri("data:a`b") == "`` data:a`b ``"


def test_an_internal_error_carries_the_security_headers(hostile_project: Project,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import anyio

    from sdgraph.publish.server import Settings, Site, application

    async def get_home(app) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.get("/")

    site = Site(hostile_project, Settings(workers=1, in_memory=False))
    try:
        def broken(*args, **kwargs):
            raise RuntimeError("a defect")

        monkeypatch.setattr(site.pages, "home", broken)
        response = anyio.run(get_home, application(site))
        assert response.status_code == 500
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
    finally:
        site.close()


def test_the_ontology_page_keeps_no_inline_style() -> None:
    from sdgraph.publish.ontology_docs import without_inline_styles

    page = ('<html><head><style>body {}</style><link href="data:image/png;base64,AA" rel="icon">'
            '</head><body></body></html>')
    out = without_inline_styles(page, "pylode.css", "default-src 'none'")
    assert "<style" not in out and "data:" not in out
    assert '<link rel="stylesheet" href="pylode.css">' in out
    assert ('<meta http-equiv="Content-Security-Policy" '
            'content="default-src &#x27;none&#x27;">') in out
