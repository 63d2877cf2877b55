"""`sdgraph validate`: every fixture's exact results, exit codes, languages, formats, and the
fast engine's agreement with pySHACL."""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from sdgraph.cli import main
from sdgraph.errors import InputFileError
from sdgraph.load import parse_file
from sdgraph.project import Project
from sdgraph.validate import Compactor, ContributionsInvalid, validate_files
from sdgraph.validate.render import shown_once
from sdgraph.validate.results import RawResult, Result, Term

HERE = Path(__file__).resolve().parent / "shapes"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = HERE / "invalid"
C = "<https://w3id.org/sdgraph/id/practice/testpractice/sdg/11.6>"
F = "<https://w3id.org/sdgraph/id/finding/2023-test-share>"
P = "practice:testpractice"
XL = "<https://w3id.org/sdgraph/id/practice/testpractice/label/es>"
AXIS = "<https://w3id.org/sdgraph/id/practice/testpractice/axis/smart-governance>"
ENVIRONMENT = "<https://w3id.org/sdgraph/id/practice/testpractice/axis/environment>"
#: An SDG contribution of data/contributions/2020-live-learning.ttl.
NYC = "<https://w3id.org/sdgraph/id/practice/new-york-city-internet-master-plan/sdg/9.1>"

#: fixture -> (exit code, line of an unreadable file, results as
#: (focus node, path, constraint component, source constraint or shape)).
EXPECTED: dict[str, tuple[int, int | None, list[tuple[str, str | None, str, str]]]] = {
    "axis-misspelt": (1, None, [
        (P, 'sdgr:axis', 'Class', 'Practice-axis'),
    ]),
    "axis-misspelt-outside-an-edition": (1, None, [
        (P, 'sdgr:axis', 'Class', 'Practice-axis'),
    ]),
    "axis-not-in-2012": (1, None, [
        (P, 'sdgr:axis', 'Class', 'Practice-axis'),
    ]),
    "axis-of-another-edition": (1, None, [
        (P, 'sdgr:axis', 'SPARQL', 'Practice-axisOfEdition'),
    ]),
    "bad-wikidata-iri": (1, None, [
        ('city:testcity', 'sdgr:wikidata', 'Pattern', 'Participant-wikidata'),
    ]),
    "binary-file": (2, None, []),
    "blank-node-city": (1, None, [
        ('_:', 'rdf:type', 'Identified', 'IdentifiedShape'),
        (P, 'sdgr:city', 'NodeKind', 'Practice-city'),
    ]),
    "city-misspelt": (1, None, [
        (P, 'sdgr:city', 'Class', 'Practice-city'),
    ]),
    "city-not-defined": (1, None, [
        (P, 'sdgr:city', 'Class', 'Practice-city'),
    ]),
    "city-of-the-project-misspelt": (1, None, [
        (P, 'sdgr:city', 'Class', 'Practice-city'),
    ]),
    "contribution-without-basis": (1, None, [
        (C, 'sdgr:basis', 'MinCount', 'Contribution-basis'),
    ]),
    "contribution-of-another-practice": (1, None, [
        (NYC, '^sdgr:sdgContribution', 'MaxCount', 'Contribution-onePractice'),
    ]),
    "contribution-without-practice": (1, None, [
        (C, '^sdgr:sdgContribution', 'MinCount', 'Contribution-practice'),
    ]),
    "country-code-lower-case": (1, None, [
        ('city:testcity', 'sdgr:countryCode', 'Pattern', 'Participant-countryCode'),
    ]),
    "country-written-as-name": (1, None, [
        ('city:testcity', 'sdgr:countryCode', 'Pattern', 'Participant-countryCode'),
    ]),
    "curated-without-justification": (1, None, [
        (C, 'sdgr:justification', 'SPARQL', 'Contribution-basisNeeds'),
    ]),
    "derived-from-a-string": (1, None, [
        (C, 'prov:wasDerivedFrom', 'NodeKind', 'Contribution-derivedFrom'),
    ]),
    "empty-file": (2, None, []),
    "end-before-start": (1, None, [
        (P, 'sdgr:endYear', 'SPARQL', 'Practice-endNotBeforeStart'),
    ]),
    "https-sdg-iri": (1, None, [
        (C, 'sdgr:sdg', 'SPARQL', 'Sdg-known'),
    ]),
    "indicator-by-number": (1, None, [
        (C, 'sdgr:sdg', 'SPARQL', 'Sdg-known'),
    ]),
    "iri-defined-twice": (1, None, [
        ('org:sf-consultants', 'rdf:type', 'DefinedOnce', 'DefinedOnceShape'),
    ]),
    "label-without-language": (1, None, [
        (P, 'rdfs:label', 'Datatype', 'Label-language'),
        (P, 'rdfs:label', 'LanguageIn', 'Label-language'),
    ]),
    "malformed-turtle": (2, 20, []),
    "missing-axis": (1, None, [
        (P, 'sdgr:axis', 'MinCount', 'Practice-axis'),
    ]),
    "missing-label": (1, None, [
        (P, 'rdfs:label', 'MinCount', 'label-required'),
    ]),
    "misspelt-class": (1, None, [
        (P, 'rdf:type', 'In', 'KnownType-type'),
    ]),
    "misspelt-property": (1, None, [
        (P, 'dct:descripton', 'Closed', 'PracticeShape'),
    ]),
    "not-utf8": (2, 16, []),
    "participation-unknown-edition": (1, None, [
        ('participation:2020-testcity', 'sdgr:edition', 'Class', 'Participation-edition'),
    ]),
    "participation-wrong-role": (1, None, [
        ('participation:2023-testcity', 'sdgr:role', 'In', 'Participation-role'),
    ]),
    "participation-chair-role": (1, None, [
        ('participation:2023-testcity', 'sdgr:role', 'In', 'Participation-role'),
    ]),
    "edition-role-respondent": (1, None, [
        ('role:2023-testcity-chair', 'prov:hadRole', 'In', 'EditionRole-role'),
    ]),
    "council-as-city": (1, None, [
        (P, 'sdgr:city', 'Class', 'Practice-city'),
    ]),
    "practice-without-local-government": (1, None, [
        (P, 'sdgr:city', 'SPARQL', 'Practice-hasLocalGovernment'),
    ]),
    "practice-without-edition-confirmed": (1, None, [
        (P, 'sdgr:reportedIn', 'SPARQL', 'Practice-whereReported'),
    ]),
    "statistic-without-figure": (1, None, [
        ('<https://w3id.org/sdgraph/id/finding/2012-test-statistic>', 'sdgr:share', 'SPARQL',
         'Statistic-figure-required'),
    ]),
    "translated-label-without-translator": (1, None, [
        (XL, 'prov:wasAttributedTo', 'SPARQL', 'XlLabel-saysWhence'),
    ]),
    "translated-label-not-the-label": (1, None, [
        (XL, 'skosxl:literalForm', 'SPARQL', 'XlLabel-isALabel'),
    ]),
    "axis-classification-without-basis": (1, None, [
        (AXIS, 'sdgr:basis', 'MinCount', 'AxisClassification-basis'),
        (AXIS, 'prov:wasAttributedTo', 'MinCount', 'AxisClassification-agent'),
    ]),
    "axis-classification-not-of-the-practice": (1, None, [
        (ENVIRONMENT, 'sdgr:classificationAxis', 'SPARQL', 'AxisClassification-axisOfPractice'),
    ]),
    "prefix-misspelt": (2, 23, []),
    "prefix-not-declared": (2, 15, []),
    "reported-in-unknown-edition": (1, None, [
        (P, 'sdgr:reportedIn', 'SPARQL', 'ReportedIn-known'),
    ]),
    "second-country-code": (1, None, [
        ('city:bilbao', 'sdgr:countryCode', 'MaxCount', 'Participant-countryCode'),
    ]),
    "source-as-string": (1, None, [
        (P, 'dct:source', 'NodeKind', 'source-url'),
    ]),
    "start-after-edition-year": (1, None, [
        (P, 'sdgr:startYear', 'SPARQL', 'Practice-startNotAfterEdition'),
    ]),
    "stated-without-source": (1, None, [
        (C, 'dct:source', 'SPARQL', 'Contribution-basisNeeds'),
    ]),
    "statement-about-an-edition": (1, None, [
        ('edition:2023', 'rdf:type', 'In', 'KnownType-type'),
    ]),
    "statistic-share-as-percent": (1, None, [
        (F, 'sdgr:share', 'Datatype', 'Finding-share'),
        (F, 'sdgr:share', 'MaxInclusive', 'Finding-share'),
    ]),
    "suggested-score-above-one": (1, None, [
        (C, 'sdgr:score', 'MaxInclusive', 'Contribution-score'),
    ]),
    "suggested-without-method": (1, None, [
        (C, 'sdgr:method', 'SPARQL', 'Contribution-basisNeeds'),
    ]),
    "trailing-slash-sdg-iri": (1, None, [
        (C, 'sdgr:sdg', 'SPARQL', 'Sdg-known'),
    ]),
    "two-labels-in-one-language": (1, None, [
        (P, 'rdfs:label', 'UniqueLang', 'Label-unique'),
    ]),
    "uncertain-without-note": (1, None, [
        (P, 'sdgr:certaintyNote', 'SPARQL', 'Certainty-note'),
    ]),
    "unknown-country-code": (1, None, [
        ('city:testcity', 'sdgr:countryCode', 'SPARQL', 'Participant-countryKnown'),
    ]),
    "unknown-sdg-goal": (1, None, [
        (C, 'sdgr:sdg', 'SPARQL', 'Sdg-known'),
    ]),
    "unknown-sdg-target": (1, None, [
        (C, 'sdgr:sdg', 'SPARQL', 'Sdg-known'),
    ]),
    "wrong-language-tag": (1, None, [
        (P, 'rdfs:label', 'LanguageIn', 'Label-language'),
    ]),
    "year-as-plain-string": (1, None, [
        (P, 'sdgr:startYear', 'Datatype', 'Practice-startYear'),
    ]),
}


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its SHA-256, to show that nothing changed."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def summary(result: Result, compact: Compactor) -> tuple[str, str | None, str, str]:
    raw = result.raw
    focus = "_:" if raw.focus.kind == "bnode" else compact.term(raw.focus)
    path = None
    if raw.path:
        path = ("^" if raw.path.startswith("^") else "") + compact(raw.path.lstrip("^"))
    component = raw.component.rsplit("#", 1)[-1].replace("ConstraintComponent", "")
    source = (raw.source_constraint or raw.source_shape).rsplit("#", 1)[-1]
    return focus, path, component, source


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.find(Path(__file__).resolve().parents[1])


