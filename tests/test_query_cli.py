"""`sdgraph query` and the query API: listing, output formats, parameter types, and refusal of
values that would change the query (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from sdgraph.cli import main
from sdgraph.errors import InputFileError, UsageError
from sdgraph.query import Param, SavedQuery, bind, load_query, parse_value, run_query
from sdgraph.store import open_store


def sdgraph(capsys, project, *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_titles_and_parameters(capsys, repo_project) -> None:
    code, out, _ = sdgraph(capsys, repo_project, "query", "--list")
    assert code == 0
    assert "practices-for-sdg\n    Every practice for a goal, target or indicator" in out
    assert "--param sdg=<sdg, default 11>" in out
    code, out, _ = sdgraph(capsys, repo_project, "query", "--list", "--lang", "es")
    assert "Todas las prácticas de un objetivo, meta o indicador" in out


def test_table_csv_tsv_json(capsys, built) -> None:
    project, _ = built
    code, out, _ = sdgraph(capsys, project, "query", "practices-per-goal", "--param",
                           "edition=2023", "--lang", "es")
    assert code == 0
    header = out.splitlines()[0]
    assert header.split() == ["Edición", "IRI", "del", "objetivo", "Objetivo", "Prácticas",
                              "Ciudades"]
    assert "ODS 11: Ciudades y comunidades sostenibles" in out
    assert out.rstrip().endswith("(17 filas)")

    _, out, _ = sdgraph(capsys, project, "query", "practices-per-goal", "-p", "edition=2023",
                        "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "year,goal,goalLabel,practices,cities"
    assert lines[1].startswith("2023,http://metadata.un.org/sdg/1,SDG 1: No poverty,")

    _, out, _ = sdgraph(capsys, project, "query", "practices-per-goal", "-p", "edition=2023",
                        "--format", "tsv")
    lines = out.splitlines()
    assert lines[0] == "?year\t?goal\t?goalLabel\t?practices\t?cities"
    assert lines[1].startswith('"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>\t'
                               '<http://metadata.un.org/sdg/1>\t"SDG 1: No poverty"@en\t')

    _, out, _ = sdgraph(capsys, project, "query", "practices-per-goal", "-p", "edition=2023",
                        "--format", "json")
    answer = json.loads(out)
    assert answer["head"]["vars"] == ["year", "goal", "goalLabel", "practices", "cities"]
    assert len(answer["results"]["bindings"]) == 17
    assert answer["results"]["bindings"][0]["goal"] == {
        "type": "uri", "value": "http://metadata.un.org/sdg/1"}


def test_a_query_file_by_path(capsys, built, tmp_path: Path) -> None:
    project, _ = built
    path = tmp_path / "editions.rq"
    path.write_text("# title@en: Edition years\n# column: year | Year | Año\n"
                    "PREFIX sdgr: <https://w3id.org/sdgraph/ontology#>\n"
                    "SELECT ?year WHERE { GRAPH ?g { ?e sdgr:year ?year } } ORDER BY ?year\n",
                    encoding="utf-8")
    code, out, _ = sdgraph(capsys, project, "query", str(path), "--format", "csv")
    assert code == 0
    assert out.split() == ["year", "2012", "2017", "2019", "2021", "2023"]


def test_no_store_is_exit_3(capsys, fresh_project) -> None:
    code, _, err = sdgraph(capsys, fresh_project, "query", "graph-summary")
    assert code == 3
    assert "sdgraph build" in err


def test_unknown_query_is_exit_2(capsys, repo_project) -> None:
    code, _, err = sdgraph(capsys, repo_project, "query", "no-such-query")
    assert code == 2
    assert "cities-per-edition" in err  # the hint lists the saved queries


INJECTIONS = [
    ("city-profile", 'city=bilbao"} ; DROP ALL ; {'),
    ("city-profile", "city=http://example.org/a> } ; DROP ALL ; { <b"),
    ("city-profile", "city=http://example.org/a>b"),
    ("city-profile", "city=http://example.org/{a}"),
    ("city-profile", "city=bilbao\n} DROP ALL {"),
    ("cities-per-edition", "edition=2023 } UNION { ?s ?p ?o }"),
    ("cities-per-edition", "edition=} ; DROP ALL ; {"),
    ("returning-cities", "minimum=2 } ; DROP ALL ; {"),
    ("returning-cities", "minimum='2'"),
    ("returning-cities", 'lang=en" } ; DROP ALL ; { "'),
    ("practices-for-sdg", "sdg=11\n} DROP ALL {"),
    ("practices-for-sdg", "sdg=http://metadata.un.org/sdg/11>"),
    ("practices-for-sdg", "sdg=18"),
    ("sdg-link-provenance", "basis=sdgr:Stated } ; DROP ALL ; {"),
    ("city-profile", "town=bilbao"),
    ("city-profile", "city"),
]


@pytest.mark.parametrize(("name", "param"), INJECTIONS)
def test_bad_or_hostile_values_are_refused_with_exit_2(capsys, built, name: str,
                                                       param: str) -> None:
    project, report = built
    code, out, err = sdgraph(capsys, project, "query", name, "--param", param)
    assert code == 2, out
    assert err.startswith("sdgraph: error: ")
    assert out == ""
    assert len(open_store(project.store_path)) == report.quads


def test_a_string_value_stays_one_literal(tmp_path: Path) -> None:
    path = tmp_path / "echo.rq"
    path.write_text("# title@en: Echo\n# param: text | string | | The text | El texto\n"
                    "# column: text | Text | Texto\n"
                    'SELECT ?text WHERE { VALUES ?text { "" } }\n', encoding="utf-8")
    query = load_query(None, path)  # type: ignore[arg-type]  # a path needs no project
    hostile = '"} ; DROP ALL ; { "\n\\ <x> #'
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"),
                      ox.Literal("o"), ox.NamedNode("http://e/g")))
    table = run_query(query, {"text": hostile}, store=store)
    assert table.rows == [{"text": {"type": "literal", "value": hostile}}]
    assert len(store) == 1


def test_values_blocks_in_strings_and_comments_are_not_bound() -> None:
    text = ('SELECT * WHERE {\n  # VALUES ?e { 1 }\n  BIND("VALUES ?e { 2 }" AS ?s)\n'
            "  VALUES ?e { UNDEF }\n  VALUES ?e{3}\n}\n")
    query = SavedQuery("t", Path("t.rq"), text, params=[Param("e", "edition")])
    bound = bind(query, {"e": "2017"})
    assert "# VALUES ?e { 1 }" in bound and '"VALUES ?e { 2 }"' in bound
    assert bound.count("<https://w3id.org/sdgraph/id/edition/2017>") == 2
    assert bind(query).count("UNDEF") == 2


@pytest.mark.parametrize(("kind", "value", "term"), [
    ("goal", "11", "<http://metadata.un.org/sdg/11>"),
    ("goal", "SDG 7", "<http://metadata.un.org/sdg/7>"),
    ("target", "11.b", "<http://metadata.un.org/sdg/11.b>"),
    ("sdg", "C110201", "<http://metadata.un.org/sdg/C110201>"),
    ("sdg", "http://metadata.un.org/sdg/9.c", "<http://metadata.un.org/sdg/9.c>"),
    ("edition", "2019", "<https://w3id.org/sdgraph/id/edition/2019>"),
    ("city", "malmo", "<https://w3id.org/sdgraph/id/city/malmo>"),
    ("basis", "suggested", "<https://w3id.org/sdgraph/ontology#SuggestedByMethod>"),
    ("year", "2023", '"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
    ("integer", "-4", '"-4"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("lang", "es", '"es"'),
    ("string", 'a "b"', '"a \\"b\\""'),
])
def test_parameter_types(kind: str, value: str, term: str) -> None:
    assert str(parse_value(Param("x", kind), value)) == term


@pytest.mark.parametrize(("kind", "value"), [
    ("goal", "18"), ("goal", "0"), ("target", "11"), ("target", "11.2.1"), ("sdg", "11.2.1"),
    ("edition", "23"), ("city", "Bilbao City"), ("iri", "not an iri"), ("iri", "http://a b"),
    ("year", "MMXXIII"), ("integer", "1.5"), ("lang", "english"), ("basis", "guessed"),
])
def test_wrong_values_are_usage_errors(kind: str, value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_value(Param("x", kind), value)
    assert caught.value.exit_code == 2


def test_a_parameter_without_values_block_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# title@en: Bad\n# param: edition | edition | | x | y\n"
                    "SELECT * WHERE { ?s ?p ?edition }\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no `VALUES \\?edition"):
        load_query(None, path)  # type: ignore[arg-type]


def test_a_bad_value_is_refused_before_the_store_is_needed(tmp_path, capsys) -> None:
    """Exit 2 for the wrong value even where no store has been built yet."""
    from support import copy_project

    project = copy_project(tmp_path)
    code = main(["--project", str(project.root), "query", "returning-cities",
                 "--param", "minimum=two"])
    assert code == 2
    assert "minimum" in capsys.readouterr().err


@pytest.mark.parametrize("headers,rows,refused", [
    ({}, 20000, False),  # no limit stated (most stores)
    ({"x-sparql-maxrows": "10"}, 9, False),
    ({"x-sparql-maxrows": "10"}, 10, True),  # as long as the limit: rows may be missing
    ({"x-sparql-maxrows": " 10 "}, 12, True),
    ({"x-sparql-maxrows": "unlimited"}, 50, False),  # not a number: nothing to compare
    ({"sdgraph-result-truncated": "true"}, 3, True),
    ({"sdgraph-result-truncated": "false"}, 3, False),
])
def test_an_answer_the_endpoint_may_have_cut_is_refused(headers, rows, refused) -> None:
    from sdgraph.errors import EnvironmentNotReady
    from sdgraph.query import refuse_cut_answer

    if refused:
        with pytest.raises(EnvironmentNotReady, match="may lack rows"):
            refuse_cut_answer("http://example.org/sparql", headers, rows)
    else:
        refuse_cut_answer("http://example.org/sparql", headers, rows)


def test_a_reader_that_leaves_early_stops_a_long_answer_quietly(built, tmp_path) -> None:
    """`sdgraph query ... | head -1` on an answer much larger than a pipe holds: the command
    notices that its reader has gone and stops with exit code 141 and no traceback."""
    import subprocess
    import sys

    from sdgraph.errors import EXIT_PIPE

    project, _ = built
    every_quad = tmp_path / "every-quad.rq"
    every_quad.write_text("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "sdgraph", "--project", str(project.root), "query",
         str(every_quad), "--format", "csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().decode().strip() == "g,o,p,s"
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == EXIT_PIPE
    assert "Traceback" not in error and "BrokenPipeError" not in error


@pytest.mark.parametrize("url", ["localhost:7878/query", "ftp://example.org/sparql", "http://"])
def test_an_endpoint_that_is_not_an_http_url_is_a_bad_value(capsys, repo_project, url) -> None:
    for command in (["query", "edition-completeness"], ["publish"]):
        code, _, err = sdgraph(capsys, repo_project, *command, "--endpoint", url)
        assert code == 2
        assert f"--endpoint {url!r} is not an http:// or https:// URL" in err
        assert "such as http://localhost:7878/query" in err


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["city-profile", "-p", "city="], "parameter city is empty",
     "leave it out to use its default (bilbao)"),
    (["returning-cities", "-p", "minimum="], "parameter minimum is empty",
     "leave it out to use its default (2)"),
    (["city-profile", "-p", "city=Bilbao"], "'Bilbao' is not a city's slug or IRI: did you mean "
     "bilbao?", None),
    (["practices-for-sdg", "-p", "sdg=https://metadata.un.org/sdg/11"],
     "did you mean http://metadata.un.org/sdg/11? (http, no final slash)", None),
    (["practices-for-sdg", "-p", "sdg=http://metadata.un.org/sdg/11.2/"],
     "did you mean http://metadata.un.org/sdg/11.2? (http, no final slash)", None),
    (["returning-cities", "-p", "minimum=99999999999999999999999"],
     "is not an integer of at most 18 digits", None),
])
def test_a_value_that_cannot_be_meant_is_refused_with_what_to_write(
        capsys, built, args, message, hint) -> None:
    project, _ = built
    code, out, err = sdgraph(capsys, project, "query", *args)
    assert (code, out) == (2, "")
    assert message in err
    assert hint is None or hint in err


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["practices-for-sdg", "-p", "sdg=11.9"],
     "parameter sdg: '11.9' names nothing in the graph (<http://metadata.un.org/sdg/11.9>)",
     "the UN framework has no such code"),
    (["new-cities", "-p", "edition=2015"], "parameter edition: '2015' names nothing in the graph",
     "the saved query edition-completeness lists them"),
    (["city-profile", "-p", "city=bilbo"], "parameter city: 'bilbo' names nothing in the graph",
     "the saved query cities-per-edition lists the cities"),
])
def test_an_empty_answer_to_a_value_that_names_nothing_is_refused(
        capsys, built, args, message, hint) -> None:
    """An empty answer because the value names nothing (a mistyped slug, a target the UN does
    not have) is a mistake, told apart from a question whose answer is empty."""
    project, _ = built
    code, out, err = sdgraph(capsys, project, "query", *args)
    assert (code, out) == (2, "")
    assert message in err and hint in err


def test_a_value_naming_nothing_is_refused_even_where_the_answer_would_be_zeros(
        capsys, built) -> None:
    """goal-change answers every goal with counts: for an edition that does not exist they
    would all be zero, which reads as an answer; the value is refused instead."""
    project, _ = built
    code, out, err = sdgraph(capsys, project, "query", "goal-change", "-p", "from=1999")
    assert (code, out) == (2, "")
    assert "parameter from: '1999' names nothing in the graph" in err


def test_an_empty_answer_about_something_that_exists_is_an_answer(capsys, built) -> None:
    project, _ = built
    code, out, _ = sdgraph(capsys, project, "query", "practices-for-sdg", "-p", "sdg=C110201")
    assert code == 0
    assert out.rstrip().endswith("(0 rows)")


def test_an_own_query_outside_named_graphs_is_told_where_the_triples_are(
        capsys, built, tmp_path) -> None:
    """The embedded store has no union default graph: a pattern outside GRAPH finds nothing,
    and the empty answer comes with a note that says why; with GRAPH the rows are there."""
    project, _ = built
    text = ("PREFIX sdgr: <https://w3id.org/sdgraph/ontology#>\n"
            "SELECT ?practice WHERE { %s } ORDER BY ?practice LIMIT 3\n")
    plain, named = tmp_path / "plain.rq", tmp_path / "named.rq"
    plain.write_text(text % "?practice a sdgr:Practice", encoding="utf-8")
    named.write_text(text % "GRAPH ?g { ?practice a sdgr:Practice }", encoding="utf-8")
    code, out, err = sdgraph(capsys, project, "query", str(plain))
    assert code == 0 and "(0 rows)" in out
    assert "put the patterns in GRAPH ?g { ... }" in err
    code, out, err = sdgraph(capsys, project, "query", str(named), "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 4 and err == ""
