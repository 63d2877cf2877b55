"""Every saved query, on the small fixture graph of tests/data/queries-fixture/ (exact rows), and
on the shipped graph (it runs, and its columns are the ones its header names)."""

from __future__ import annotations

import pytest
from support import REPO

from sdgraph.project import Project
from sdgraph.query import ResultTable, list_queries, load_query, run_query
from sdgraph.store import open_store

SDG = "http://metadata.un.org/sdg/"
ID = "https://w3id.org/sdgraph/id/"
SDGR = "https://w3id.org/sdgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROJECT = Project(REPO)
QUERIES = {query.name: query for query in list_queries(PROJECT)}


def run(store, name: str, **params: str) -> ResultTable:
    return run_query(QUERIES[name], params, store=store)


def rows(store, name: str, columns: list[str] | None = None, **params: str) -> list[tuple]:
    """The plain values of the result, in the given columns (default: all)."""
    table = run(store, name, **params)
    columns = columns or table.columns
    return [tuple(row[c]["value"] if c in row else None for c in columns) for row in table.rows]


def goal_counts(nonzero: dict[tuple[str, int], tuple[int, int]], years: list[str]) -> list[tuple]:
    """(year, goal IRI, practices, cities) for every goal of every year, zero unless given."""
    return [(year, f"{SDG}{goal}", *map(str, nonzero.get((year, goal), (0, 0))))
            for year in years for goal in range(1, 18)]


# ------------------------------------------------------------------------------------------------
# Headers
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_is_complete_in_both_languages(name: str) -> None:
    query = QUERIES[name]
    for lang in ("en", "es"):
        assert query.titles.get(lang), f"{name}: no title@{lang}"
        assert query.descriptions.get(lang), f"{name}: no description@{lang}"
    assert query.columns, f"{name}: no column lines"
    for column in query.columns:
        assert column.label_en and column.label_es, f"{name}: column {column.name} needs labels"
    for param in query.params:
        assert param.description_en and param.description_es, f"{name}: param {param.name}"


# ------------------------------------------------------------------------------------------------
# Exact rows on the fixture
# ------------------------------------------------------------------------------------------------

TESTED: set[str] = set()


def covers(name: str):
    TESTED.add(name)
    return lambda function: function


@covers("graph-summary")
def test_graph_summary(query_fixture_store) -> None:
    assert rows(query_fixture_store, "graph-summary") == [("3", "5", "6", "11")]


@covers("cities-per-edition")
def test_cities_per_edition(query_fixture_store) -> None:
    # respondents only: Bilbao chairs 2012 (an edition role) and Lisbon's 2012 participation
    # carries a chair's role; neither answered 2012
    assert rows(query_fixture_store, "cities-per-edition") == [
        ("2012", f"{ID}city/malmo", "Malmö", "Sweden", "1"),
        ("2012", f"{ID}city/quito", "Quito", "Ecuador", "0"),
        ("2017", f"{ID}city/bilbao", "Bilbao", "Spain", "0"),
        # Lisbon's only label is Spanish: it stands where English is missing
        ("2017", f"{ID}city/lisbon", "Lisboa", "Portugal", "1"),
        ("2023", f"{ID}city/bilbao", "Bilbao", "Spain", "2"),
        ("2023", f"{ID}city/malmo", "Malmö", "Sweden", "0"),
        ("2023", f"{ID}city/quito", "Quito", "Ecuador", "1"),
    ]
    # a parameter, and the labels in Spanish (English where a label lacks Spanish)
    assert rows(query_fixture_store, "cities-per-edition", edition="2017", lang="es") == [
        ("2017", f"{ID}city/bilbao", "Bilbao", "España", "0"),
        ("2017", f"{ID}city/lisbon", "Lisboa", "Portugal", "1"),
    ]
    table = run(query_fixture_store, "cities-per-edition", edition="2017", lang="es")
    assert table.rows[0]["countryLabel"] == {"type": "literal", "value": "España", "xml:lang": "es"}
    assert table.rows[0]["practices"]["datatype"].endswith("#integer")


