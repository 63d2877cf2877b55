"""The ``.htaccess`` of a static release: Apache mod_rewrite rules, in the style w3id.org uses,
that serve each resource folder's ``index.html``, ``index.ttl``, ``index.jsonld``, ``index.nt``
or ``index.rdf`` by the Accept header (or by ``?format=``), the ontology files likewise, and the
release's VoID/DCAT description for the dataset IRIs.

The release folder is meant to be served where ``https://w3id.org/sdgraph/`` redirects to, so
that the path of a request is the part of the IRI after ``https://w3id.org/sdgraph/``:

* ``id/X`` -> ``id/X/index.*``; ``ontology`` and ``ontology/VERSION`` -> the ontology files;
* ``dataset`` and ``dataset/X.Y.Z...`` (this version, its distributions and partitions) ->
  ``void.ttl`` or ``void.jsonld`` (HTML asks get the home page, which links to both);
  ``dataset/A.B.C...`` of another version -> ``releases/A.B.C/void.*``, where an older release
  is kept;
* ``releases/X.Y.Z/...`` (the download URLs that the VoID states) -> the files of this release.

mod_rewrite matches media types as text and cannot weigh q-values: the rules give HTML to any
client that names ``text/html`` (every browser does), else the first RDF type it names in the
order Turtle, JSON-LD, N-Triples, RDF/XML, else HTML; an Accept header that names none of the
types on offer nor a wildcard gets 406.
"""

from __future__ import annotations

import re

from .safety import security_headers
from .void import UN_SDG_DATASET

#: Resource file suffix -> (format name for ?format=, media type, Accept pattern).
RESOURCE_FILES = [
    ("html", "html", "text/html", r"text/html"),
    ("ttl", "ttl", "text/turtle", r"text/turtle"),
    ("jsonld", "jsonld", "application/ld+json", r"application/ld\+json"),
    ("nt", "nt", "application/n-triples", r"application/n-triples"),
    ("rdf", "rdf", "application/rdf+xml", r"application/rdf\+xml"),
]
#: Ontology file -> (format name, Accept pattern).
ONTOLOGY_FILES = [
    ("index.html", "html", r"text/html"),
    ("sdgraph.ttl", "ttl", r"text/turtle"),
    ("sdgraph.jsonld", "jsonld", r"application/ld\+json"),
    ("sdgraph.nt", "nt", r"application/n-triples"),
    ("sdgraph.rdf", "rdf", r"application/rdf\+xml"),
]
#: Description of the dataset -> (format name, Accept pattern); the HTML is the home page.
DATASET_FILES = [
    ("index.html", "html", r"text/html"),
    ("void.ttl", "ttl", r"text/turtle"),
    ("void.jsonld", "jsonld", r"application/ld\+json"),
]
WILDCARDS = r"\*/\*|text/\*|application/\*"


def acceptable(patterns: list[str]) -> str:
    """A pattern that matches an Accept header naming one of ``patterns`` or a wildcard."""
    return "(" + "|".join([*patterns, WILDCARDS]) + ")"


