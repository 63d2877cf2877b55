"""The first render of the ontology page (pyLODE, a second or more) does not hold up other
requests: a home page asked for while it renders is answered before it."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from support import running_server

from sdgraph.project import Project


@pytest.fixture(scope="module")
def fresh_server(hostile_project: Project):
    """A server of its own, so that no other test has rendered its ontology page yet."""
    yield from running_server(hostile_project)


def test_other_pages_are_answered_while_the_ontology_page_renders(fresh_server: str) -> None:
    events: list[str] = []

    def get(path: str) -> None:
        # The moment the server starts answering (the headers) is what counts, not how long
        # the body takes to arrive.
        with httpx.stream("GET", fresh_server + path, headers={"Accept": "text/html"},
                          timeout=60) as response:
            assert response.status_code == 200
            events.append(path)
            response.read()

    httpx.get(fresh_server + "/", timeout=60)  # the home page once, so that it is cached
    ontology = threading.Thread(target=get, args=("/ontology",))
    ontology.start()
    time.sleep(0.3)  # the ontology request is in the server's hands
    home = threading.Thread(target=get, args=("/",))
    home.start()
    home.join(60)
    ontology.join(60)
    assert events == ["/", "/ontology"]
