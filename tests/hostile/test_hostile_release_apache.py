"""A static release served by a real Apache httpd (Debian's apache2) with its own `.htaccess`:
every answer carries the security headers, and the stylesheet is served as CSS.

Where apache2 is absent the test is skipped, saying so, unless SDGRAPH_REQUIRE_APACHE=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from support import free_port

from sdgraph.project import Project
from sdgraph.publish.release import release
from sdgraph.publish.safety import security_headers

APACHE = Path(os.environ.get("SDGRAPH_APACHE", "/usr/sbin/apache2"))
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers")


def require_apache() -> None:
    missing = [m for m in NEEDED if not (MODULES / f"mod_{m}.so").is_file()]
    if not APACHE.is_file() or missing:
        problem = (f"no Apache httpd at {APACHE} (apt-get install apache2)" if missing == []
                   else f"Apache modules missing: {', '.join(missing)}")
        if os.environ.get("SDGRAPH_REQUIRE_APACHE") == "1":
            pytest.fail(f"Apache required but {problem}")
        pytest.skip(problem)


def config(root: Path, logs: Path, port: int) -> str:
    user = "www-data" if os.geteuid() == 0 else None  # httpd will not serve as root
    lines = [f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in NEEDED]
    if (MODULES / "mod_unixd.so").is_file():  # built into Debian's httpd
        lines.append(f"LoadModule unixd_module {MODULES}/mod_unixd.so")
    lines += [
        f"ServerRoot {logs}", f"PidFile {logs}/httpd.pid", f"ErrorLog {logs}/error.log",
        f"Listen 127.0.0.1:{port}", "ServerName localhost", f"DocumentRoot {root}",
        "TypesConfig /etc/mime.types",
        f"<Directory {root}>", "AllowOverride All", "Require all granted", "</Directory>",
    ]
    if user:
        lines += [f"User {user}", f"Group {user}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def apache_release(hostile_project: Project):
    require_apache()
    # A folder the unprivileged httpd workers can read (pytest's own are private to the user).
    folder = Path(tempfile.mkdtemp(prefix="sdgraph-apache-"))
    try:
        folder.chmod(0o755)
        site = release(hostile_project, "1.0.0", out=folder / "1.0.0").folder
        logs = folder / "logs"
        logs.mkdir()
        port = free_port()
        (logs / "httpd.conf").write_text(config(site, logs, port))
        process = subprocess.Popen([str(APACHE), "-f", str(logs / "httpd.conf"), "-X"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                   env={**os.environ, "APACHE_RUN_DIR": str(logs)})
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    pytest.fail("apache2 did not start: " + (logs / "error.log").read_text())
                time.sleep(0.1)
        yield url
        process.terminate()
        process.wait(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("path,accept", [
    ("/", "text/html"), ("/id/practice/tiny-bikes", "text/html"),
    ("/id/practice/tiny-bikes", "text/turtle"), ("/ontology", "text/html"),
    ("/static/site.css", "text/css"), ("/RELEASE-NOTES.md", "*/*"),
])
def test_apache_sends_the_security_headers(apache_release: str, path: str,
                                           accept: str) -> None:
    response = httpx.get(apache_release + path, headers={"Accept": accept}, timeout=30,
                         follow_redirects=True)
    assert response.status_code == 200
    # Redirects too ("Header always set"), and the answer they lead to.
    for answer in [*response.history, response]:
        for name, value in security_headers().items():
            assert answer.headers[name] == value
        assert response.headers[name] == value


def test_apache_serves_the_stylesheet_as_css(apache_release: str) -> None:
    response = httpx.get(apache_release + "/static/site.css", timeout=30)
    assert response.headers["content-type"].startswith("text/css")
    assert ".goal-11 {" in response.text
