"""Responses shared by the server's routes: the page language, HTML and plain-text answers,
and the 404 page."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .describe import LANGUAGES
from .html import messages
from .negotiate import choose, preferred_language

if TYPE_CHECKING:
    from .server import Site

HTML = "text/html"
VARY = "Accept, Accept-Language, Cookie"


def language(request: Request) -> str:
    """``?lang=``, else the ``lang`` cookie, else Accept-Language; English by default."""
    for candidate in (request.query_params.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    return preferred_language(request.headers.get("accept-language"), list(LANGUAGES), "en")


def switch_links(request: Request) -> dict[str, str]:
    """The current page in each language (``?lang=xx`` kept with the other parameters)."""
    links = {}
    for code in LANGUAGES:
        params = dict(request.query_params)
        params["lang"] = code
        links[code] = request.url.path + "?" + urlencode(params)
    return links


def html_response(request: Request, body: str | bytes, status: int = 200) -> Response:
    response = HTMLResponse(body, status_code=status, headers={"Vary": VARY})
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="lax")
    return response


def plain(status: int, message: str, vary: bool = True) -> Response:
    headers = {"Vary": VARY} if vary else {}
    return Response(message + "\n", status_code=status, media_type="text/plain",
                    headers=headers)


def not_found(site: Site, request: Request, iri: str | None = None,
              message: str | None = None) -> Response:
    """404: the same HTML page for a browser wherever the address is (naming the IRI when the
    address stands for one), plain text for other clients."""
    if choose(request.headers.get("accept"), [HTML, "text/plain"]) == HTML:
        lang = language(request)
        body = site.pages.render("error.html", lang, messages()[lang]["not_found"],
                                 status=404, iri=iri, switch=None)
        return html_response(request, body, 404)
    if message is None:
        message = (f"no resource {iri} in this graph" if iri is not None
                   else f"nothing at {request.url.path}")
    return plain(404, message)
