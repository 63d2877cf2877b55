"""Loading the UN SDG goal, target and indicator texts from a pyoxigraph store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sdgraph.suggest import VOCAB_GRAPH, load_sdg_texts


def test_file_has_the_whole_framework(sdg_texts):
    assert len(sdg_texts.goals()) == 17
    assert len(sdg_texts.targets()) == 169
    assert len(sdg_texts.indicators()) == 232
    assert {"en", "es"} <= sdg_texts.languages()


def test_codes_iris_labels_and_parents(sdg_texts):
    goal = sdg_texts.get("11")
    assert goal.iri == "http://metadata.un.org/sdg/11"
    assert goal.short_label("en") == "Sustainable cities and communities"
    assert "ciudades" in goal.label("es")
    target = sdg_texts.get("11.2")
    assert target.kind == "target"
    assert target.parents == ["http://metadata.un.org/sdg/11"]
    assert "public transport" in target.label("en")
    indicator = sdg_texts.get("11.2.1")
    assert indicator.iri == "http://metadata.un.org/sdg/C110201"
    assert indicator.parents == ["http://metadata.un.org/sdg/11.2"]
    # An indicator repeated under several targets keeps all its parents.
    assert len(sdg_texts.get("1.5.1").parents) == 3
    codes = [t.code for t in sdg_texts.targets()[:7]]
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]


def test_named_graph_of_the_product_store(kos_path):
    store = ox.Store()
    with open(kos_path, "rb") as fh:
        store.load(fh, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(VOCAB_GRAPH))
    # The project's own Turtle adds Spanish short titles as skos:altLabel on goal IRIs.
    store.add(ox.Quad(
        ox.NamedNode("http://metadata.un.org/sdg/1"),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
        ox.Literal("Fin de la pobreza", language="es"),
        ox.NamedNode("https://w3id.org/sdgraph/graph/project"),
    ))
    texts = load_sdg_texts(store, VOCAB_GRAPH)
    assert len(texts.goals()) == 17
    assert texts.get("1").short_label("es") == texts.get("1").label("es")  # not in this graph
    union = load_sdg_texts(store, None)
    assert union.get("1").short_label("es") == "Fin de la pobreza"
    with pytest.raises(LookupError):
        load_sdg_texts(store, "https://example.org/empty")