def test_there_are_at_least_thirty_invalid_fixtures() -> None:
    files = sorted(p.stem for p in INVALID.glob("*.ttl"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixtures_conform(project: Project, path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    report = validate_files(project, [path])
    assert report.conforms, [r.message for r in report.violations]
    assert main(["--project", str(project.root), "validate", str(path)]) == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_gives_exactly_its_results(project: Project, name: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, line, expected = EXPECTED[name]
    path = INVALID / f"{name}.ttl"
    assert main(["--project", str(project.root), "validate", str(path)]) == code
    if code == 2:
        with pytest.raises(InputFileError) as caught:
            validate_files(project, [path])
        assert caught.value.path == path
        assert caught.value.line == line
        assert str(path) in capsys.readouterr().err
        return
    report = validate_files(project, [path])
    compact = Compactor({})
    assert sorted({summary(r, compact) for r in report.results}, key=str) == \
        sorted(expected, key=str)
    assert len(report.results) == len(expected)
    for result in report.results:
        assert result.file == path
        assert result.message and result.hint
        assert result.line is not None or result.raw.focus.kind == "bnode"


def test_text_report_names_file_line_node_property_value_and_hint(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "https-sdg-iri.ttl"
    main(["--project", str(project.root), "validate", str(path)])
    out = capsys.readouterr().out
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.startswith(C))
    assert f"https-sdg-iri.ttl:{line}: error: " in out
    assert "property: sdgr:sdg" in out
    assert "value: <https://metadata.un.org/sdg/11.6>" in out
    assert "hint: Write <http://metadata.un.org/sdg/11.6>." in out


@pytest.mark.parametrize("name,hint_en,hint_es", [
    ("unknown-sdg-goal", "There are 17 goals", "Hay 17 objetivos"),
    ("unknown-sdg-target", "Goal 11 has the targets 11.1", "El objetivo 11 tiene las metas 11.1"),
    ("trailing-slash-sdg-iri", "Write <http://metadata.un.org/sdg/11.6>.",
     "Escriba <http://metadata.un.org/sdg/11.6>."),
    ("indicator-by-number", "Write <http://metadata.un.org/sdg/C110201>.",
     "Escriba <http://metadata.un.org/sdg/C110201>."),
    ("country-written-as-name", 'Write "ES" for Spain.', 'Escriba "ES" para España.'),
    ("unknown-country-code", 'Write "GB" for United Kingdom.', 'Escriba "GB" para Reino Unido.'),
    ("misspelt-property", "Did you mean dct:description?", "¿Quería decir dct:description?"),
    ("misspelt-class", "Did you mean sdgr:Practice? Use one of sdgr:City",
     "¿Quería decir sdgr:Practice? Use uno de sdgr:City"),
    ("city-misspelt", "Did you mean city:testvillanueva?", "¿Quería decir city:testvillanueva?"),
    ("city-of-the-project-misspelt", "Did you mean city:bilbao?", "¿Quería decir city:bilbao?"),
    ("axis-misspelt", "Did you mean a2023:environment? Write `sdgr:axis` with an axis of the "
     "edition the practice is reported in: a2023:digital-citizenship, a2023:environment, ",
     "¿Quería decir a2023:environment? Escriba `sdgr:axis` con un eje de la edición en que se "
     "presentó la práctica: a2023:digital-citizenship, a2023:environment, "),
    ("axis-of-another-edition", "Did you mean a2023:smart-governance?",
     "¿Quería decir a2023:smart-governance?"),
    ("axis-misspelt-outside-an-edition", "Did you mean a2023:new-mobility? A practice reported "
     "outside an edition uses the 2023 axes: write `sdgr:axis` with one of "
     "a2023:digital-citizenship, ",
     "¿Quería decir a2023:new-mobility? Una práctica presentada fuera de una edición usa los ejes "
     "de 2023: escriba `sdgr:axis` con uno de a2023:digital-citizenship, "),
    ("contribution-of-another-practice", "It is the value of sdgr:sdgContribution for "
     "practice:new-york-city-internet-master-plan (data/contributions/2020-live-learning.ttl), "
     "practice:testpractice (this file).",
     "Es el valor de sdgr:sdgContribution para practice:new-york-city-internet-master-plan "
     "(data/contributions/2020-live-learning.ttl), practice:testpractice (este archivo)."),
    ("second-country-code", 'Its values: "ES" (data/contributions/cities.ttl), "FR" (this file).',
     'Sus valores: "ES" (data/contributions/cities.ttl), "FR" (este archivo).'),
    ("statement-about-an-edition", "edition:2023 is a sdgr:StudyEdition of "
     "data/study/editions.ttl, which a contribution does not describe",
     "edition:2023 es un sdgr:StudyEdition de data/study/editions.ttl, que una contribución no "
     "describe"),
    ("two-labels-in-one-language",
     'Its values: "Another name"@en (this file), "Test practice"@en (this file).',
     'Sus valores: "Another name"@en (este archivo), "Test practice"@en (este archivo).'),
])
def test_hints_name_the_right_value_in_both_languages(project: Project, name: str, hint_en: str,
                                                      hint_es: str) -> None:
    path = INVALID / f"{name}.ttl"
    assert hint_en in validate_files(project, [path], lang="en").results[0].hint
    assert hint_es in validate_files(project, [path], lang="es").results[0].hint


def test_a_type_from_another_file_is_not_called_misspelt(project: Project) -> None:
    """The shape's own hint (the types allowed) fits a misspelt type, not a node of another file
    that the contribution describes; that one gets only the hint that names the file."""
    [foreign] = validate_files(project, [INVALID / "statement-about-an-edition.ttl"]).results
    [misspelt] = validate_files(project, [INVALID / "misspelt-class.ttl"]).results
    assert "Use one of" not in foreign.hint and "data/study/editions.ttl" in foreign.hint
    assert misspelt.hint.startswith("Did you mean sdgr:Practice? Use one of sdgr:City")


def axes_of(project: Project, year: int) -> list[str]:
    """The local names of an edition's axes, as data/axes/ states them, sorted."""
    store = ox.Store()
    store.load(path=str(project.data_dir / "axes" / f"axes-{year}.ttl"),
               format=ox.RdfFormat.TURTLE)
    rows = store.query("SELECT ?axis WHERE { ?axis <http://www.w3.org/2004/02/skos/core#inScheme> "
                       f"<https://w3id.org/sdgraph/id/axes/{year}> }}")
    return sorted(row["axis"].value.rsplit("/", 1)[1] for row in rows)


def test_the_axis_hint_names_the_axes_of_the_practice_s_edition_as_its_file_writes_them(
        project: Project, tmp_path: Path) -> None:
    """A 2012 practice gets the 2012 axes (not the 2023 ones), under the prefix its file declares
    for them, or in full when it declares none; writing one of them makes the file conform."""
    source = (INVALID / "axis-not-in-2012.ttl").read_text(encoding="utf-8")
    axes = axes_of(project, 2012)
    [result] = validate_files(project, [INVALID / "axis-not-in-2012.ttl"]).results
    assert result.hint == ("Write `sdgr:axis` with an axis of the edition the practice is "
                           "reported in: " + ", ".join(f"a2012:{a}" for a in axes) + ".")
    assert "a2023" not in result.hint
    renamed = tmp_path / "renamed.ttl"
    renamed.write_text(source.replace("a2012:", "ax2012:"), encoding="utf-8")
    [result] = validate_files(project, [renamed]).results
    assert ", ".join(f"ax2012:{a}" for a in axes) in result.hint
    undeclared = tmp_path / "undeclared.ttl"
    undeclared.write_text(source.replace(
        "@prefix a2012:    <https://w3id.org/sdgraph/id/axes/2012/> .\n", "").replace(
        "a2012:e-government", "<https://w3id.org/sdgraph/id/axes/2012/e-government>"),
        encoding="utf-8")
    [result] = validate_files(project, [undeclared]).results
    assert ", ".join(f"<https://w3id.org/sdgraph/id/axes/2012/{a}>" for a in axes) in result.hint
    followed = tmp_path / "followed.ttl"
    followed.write_text(source.replace("a2012:e-government", f"a2012:{axes[0]}"),
                        encoding="utf-8")
    assert validate_files(project, [followed]).conforms


def test_a_misspelt_axis_of_another_edition_is_not_offered(project: Project) -> None:
    """The axis offered for a misspelt one is of the practice's edition, whatever the file
    wrote."""
    [result] = validate_files(project, [INVALID / "axis-misspelt-outside-an-edition.ttl"]).results
    assert result.hint.startswith("Did you mean a2023:new-mobility? ")
    assert ", ".join(f"a2023:{a}" for a in axes_of(project, 2023)) in result.hint


def test_a_name_unlike_every_known_one_gets_no_guess(project: Project) -> None:
    """city:nowhere is like no city and todo-choose-an-axis like no axis: no "did you mean"."""
    [city] = validate_files(project, [INVALID / "city-not-defined.ttl"]).results
    [axis] = validate_files(project, [INVALID / "axis-not-in-2012.ttl"]).results
    assert "Did you mean" not in city.hint and "Did you mean" not in axis.hint


def test_identical_results_are_shown_once_for_people_and_all_kept_for_tools(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A label without a language tag fails two constraints of one shape: two SHACL results with
    the same words. The text report shows it once; JSON and Turtle keep both results."""
    path = str(INVALID / "label-without-language.ttl")
    report = validate_files(project, [Path(path)])
    assert len(report.results) == 2
    refused = str(ContributionsInvalid(report))  # what build and add say
    assert refused.startswith("1 violation(s)") and refused.count("A label needs") == 1
    assert main(["--project", str(project.root), "validate", path]) == 1
    out = capsys.readouterr().out
    assert out.count("error: A label needs a language tag") == 1
    assert out.count("hint: ") == 1
    assert "1 error(s), 0 warning(s) in 1 file(s)" in out
    assert main(["--project", str(project.root), "validate", "--format", "json", path]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["violations"] == 2 and len(data["results"]) == 2
    assert {r["sourceConstraintComponent"].rsplit("#", 1)[1] for r in data["results"]} == \
        {"DatatypeConstraintComponent", "LanguageInConstraintComponent"}


def test_results_shown_once_keep_each_of_their_hints() -> None:
    """Blocks are merged only when everything they print but the hint is the same."""
    focus = Term("iri", "https://w3id.org/sdgraph/id/practice/x")

    def result(component: str, line: int, hint: str) -> Result:
        return Result(RawResult(focus, component, "https://w3id.org/sdgraph/shapes#S"),
                      Path("a.ttl"), line, "The same message.", hint)

    shown = shown_once([result("A", 3, "First."), result("B", 3, "Second."),
                        result("C", 3, "First."), result("A", 4, "First.")])
    assert [(r.line, hint) for r, hint in shown] == [(3, "First. Second."), (4, "First.")]


@pytest.mark.parametrize("name,hint_en,hint_es", [
    ("prefix-misspelt", "did you mean edition:? The file declares it.",
     "¿quería decir edition:? El archivo lo declara."),
    ("prefix-not-declared",
     "declare it at the top: @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
     "declárelo al principio: @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."),
    ("malformed-turtle", "check the punctuation: each statement ends with '.', '; ' separates "
     "properties, ', ' separates values", "revise la puntuación: cada sentencia termina en '.', "
     "'; ' separa las propiedades, ', ' separa los valores"),
])
def test_a_syntax_error_gets_the_hint_of_its_mistake_in_both_languages(
        project: Project, name: str, hint_en: str, hint_es: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / f"{name}.ttl"
    for lang, hint in (("en", hint_en), ("es", hint_es)):
        with pytest.raises(InputFileError) as caught:
            validate_files(project, [path], lang=lang)
        assert caught.value.hint == hint
    assert main(["--project", str(project.root), "validate", "--lang", "es", str(path)]) == 2
    error = capsys.readouterr().err
    assert "error de sintaxis: " in error and hint_es in error


@pytest.mark.parametrize("body,hint", [
    ('<https://w3id.org/sdgraph/id/practice/x> sdgr:axis a2012:smart-people .\n',
     "declare it at the top: @prefix a2012: <https://w3id.org/sdgraph/id/axes/2012/> ."),
    ('practise:x sdgr:city <https://w3id.org/sdgraph/id/city/x> .\n',
     "did you mean practice:? Declare it at the top: "
     "@prefix practice: <https://w3id.org/sdgraph/id/practice/> ."),
    ('foo:x sdgr:city <https://w3id.org/sdgraph/id/city/x> .\n',
     "declare it at the top (@prefix foo: <namespace IRI> .), or use a prefix the file declares: "
     "sdgr:"),
    ('PREFIX dct: <http://purl.org/dc/terms/> .\n',
     "a PREFIX line (SPARQL style) has no final '.': write `@prefix dct: <...> .` or drop the '.'"),
    ('<https://w3id.org/sdgraph/id/city/x> sdgr:name “Bilbao” .\n',
     'write strings between straight quotes "...", not typographic ones “...”'),
    ('<https://w3id.org/sdgraph/id/city/x> sdgr:name "Bilbao .\n<x:y> sdgr:name "B" .\n',
     'close the string with " on the same line, or write text of several lines between """ '
     'and """'),
])
def test_syntax_hints_for_build_and_add_too(tmp_path: Path, body: str, hint: str) -> None:
    """``parse_file`` (which build and add use) gives the same hints as validate."""
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .\n" + body,
                    encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        parse_file(path, "https://w3id.org/sdgraph/graph/test")
    assert caught.value.hint == hint
    assert "punctuation" not in caught.value.hint


def test_a_file_with_a_byte_order_mark_is_read_as_without_it(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows Notepad's "UTF-8 with BOM": validate, add and build read the file as without the
    mark, and report the same lines and columns."""
    from sdgraph import contribute
    from sdgraph.build import build
    from sdgraph.store import open_store

    root = str(fresh_project.root)

    def places(name: str, path: Path) -> list[str]:
        """The line (and column) of every report line about ``path``."""
        assert main(["--project", root, "validate", str(path)]) == EXPECTED[name][0]
        out, err = capsys.readouterr()
        return [line.split(f"{path.name}:", 1)[1].split(": ", 1)[0]
                for line in (out + err).splitlines() if f"{path.name}:" in line]

    for name in ("end-before-start", "malformed-turtle"):
        marked = tmp_path / f"{name}.ttl"
        marked.write_bytes(codecs.BOM_UTF8 + (INVALID / f"{name}.ttl").read_bytes())
        assert places(name, marked) == places(name, INVALID / f"{name}.ttl") != []
    marked = tmp_path / "bom-bilbao.ttl"
    marked.write_bytes(codecs.BOM_UTF8 + (HERE / "valid" / "bilbao-2023.ttl").read_bytes())
    assert validate_files(fresh_project, [marked]).conforms
    added = contribute.add_contribution(fresh_project, marked, "Jane Doe",
                                        check_consistency=False)
    assert validate_files(fresh_project, [added.stored_as]).conforms
    assert not added.stored_as.read_bytes().startswith(codecs.BOM_UTF8)  # stored without it
    build(fresh_project, check_consistency=False)
    store = open_store(fresh_project.store_path)
    practice = ox.NamedNode("https://w3id.org/sdgraph/id/practice/testbilbaoaccess")
    assert list(store.quads_for_pattern(practice, None, None, ox.NamedNode(added.graph)))


def test_a_directory_or_another_file_type_is_refused_with_what_to_give(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = project.root / "data"
    assert main(["--project", str(project.root), "validate", f"{data}/"]) == 2
    assert f"error: {data}/ is a directory: give the Turtle files ({data}/contributions/*.ttl)" \
        in capsys.readouterr().err
    notes = tmp_path / "notes.txt"
    notes.write_text("not RDF", encoding="utf-8")
    assert main(["--project", str(project.root), "validate", str(notes)]) == 2
    error = capsys.readouterr().err
    assert f"{notes}: unknown RDF file type '.txt': the accepted extensions are .ttl, .trig, " \
        ".nt, .nq, .jsonld, .rdf, .owl" in error


def test_lang_es_gives_spanish_messages(project: Project,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "start-after-edition-year.ttl"
    assert main(["--project", str(project.root), "validate", "--lang", "es", str(path)]) == 1
    out = capsys.readouterr().out
    assert ("La práctica empieza en 2026, después del año siguiente a la edición que la "
            "presentó (2023).") in out
    assert "pista: " in out and "1 error(es), 0 aviso(s)" in out


def test_json_format(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "end-before-start.ttl"
    assert main(["--project", str(project.root), "validate", "--format", "json",
                 "--lang", "es", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False and data["violations"] == 1
    [result] = data["results"]
    assert result["resultPath"] == "https://w3id.org/sdgraph/ontology#endYear"
    assert result["value"]["value"] == "2020"
    assert result["message"] == "La práctica termina en 2020, antes de empezar (2023)."
    assert result["file"].endswith("end-before-start.ttl") and result["line"] > 0


def test_workers_option(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(INVALID / "end-before-start.ttl")
    outputs = []
    for workers in ("1", "2"):
        assert main(["--project", str(project.root), "validate", "--workers", workers,
                     path]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "endYear" in outputs[0]
    with pytest.raises(SystemExit) as refused:
        main(["--project", str(project.root), "validate", "--workers", "0", path])
    assert refused.value.code == 2
    assert "at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["label-without-language", "blank-node-city",
                                  "contribution-without-practice"])
def test_turtle_format_is_a_shacl_report(project: Project, name: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / f"{name}.ttl"
    main(["--project", str(project.root), "validate", "--format", "turtle", str(path)])
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(EXPECTED[name][2])
    for result in results:
        assert graph.value(result, SH.focusNode) is not None
        assert graph.value(result, SH.sourceConstraintComponent) is not None


def test_warnings_do_not_fail(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = HERE / "valid" / "malmo-2012.ttl"
    report = validate_files(project, [path])
    assert report.conforms and len(report.warnings) == 1
    assert main(["--project", str(project.root), "validate", str(path)]) == 0
    assert "warning: No Wikidata link" in capsys.readouterr().out


def test_two_files_that_define_the_same_iri_are_refused(project: Project,
                                                        tmp_path: Path) -> None:
    source = (HERE / "valid" / "malmo-2012.ttl").read_text(encoding="utf-8")
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(source, encoding="utf-8")
    second.write_text(source, encoding="utf-8")
    report = validate_files(project, [first, second])
    defined = [r for r in report.results
               if r.raw.component.endswith("DefinedOnceConstraintComponent")]
    assert {r.file for r in defined} == {first, second}
    assert not report.conforms


def test_a_node_is_located_in_the_file_that_defines_it(project: Project,
                                                       tmp_path: Path) -> None:
    """A file given first that only mentions a node, or adds to it, is not where it is."""
    defining = INVALID / "country-code-lower-case.ttl"
    header = "".join(line for line in defining.read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("@prefix"))
    mentioning = tmp_path / "a-mentions.ttl"
    mentioning.write_text(header + "\npractice:elsewhere sdgr:city city:testcity .\n\n"
                          'city:testcity rdfs:comment "Seen in a second source."@en .\n',
                          encoding="utf-8")
    report = validate_files(project, [mentioning, defining])
    city = [r for r in report.results if r.raw.focus.value.endswith("/city/testcity")]
    assert city and {r.raw.component.rsplit("#", 1)[-1] for r in city} == \
        {"PatternConstraintComponent"}
    defined_at = next(i for i, line in enumerate(
        defining.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("city:testcity a sdgr:City"))
    assert {(r.file, r.line) for r in city} == {(defining, defined_at)}
    # a node that no file types is where it is first a subject
    untyped = [r for r in report.results if r.raw.focus.value.endswith("/practice/elsewhere")]
    assert untyped and {(r.file, r.line) for r in untyped} == {(mentioning, header.count("\n") + 2)}


@pytest.mark.parametrize("path", VALID + sorted(p for p in INVALID.glob("*.ttl")
                                                if EXPECTED[p.stem][0] == 1),
                         ids=lambda p: p.stem)
def test_fast_engine_gives_the_results_of_pyshacl(project: Project, path: Path) -> None:
    fast = validate_files(project, [path], engine="fast")
    reference = validate_files(project, [path], engine="pyshacl")
    assert sorted(r.raw.key() for r in fast.results) == \
        sorted(r.raw.key() for r in reference.results)
    assert [r.message for r in fast.results] == [r.message for r in reference.results]


@pytest.mark.parametrize("path", sorted(p for p in INVALID.glob("*.ttl")
                                       if EXPECTED[p.stem][0] == 1), ids=lambda p: p.stem)
def test_checks_run_on_two_threads_give_the_same_report(project: Project, path: Path) -> None:
    alone = validate_files(project, [path], workers=1)
    shared = validate_files(project, [path], workers=2)
    assert [(r.raw.key(), r.file, r.line, r.message, r.hint) for r in shared.results] == \
        [(r.raw.key(), r.file, r.line, r.message, r.hint) for r in alone.results]
    assert shared.focus_nodes == alone.focus_nodes


def test_every_shipped_contribution_conforms(project: Project) -> None:
    files = sorted(project.contributions_dir.rglob("*.ttl"))
    if not files:
        return  # nothing shipped yet: nothing can fail
    report = validate_files(project, files)
    assert report.conforms, "\n".join(f"{r.file}:{r.line}: {r.message}" for r in report.violations)


def test_build_refuses_an_invalid_contribution_and_changes_nothing(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from sdgraph.build import build

    build(fresh_project, check_consistency=False)
    before = fingerprint(fresh_project.store_path) | fingerprint(fresh_project.dist_dir)
    target = fresh_project.contributions_dir / "bad.ttl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((INVALID / "end-before-start.ttl").read_bytes())
    code = main(["--project", str(fresh_project.root), "build", "--no-consistency-check"])
    assert code == 1
    assert "bad.ttl" in capsys.readouterr().err
    after = fingerprint(fresh_project.store_path) | fingerprint(fresh_project.dist_dir)
    assert after == before


def test_a_reader_that_leaves_early_stops_the_report_quietly(project: Project) -> None:
    """`sdgraph validate FILE | head -1`: the report is written after the checks, by which time
    the reader has gone; the command stops with exit code 141 and no traceback."""
    import subprocess
    import sys

    from sdgraph.errors import EXIT_PIPE

    process = subprocess.Popen(
        [sys.executable, "-m", "sdgraph", "--project", str(project.root), "validate",
         str(INVALID / "statement-about-an-edition.ttl")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the checks end and the first line is written
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == EXIT_PIPE
    assert "Traceback" not in error and "BrokenPipeError" not in error


def test_an_unreadable_file_is_reported_as_json_with_format_json(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A tool reading --format json gets JSON for an unreadable file too (exit code 2)."""
    import json

    path = INVALID / "malformed-turtle.ttl"
    code = main(["--project", str(project.root), "validate", "--format", "json", str(path)])
    answer = json.loads(capsys.readouterr().out)
    assert code == 2
    assert answer["conforms"] is False and answer["results"] == []
    assert answer["error"]["file"] == str(path)
    assert isinstance(answer["error"]["line"], int) and answer["error"]["line"] > 0
    assert answer["error"]["message"].startswith("syntax error: ")
    assert answer["error"]["hint"]


def test_an_unreadable_file_under_lang_es_has_its_hint_labelled_in_spanish(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "malformed-turtle.ttl"
    assert main(["--project", str(project.root), "validate", "--lang", "es", str(path)]) == 2
    error = capsys.readouterr().err
    assert "error de sintaxis" in error
    assert "\n  pista: " in error and "hint:" not in error