@covers("returning-cities")
def test_returning_cities(query_fixture_store) -> None:
    # Bilbao chairs 2012 and 2023: it answered 2017 and reports practices in 2023
    assert rows(query_fixture_store, "returning-cities") == [
        (f"{ID}city/bilbao", "Bilbao", "2", "2017 2023"),
        (f"{ID}city/malmo", "Malmö", "2", "2012 2023"),
        (f"{ID}city/quito", "Quito", "2", "2012 2023"),
    ]
    assert rows(query_fixture_store, "returning-cities", minimum="3") == []


@covers("new-cities")
def test_new_cities(query_fixture_store) -> None:
    # Bilbao's first answered edition is 2017 (it only chairs 2012)
    assert rows(query_fixture_store, "new-cities") == [
        ("2012", f"{ID}city/malmo", "Malmö"),
        ("2012", f"{ID}city/quito", "Quito"),
        ("2017", f"{ID}city/bilbao", "Bilbao"),
        ("2017", f"{ID}city/lisbon", "Lisboa"),
    ]
    assert rows(query_fixture_store, "new-cities", edition="2017") == [
        ("2017", f"{ID}city/bilbao", "Bilbao"), ("2017", f"{ID}city/lisbon", "Lisboa")]
    # Quito is back in 2023 through a practice, and so not new
    assert rows(query_fixture_store, "new-cities", edition="2023") == []


@covers("countries-per-edition")
def test_countries_per_edition(query_fixture_store) -> None:
    assert rows(query_fixture_store, "countries-per-edition") == [
        ("2012", f"{ID}country/EC", "Ecuador", "South America", "1"),
        ("2012", f"{ID}country/SE", "Sweden", "Europe", "1"),
        ("2017", f"{ID}country/PT", "Portugal", "Europe", "1"),
        ("2017", f"{ID}country/ES", "Spain", "Europe", "1"),
        ("2023", f"{ID}country/EC", "Ecuador", "South America", "1"),
        ("2023", f"{ID}country/ES", "Spain", "Europe", "1"),
        ("2023", f"{ID}country/SE", "Sweden", "Europe", "1"),
    ]


@covers("continents-per-edition")
def test_continents_per_edition(query_fixture_store) -> None:
    assert rows(query_fixture_store, "continents-per-edition") == [
        ("2012", f"{ID}continent/EU", "Europe", "1", "1"),
        ("2012", f"{ID}continent/SA", "South America", "1", "1"),
        ("2017", f"{ID}continent/EU", "Europe", "2", "2"),
        ("2023", f"{ID}continent/EU", "Europe", "2", "2"),
        ("2023", f"{ID}continent/SA", "South America", "1", "1"),
    ]
    assert rows(query_fixture_store, "continents-per-edition", ["continentLabel"],
                edition="2012", lang="es") == [("América del Sur",), ("Europa",)]


@covers("practices-per-axis")
def test_practices_per_axis(query_fixture_store) -> None:
    axes = f"{ID}axes/"
    assert rows(query_fixture_store, "practices-per-axis",
                ["axis", "notation", "practices", "withSubAxes"], edition="2023") == [
        (f"{axes}2023/smart-economy", "1", "0", "0"),
        (f"{axes}2023/new-mobility", "2", "2", "2"),
        (f"{axes}2023/environment", "3", "1", "1"),
        (f"{axes}2023/digital-citizenship", "4", "0", "0"),
        (f"{axes}2023/quality-of-life", "5", "0", "0"),
        (f"{axes}2023/smart-governance", "6", "1", "1"),
    ]
    # sub-axes follow their parent; a practice under a sub-axis counts for the sub-axis, and
    # for its parent in the column that takes in the sub-axes
    assert rows(query_fixture_store, "practices-per-axis", ["axis", "practices", "withSubAxes"],
                edition="2012") == [
        (f"{axes}2012/smart-economy", "0", "0"),
        (f"{axes}2012/smart-people", "0", "0"),
        (f"{axes}2012/education-training", "0", "0"),
        (f"{axes}2012/lifelong-training", "0", "0"),
        (f"{axes}2012/smart-governance", "0", "0"),
        (f"{axes}2012/smart-mobility", "0", "0"),
        (f"{axes}2012/smart-environment", "0", "0"),
        (f"{axes}2012/smart-living", "0", "1"),
        (f"{axes}2012/accessibility-e-inclusion", "1", "1"),
    ]
    assert len(rows(query_fixture_store, "practices-per-axis")) == 6 + 9 + 3


