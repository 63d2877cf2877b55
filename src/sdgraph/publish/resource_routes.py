"""Routes of the resources the graph describes (``/id/...``, ``/sdg/CODE``, ``/ontology``), in
the representation content negotiation chooses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..namespaces import ONTOLOGY_IRI, SDG
from .describe import RDF_FORMATS, serialize_triples
from .negotiate import choose
from .responses import HTML, VARY, html_response, language, not_found, plain, switch_links

if TYPE_CHECKING:
    from .server import Site

#: Offered representations of a resource, in the server's order of preference.
RESOURCE_TYPES = [HTML] + [RDF_FORMATS[name][0] for name in ("ttl", "jsonld", "nt", "rdf")]
FORMAT_OVERRIDES = {"html": HTML, **{name: media for name, (media, _) in RDF_FORMATS.items()}}


def negotiate(request: Request) -> tuple[str | None, Response | None]:
    """The media type for a resource request, or the error response (400 or 406)."""
    override = request.query_params.get("format")
    if override is not None:
        media = FORMAT_OVERRIDES.get(override)
        if media is None:
            return None, plain(400, f"unknown format '{override}'; use one of "
                               + ", ".join(FORMAT_OVERRIDES))
        return media, None
    media = choose(request.headers.get("accept"), RESOURCE_TYPES)
    if media is None:
        return None, plain(406, "cannot give any of the requested types; available: "
                           + ", ".join(RESOURCE_TYPES))
    return media, None


def alternates(request: Request) -> list[tuple[str, str]]:
    return [(media, f"{request.url.path}?format={name}")
            for name, media in FORMAT_OVERRIDES.items() if media != HTML]


def describe_response(site: Site, request: Request, iri: str) -> Response:
    """A resource in the negotiated representation."""
    media, error = negotiate(request)
    if error is not None:
        return error
    assert media is not None
    if media == HTML:
        lang = language(request)
        body = site.representation(iri, HTML, lang, lambda: site.pages.resource(
            iri, lang, site.linker, True, alternates(request), switch_links(request)).encode())
        return html_response(request, body)
    name = next(n for n, (m, _) in RDF_FORMATS.items() if m == media)
    body = site.representation(iri, media, "", lambda: site.view.serialize(iri, name))
    content_type = media if name == "jsonld" else media + "; charset=utf-8"
    return Response(body, headers={"Content-Type": content_type, "Vary": VARY})


async def resource(request: Request) -> Response:
    site: Site = request.app.state.site
    path = request.url.path.rstrip("/")
    iri = site.settings.root + path.lstrip("/")
    if not site.known(iri):
        return not_found(site, request, iri)
    return describe_response(site, request, iri)


async def sdg(request: Request) -> Response:
    """A UN goal, target or indicator as the graph knows it, with the practices that point at it."""
    site: Site = request.app.state.site
    iri = SDG + request.path_params["code"]
    if not site.known(iri):
        return not_found(site, request, iri)
    return describe_response(site, request, iri)


async def ontology(request: Request) -> Response:
    """The ontology: pyLODE documentation for people, the ontology graph for machines; at
    ``/ontology`` and at the path of its current version IRI (``/ontology/0.1.0``), else 404."""
    site: Site = request.app.state.site
    version = request.path_params.get("version")
    if version is not None and site.view.ontology_version_iri() != ONTOLOGY_IRI + "/" + version:
        return not_found(site, request, message=f"no ontology version '{version}' here; "
                         f"the ontology is at /ontology")
    media, error = negotiate(request)
    if error is not None:
        return error
    if media == HTML:
        from .ontology_docs import ontology_html

        body = site.cached_representation(ONTOLOGY_IRI, HTML, "")
        if body is None:
            # pyLODE takes a second or more: in a thread, so that other requests go on meanwhile.
            rendered = await anyio.to_thread.run_sync(lambda: ontology_html(
                site.view.ontology_triples()).encode())
            body = site.representation(ONTOLOGY_IRI, HTML, "", lambda: rendered)
        return HTMLResponse(body, headers={"Vary": VARY})
    assert media is not None
    name = next(n for n, (m, _) in RDF_FORMATS.items() if m == media)
    body = site.representation(ONTOLOGY_IRI, media, "", lambda: serialize_triples(
        site.view.ontology_triples(), name))
    content_type = media if name == "jsonld" else media + "; charset=utf-8"
    return Response(body, headers={"Content-Type": content_type, "Vary": VARY})
