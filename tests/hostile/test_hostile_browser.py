"""Stored XSS in a real browser: Debian's Chromium (through Playwright) opens pages made from a
store holding ``javascript:``, ``data:`` and ``vbscript:`` IRIs and a label written as markup,
on the live server and in a static release served over HTTP, clicks every link, and checks
that no script runs (no dialog, no page error) and that the browser reports no
Content-Security-Policy violation (so the site's own stylesheets and forms obey the policy).

Requests to other hosts are answered by the test itself, so that the browser never reaches
the network.
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading

import pytest
from hostile_data import JAVASCRIPT, PRACTICE_PATH
from test_browser import CHROMIUM, FLAGS, require_browser

from sdgraph.project import Project
from sdgraph.publish.release import release


class Watch:
    """What a page did that it must not: dialogs (a script ran), page errors, and console
    messages about the Content-Security-Policy."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.violations: list[str] = []

    def attach(self, page) -> None:
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.violations.append(m.text)
                if "Content Security Policy" in m.text or "Refused to" in m.text else None)

    def clean(self) -> bool:
        return not (self.dialogs or self.errors or self.violations)


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sdgraph-chromium-") as profile, \
            sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS, locale="en-GB")
        yield context
        context.close()


@pytest.fixture(scope="module")
def release_site(hostile_project: Project, tmp_path_factory: pytest.TempPathFactory):
    """The static release of the hostile store, served over HTTP as a web server would."""
    folder = release(hostile_project, "1.0.0",
                     out=tmp_path_factory.mktemp("browser-release") / "1.0.0").folder
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass


def click_every_link(context, start: str) -> tuple[Watch, int]:
    """Open ``start``, then click each of its links in turn (from a fresh load of ``start``);
    of several links to the same address, the first is clicked."""
    origin = start.split("/", 3)[:3]
    own = "/".join(origin)

    def route(request_route) -> None:
        if request_route.request.url.startswith(own):
            request_route.continue_()
        else:  # another host: answered here, never fetched
            request_route.fulfill(status=200, content_type="text/html",
                                  body="<!DOCTYPE html><title>elsewhere</title>")

    watch = Watch()
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch.attach(page)
    page.route("**/*", route)
    page.goto(start)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    firsts = [i for i, href in enumerate(hrefs) if href not in hrefs[:i]]
    for index in firsts:
        page.goto(start)
        link = page.locator("a[href]").nth(index)
        if link.is_visible():
            link.click()
        else:  # the SVG chart's bars and the like: followed the same way
            link.dispatch_event("click")
        page.wait_for_load_state()
    page.close()
    return watch, len(firsts)


def test_server_pages_run_no_script_and_break_no_policy(browser, hostile_server: str) -> None:
    for path in (PRACTICE_PATH, "/id/city/hostileville"):
        watch, count = click_every_link(browser, hostile_server + path)
        assert count > 3
        assert watch.clean(), (path, watch.dialogs, watch.errors, watch.violations)


def test_the_unsafe_iris_are_text_in_the_browser(browser, hostile_server: str) -> None:
    page = browser.new_page()
    page.goto(hostile_server + PRACTICE_PATH)
    assert page.locator(f'a[href="{JAVASCRIPT}"]').count() == 0
    assert page.get_by_text(JAVASCRIPT).count() >= 1
    # The stylesheet applied: the header has the site's colour, set only in site.css.
    colour = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert colour == "rgb(25, 72, 106)"
    page.close()


def test_release_pages_run_no_script_and_break_no_policy(browser, release_site: str) -> None:
    for path in ("/id/practice/tiny-bikes/index.html", "/id/city/hostileville/index.html"):
        watch, count = click_every_link(browser, release_site + path)
        assert count > 3
        assert watch.clean(), (path, watch.dialogs, watch.errors, watch.violations)