@covers("axis-crosswalk")
def test_axis_crosswalk(query_fixture_store) -> None:
    axes = f"{ID}axes/"
    assert rows(query_fixture_store, "axis-crosswalk",
                ["axis", "relation", "axis2023", "practices"], edition="2017") == [
        (f"{axes}2017/innovation-entrepreneurship", f"{SKOS}broadMatch",
         f"{axes}2023/smart-economy", "1"),
        (f"{axes}2017/knowledge-talent", f"{SKOS}broadMatch", f"{axes}2023/smart-economy", "0"),
        (f"{axes}2017/society-digital-economy", f"{SKOS}broadMatch",
         f"{axes}2023/smart-economy", "0"),
    ]
    everything = rows(query_fixture_store, "axis-crosswalk", ["axis", "practices"])
    assert len(everything) == 9 + 3  # the fixture's editions: 2012 (9 mappings) and 2017 (3)
    assert (f"{axes}2012/accessibility-e-inclusion", "1") in everything


@covers("practices-per-2023-axis")
def test_practices_per_2023_axis(query_fixture_store) -> None:
    counts = rows(query_fixture_store, "practices-per-2023-axis", ["year", "axis2023Label",
                                                                   "practices"])
    nonzero = [row for row in counts if row[2] != "0"]
    # 2012: the practice under a sub-axis of Smart Living reaches Digital Citizenship through
    # the sub-axis's own mapping and Quality of Life through its parent's
    assert nonzero == [
        ("2012", "Digital Citizenship", "1"),
        ("2012", "Quality of Life", "1"),
        ("2017", "Smart Economy", "1"),
        ("2023", "New Mobility", "2"),
        ("2023", "Environment", "1"),
        ("2023", "Smart Governance", "1"),
    ]
    assert len(counts) == 3 * 6


@covers("practices-per-goal")
def test_practices_per_goal(query_fixture_store) -> None:
    got = rows(query_fixture_store, "practices-per-goal", ["year", "goal", "practices", "cities"])
    # Bilbao Access links two targets and an indicator of goal 11: it counts once for goal 11
    assert got == goal_counts({("2012", 10): (1, 1), ("2012", 11): (1, 1), ("2017", 8): (1, 1),
                               ("2023", 9): (2, 2), ("2023", 11): (2, 2), ("2023", 16): (1, 1)},
                              ["2012", "2017", "2023"])
    labels = rows(query_fixture_store, "practices-per-goal", ["goalLabel"], edition="2023",
                  lang="es")
    assert labels[10] == ("ODS 11: Ciudades y comunidades sostenibles",)


@covers("goal-change")
def test_goal_change(query_fixture_store) -> None:
    got = rows(query_fixture_store, "goal-change", ["goal", "before", "after", "change"],
               **{"from": "2012", "to": "2023"})
    expected = {9: ("0", "2", "2"), 10: ("1", "0", "-1"), 11: ("1", "2", "1"),
                16: ("0", "1", "1")}
    assert got == [(f"{SDG}{goal}", *expected.get(goal, ("0", "0", "0")))
                   for goal in range(1, 18)]


@covers("sdg-gaps")
def test_sdg_gaps(query_fixture_store) -> None:
    got = rows(query_fixture_store, "sdg-gaps", ["kind", "code"])
    goals = [code for kind, code in got if kind == "goal"]
    targets = [code for kind, code in got if kind == "target"]
    assert goals == [str(g) for g in range(1, 18) if g not in (9, 11, 16)]
    assert len(targets) == 169 - 4
    assert not {"11.2", "11.6", "9.1", "9.c"} & set(targets)
    # goal 16 is linked directly: its targets stay gaps; numeric before lettered targets
    assert targets[targets.index("16.10") - 1] == "16.9"
    assert targets[targets.index("16.10") + 1] == "16.a"
    assert ("goal", "10") in rows(query_fixture_store, "sdg-gaps", ["kind", "code"],
                                  edition="2023")
    assert ("goal", "10") not in rows(query_fixture_store, "sdg-gaps", ["kind", "code"],
                                      edition="2012")


