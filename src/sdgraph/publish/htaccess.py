"""The ``.htaccess`` of a static release: Apache mod_rewrite rules, in the style w3id.org uses,
that serve each resource folder's ``index.html``, ``index.ttl``, ``index.jsonld`` or
``index.nt`` by the Accept header (or by ``?format=``), and the ontology files likewise.

mod_rewrite matches media types as text and cannot weigh q-values: the rules give HTML to any
client that names ``text/html`` (every browser does), else the first RDF type it names in the
order Turtle, JSON-LD, N-Triples, RDF/XML, else HTML; an Accept header that names none of them
nor a wildcard gets 406.
"""

from __future__ import annotations

import re

#: Resource file suffix -> (format name for ?format=, media type, Accept pattern).
RESOURCE_FILES = [
    ("html", "html", "text/html", r"text/html"),
    ("ttl", "ttl", "text/turtle", r"text/turtle"),
    ("jsonld", "jsonld", "application/ld+json", r"application/ld\+json"),
    ("nt", "nt", "application/n-triples", r"application/n-triples"),
]
#: Ontology file -> (format name, Accept pattern).
ONTOLOGY_FILES = [
    ("index.html", "html", r"text/html"),
    ("sdgraph.ttl", "ttl", r"text/turtle"),
    ("sdgraph.jsonld", "jsonld", r"application/ld\+json"),
    ("sdgraph.nt", "nt", r"application/n-triples"),
    ("sdgraph.rdf", "rdf", r"application/rdf\+xml"),
]
ANY_KNOWN = (r"(text/html|text/turtle|application/ld\+json|application/n-triples|"
             r"application/rdf\+xml|\*/\*|text/\*|application/\*)")


def htaccess(version: str, ontology_version: str) -> str:
    """The ``.htaccess`` text for the release root."""
    resource = r"^(id/.+?)/?$"
    escaped = re.escape(ontology_version)
    ontology = rf"^ontology(/{escaped})?/?$"
    target = f"ontology/{ontology_version}"
    lines = [
        f"# sdgraph release {version}: content negotiation for every resource and the ontology.",
        "# Needs Apache httpd 2.4 with mod_rewrite (and mod_headers for Vary).",
        "Options -MultiViews",
        "DirectoryIndex index.html",
        "AddType text/html .html",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        "AddType application/n-triples .nt",
        "AddType application/rdf+xml .rdf",
        "AddType application/trig .trig",
        "AddCharset utf-8 .html .ttl .nt .trig",
        "<IfModule mod_headers.c>",
        "Header merge Vary Accept",
        "</IfModule>",
        "RewriteEngine On",
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
    lines += ["", "# Nothing acceptable: 406.",
              "RewriteCond %{HTTP_ACCEPT} !^$",
              f"RewriteCond %{{HTTP_ACCEPT}} !{ANY_KNOWN} [NC]",
              r"RewriteRule ^(id/|ontology) - [R=406,L]",
              "", "# Browsers name text/html: they get the page."]
    lines += [r"RewriteCond %{HTTP_ACCEPT} text/html [NC]",
              f"RewriteRule {resource} $1/index.html [END]",
              r"RewriteCond %{HTTP_ACCEPT} text/html [NC]",
              f"RewriteRule {ontology} {target}/index.html [END]",
              "", "# Machines get the first RDF type they name."]
    for suffix, _, _, pattern in RESOURCE_FILES[1:]:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern} [NC]",
                  f"RewriteRule {resource} $1/index.{suffix} [END]"]
    for filename, _, pattern in ONTOLOGY_FILES[1:]:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {pattern} [NC]",
                  f"RewriteRule {ontology} {target}/{filename} [END]"]
    lines += ["", "# Anything else (*/*, no Accept header): the page.",
              f"RewriteRule {resource} $1/index.html [END]",
              f"RewriteRule {ontology} {target}/index.html [END]", ""]
    return "\n".join(lines)
