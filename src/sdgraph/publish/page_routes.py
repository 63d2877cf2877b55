"""Page routes: the home page, the label search and the stylesheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from .html import messages
from .responses import HTML, html_response, language, switch_links
from .safety import pylode_stylesheet, stylesheet

if TYPE_CHECKING:
    from .server import Site


async def home(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = language(request)
    body = site.representation("/", HTML, lang, lambda: site.pages.home(
        lang, site.linker, True, switch_links(request)).encode())
    return html_response(request, body)


async def search(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = language(request)
    text = request.query_params.get("q", "")
    hits = [{"iri": iri, "label": label, "lang": hit_lang, "href": site.linker.href(iri),
             "title": site.view.label(iri, lang)}
            for iri, label, hit_lang in site.search(text)]
    body = site.pages.render("search.html", lang, f"{messages()[lang]['search']}: {text}",
                             q=text, hits=hits, switch=switch_links(request))
    return html_response(request, body)


#: How long a browser may keep a stylesheet: they change only with a new version of sdgraph.
STATIC_CACHE = "public, max-age=3600"


async def site_css(request: Request) -> Response:
    """The site's one stylesheet (``static/site.css`` and the goal colour classes)."""
    return Response(stylesheet(), media_type="text/css",
                    headers={"Cache-Control": STATIC_CACHE})


async def pylode_css(request: Request) -> Response:
    """pyLODE's stylesheet, for the ontology page."""
    return Response(pylode_stylesheet(), media_type="text/css",
                    headers={"Cache-Control": STATIC_CACHE})