@covers("goal-interlinkages")
def test_goal_interlinkages(query_fixture_store) -> None:
    assert rows(query_fixture_store, "goal-interlinkages", ["goalA", "goalB", "practices"]) == [
        (f"{SDG}9", f"{SDG}11", "1"),
        (f"{SDG}9", f"{SDG}16", "1"),
        (f"{SDG}10", f"{SDG}11", "1"),
    ]
    assert rows(query_fixture_store, "goal-interlinkages", ["goalA", "goalB"],
                edition="2012") == [(f"{SDG}10", f"{SDG}11")]


@covers("practices-for-sdg")
def test_practices_for_sdg(query_fixture_store) -> None:
    assert rows(query_fixture_store, "practices-for-sdg") == [
        ("Study 2012", f"{ID}practice/malmo-e-services", "Malmö e-services", "Malmö",
         "11: StatedBySource"),
        ("Study 2023", f"{ID}practice/bilbao-access", "Bilbao Access", "Bilbao",
         "11.2: CuratedByAgent, 11.6: CuratedByAgent, C110201: SuggestedByMethod"),
        ("Study 2023", f"{ID}practice/quito-bus", "Quito Bus", "Quito", "11.2: CuratedByAgent"),
    ]
    assert rows(query_fixture_store, "practices-for-sdg", ["practice", "links"],
                sdg="C110201") == [(f"{ID}practice/bilbao-access", "C110201: SuggestedByMethod")]
    assert rows(query_fixture_store, "practices-for-sdg", ["reportedInLabel", "practiceLabel"],
                sdg="4", lang="es") == [("Sesión 2020", "Competencias digitales")]
    # a practice labelled in Spanish only keeps its label in an English table
    assert rows(query_fixture_store, "practices-for-sdg", ["reportedInLabel", "practiceLabel"],
                sdg="4") == [("Session 2020", "Competencias digitales")]


@covers("city-profile")
def test_city_profile(query_fixture_store) -> None:
    assert rows(query_fixture_store, "city-profile") == [
        ("Study 2012", "chair", None, None, None, None),
        ("Study 2017", "respondent", None, None, None, None),
        ("Study 2023", "chair", None, None, None, None),
        ("Study 2023", None, f"{ID}practice/bilbao-access", "Bilbao Access",
         "Environment; New Mobility", "11"),
        ("Study 2023", None, f"{ID}practice/bilbao-data", "Bilbao Data", "Smart Governance",
         "9, 16"),
    ]
    assert rows(query_fixture_store, "city-profile", city="malmo", lang="es") == [
        ("Estudio 2012", "participante que responde", None, None, None, None),
        ("Estudio 2012", None, f"{ID}practice/malmo-e-services", "Malmö e-services",
         "Accesibilidad e inclusión digital", "10, 11"),
        ("Estudio 2023", "participante que responde", None, None, None, None),
    ]


@covers("findings-per-edition")
def test_findings_per_edition(query_fixture_store) -> None:
    assert rows(query_fixture_store, "findings-per-edition") == [
        ("2012", "barrier", f"{ID}barrier/2012-divide", "The digital divide", "Digital inclusion"),
        ("2017", "challenge", f"{ID}barrier/2017-skills", "Too few digital skills",
         "Digital inclusion; Skills"),
        ("2017", "finding", f"{ID}finding/2017-access", "Access grows slowly",
         "Digital inclusion"),
        # typed Statistic and Finding: listed once, as a statistic
        ("2023", "edition statistic", f"{ID}finding/2023-sdg9-share", "A fifth name SDG 9", None),
        ("2023", "edition statistic", f"{ID}finding/2023-sdg11-share",
         "Half the cities name SDG 11", None),
        ("2023", "enabler", f"{ID}enabler/2023-collaboration", "Working together",
         "Collaboration"),
    ]


@covers("recurring-themes")
def test_recurring_themes(query_fixture_store) -> None:
    assert rows(query_fixture_store, "recurring-themes") == [
        (f"{ID}theme/inclusion", "Digital inclusion", "2", "2012 2017", "3")]
    assert rows(query_fixture_store, "recurring-themes", ["themeLabel", "editions"],
                minimum="1", lang="es") == [
        ("Inclusión digital", "2"), ("Colaboración", "1"), ("Competencias", "1")]