def htaccess(version: str, ontology_version: str) -> str:
    """The ``.htaccess`` text for the release root."""
    resource = r"^(id/.+?)/?$"
    escaped = re.escape(ontology_version)
    ontology = rf"^ontology(/{escaped})?/?$"
    target = f"ontology/{ontology_version}"
    this = re.escape(version)
    described = "|".join(re.escape(name) for name in (version, UN_SDG_DATASET.rsplit("/", 1)[1]))
    dataset = rf"^dataset(/({described})(/.*)?)?/?$"
    other = r"^dataset/(\d+\.\d+\.\d+)(/.*)?$"
    lines = [
        f"# sdgraph release {version}: content negotiation for every resource, the ontology",
        "# and the dataset's description. Serve this folder where https://w3id.org/sdgraph/",
        "# redirects to. Needs Apache httpd 2.4 with mod_rewrite (and mod_headers for Vary).",
        "Options -MultiViews -Indexes",
        "DirectoryIndex index.html",
        "AddType text/html .html",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        "AddType application/n-triples .nt",
        "AddType application/rdf+xml .rdf",
        "AddType application/trig .trig",
        "AddType text/markdown .md",
        "AddType text/css .css",
        "AddCharset utf-8 .html .ttl .nt .trig .md .css",
        "<IfModule mod_headers.c>",
        "Header merge Vary Accept",
        "# The security headers of sdgraph serve (see docs/security.md).",
        *[f'Header always set {name} "{value}"' for name, value in security_headers().items()],
        "</IfModule>",
        "RewriteEngine On",
        "",
        "# The versioned URLs of this release (the download URLs of its VoID) are its own files.",
        rf"RewriteRule ^releases/{this}/(.*)$ $1 [L]",
        "",
        "# Files are served as they are.",
        "RewriteCond %{REQUEST_FILENAME} -f",
        "RewriteRule ^ - [END]",
        "",
        "# ?format= overrides the Accept header.",
    ]
    for suffix, name, _, _ in RESOURCE_FILES:
        lines += [f"RewriteCond %{{QUERY_STRING}} (^|&)format={name}(&|$)",
                  f"RewriteRule {resource} $1/index.{suffix} [END]"]
    for filename, name, _ in ONTOLOGY_FILES:
        lines += [f"RewriteCond %{{QUERY_STRING}} (^|&)format={name}(&|$)",
                  f"RewriteRule {ontology} {target}/{filename} [END]"]
    for filename, name, _ in DATASET_FILES:
        lines += [f"RewriteCond %{{QUERY_STRING}} (^|&)format={name}(&|$)",
                  f"RewriteRule {dataset} {filename} [END]"]
    lines += ["", "# Nothing acceptable: 406."]
    for prefix, patterns in ((r"^(id/|ontology)", [p for *_, p in RESOURCE_FILES]),
                             ("^dataset(/|$)", [p for *_, p in DATASET_FILES])):
        lines += ["RewriteCond %{HTTP_ACCEPT} !^$",
                  f"RewriteCond %{{HTTP_ACCEPT}} !{acceptable(patterns)} [NC]",
                  f"RewriteRule {prefix} - [R=406,L]"]
    lines += ["", "# Browsers name text/html: they get the page."]
    lines += [r"RewriteCond %{HTTP_ACCEPT} text/html [NC]",
              f"RewriteRule {resource} $1/index.html [END]",
              r"RewriteCond %{HTTP_ACCEPT} text/html [NC]",
              f"RewriteRule {ontology} {target}/index.html [END]",
              r"RewriteCond %{HTTP_ACCEPT} text/html [NC]",
              f"RewriteRule {dataset} index.html [END]",
              "", "# Machines get the first RDF type they name."]
    for suffix, _, _, pattern in RESOURCE_FILES[1:]:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern} [NC]",
                  f"RewriteRule {resource} $1/index.{suffix} [END]"]
    for filename, _, pattern in ONTOLOGY_FILES[1:]:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern} [NC]",
                  f"RewriteRule {ontology} {target}/{filename} [END]"]
    for filename, _, pattern in DATASET_FILES[1:]:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern} [NC]",
                  f"RewriteRule {dataset} {filename} [END]"]
    lines += ["", "# Anything else (*/*, no Accept header): the page; the dataset's Turtle.",
              f"RewriteRule {resource} $1/index.html [END]",
              f"RewriteRule {ontology} {target}/index.html [END]",
              f"RewriteRule {dataset} void.ttl [END]",
              "", "# Another version's dataset IRIs: its description, where that release is kept",
              "# (in releases/A.B.C/ beside this one)."]
    for filename, _, pattern in DATASET_FILES:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern} [NC]",
                  f"RewriteRule {other} releases/$1/{filename} [END]"]
    lines += [f"RewriteRule {other} releases/$1/void.ttl [END]", ""]
    return "\n".join(lines)
