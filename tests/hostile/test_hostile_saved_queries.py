"""Saved queries are served by name from the project's ``queries/`` only: never a file by path,
not even one of the server's working folder named like a query."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from hostile_data import SECRET

from sdgraph.errors import UsageError
from sdgraph.project import Project
from sdgraph.query import load_query, load_saved_query


@pytest.fixture(scope="module")
def client(hostile_server: str):
    with httpx.Client(base_url=hostile_server, timeout=30) as http:
        yield http


@pytest.mark.parametrize("name", ["stolen.rq", "stolen", ".netrc", "pyproject.toml"])
@pytest.mark.parametrize("suffix,accept", [
    ("", "text/html"), ("?run=1", "text/html"),
    ("", "application/sparql-results+json"), ("?format=csv", "*/*"),
])
def test_a_file_of_the_working_folder_is_no_saved_query(client: httpx.Client, name: str,
                                                       suffix: str, accept: str) -> None:
    response = client.get(f"/queries/{name}{suffix}", headers={"Accept": accept})
    assert response.status_code == 404
    assert SECRET not in response.text


def test_saved_queries_of_the_project_still_run(client: httpx.Client) -> None:
    response = client.get("/queries/cities-per-edition?run=1")
    assert response.status_code == 200
    assert 'id="row-count"' in response.text


def test_load_saved_query_takes_names_only(hostile_project: Project, working_folder: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(working_folder)
    assert load_saved_query(hostile_project, "cities-per-edition").name == "cities-per-edition"
    for name in ("stolen", "stolen.rq", ".netrc", str(working_folder / "stolen.rq"),
                 "../queries/cities-per-edition", "cities-per-edition.rq"):
        with pytest.raises(UsageError, match="no saved query named"):
            load_saved_query(hostile_project, name)
    # The command line still runs a user's own file by its path.
    assert load_query(hostile_project, "stolen.rq").titles["en"] == SECRET


def test_a_link_out_of_the_queries_folder_is_no_saved_query(tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    outside = tmp_path / "outside.rq"
    outside.write_text(f"# title@en: {SECRET}\nSELECT * WHERE {{ ?s ?p ?o }}\n")
    (tmp_path / "queries" / "linked.rq").symlink_to(outside)
    with pytest.raises(UsageError, match="no saved query named 'linked'"):
        load_saved_query(Project(tmp_path), "linked")