@covers("sdg-statistics")
def test_sdg_statistics(query_fixture_store) -> None:
    assert rows(query_fixture_store, "sdg-statistics") == [
        ("2023", f"{SDG}11", "SDG 11: Sustainable cities and communities", "0.5", "2", "2", "3",
         "0.67", f"{ID}finding/2023-sdg11-share"),
        ("2023", f"{SDG}9", "SDG 9: Industry, innovation and infrastructure", "0.2", "2", "2",
         "3", "0.67", f"{ID}finding/2023-sdg9-share"),
    ]
    assert rows(query_fixture_store, "sdg-statistics", edition="2017") == []


@covers("sdg-links-by-basis")
def test_sdg_links_by_basis(query_fixture_store) -> None:
    assert rows(query_fixture_store, "sdg-links-by-basis",
                ["reportedInLabel", "basis", "links", "practices"]) == [
        ("Study 2012", f"{SDGR}StatedBySource", "1", "1"),
        ("Study 2012", f"{SDGR}CuratedByAgent", "1", "1"),
        ("Study 2017", f"{SDGR}SuggestedByMethod", "1", "1"),
        ("Study 2023", f"{SDGR}CuratedByAgent", "6", "3"),
        ("Study 2023", f"{SDGR}SuggestedByMethod", "1", "1"),
        ("Session 2020", f"{SDGR}CuratedByAgent", "1", "1"),
    ]


@covers("sdg-link-provenance")
def test_sdg_link_provenance(query_fixture_store) -> None:
    got = rows(query_fixture_store, "sdg-link-provenance",
               ["practice", "code", "basisLabel", "by", "score", "justification"])
    assert len(got) == 11
    assert (f"{ID}practice/malmo-e-services", "11", "stated by a source",
            "https://example.org/malmo-report", None, None) in got
    assert rows(query_fixture_store, "sdg-link-provenance",
                ["practice", "code", "by", "score"], basis="suggested") == [
        (f"{ID}practice/bilbao-access", "C110201", f"{ID}method/matcher-1", "0.8"),
        (f"{ID}practice/lisbon-hub", "8.3", f"{ID}method/matcher-1", "0.7"),
    ]
    assert rows(query_fixture_store, "sdg-link-provenance", ["code", "by", "justification"],
                basis="curated", edition="2023", lang="es")[:2] == [
        ("11.2", "Curador de prueba", "Access control favours public transport."),
        ("11.6", "Curador de prueba", "Menos tráfico, aire más limpio."),
    ]


@covers("edition-completeness")
def test_edition_completeness(query_fixture_store) -> None:
    assert rows(query_fixture_store, "edition-completeness") == [
        ("2012", "4", "2", "50", None, "2", "1"),
        ("2017", "3", "2", "67", "2", "2", "1"),
        ("2023", "5", "3", "60", "4", "3", "3"),
    ]


@covers("edition-roles")
def test_edition_roles(query_fixture_store) -> None:
    # the roles apart from the respondents; Bilbao answered 2017 but only chairs 2012 and 2023
    # (it reports practices in 2023, so it counts as a respondent there)
    assert rows(query_fixture_store, "edition-roles") == [
        ("2012", f"{ID}city/bilbao", "Bilbao", "chair", "confirmed", "no"),
        ("2017", f"{ID}city/lisbon", "Lisboa", "funder", "uncertain", "yes"),
        ("2023", f"{ID}city/bilbao", "Bilbao", "chair", "confirmed", "yes"),
    ]
    assert rows(query_fixture_store, "edition-roles", ["roleLabel", "certaintyLabel", "respondent"],
                edition="2012", lang="es") == [("presidencia", "confirmado", "no")]


def test_every_saved_query_has_a_fixture_test() -> None:
    assert set(QUERIES) == TESTED


# ------------------------------------------------------------------------------------------------
# The shipped graph
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_saved_query_runs_on_the_shipped_graph(built, name: str) -> None:
    project, _ = built
    store = open_store(project.store_path)
    query = load_query(project, name)
    for lang in ("en", "es") if query.param("lang") else ("en",):
        table = run_query(query, {"lang": lang} if query.param("lang") else {}, store=store)
        assert table.columns == [column.name for column in query.columns]
        for row in table.rows:
            assert set(row) <= set(table.columns)
