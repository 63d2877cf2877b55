"""The study's public record in data/contributions/, checked fact by fact against the study tables.

The tables in ``../shared/study/`` (participations, practices, barriers and enablers) are the
compiled public facts; every row must appear in the project's own Turtle with the right city,
edition, source URL and certainty. Tests that need the tables skip when they are absent.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD
from support import REPO, shared_file

SDGR = Namespace("https://w3id.org/sdgraph/ontology#")
SCHEMA = Namespace("http://schema.org/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SDG = "http://metadata.un.org/sdg/"
ID = "https://w3id.org/sdgraph/id/"
GRAPH = "https://w3id.org/sdgraph/graph/"
AGENT = URIRef(ID + "agent/sdgraph")
CONTRIBUTIONS = REPO / "data" / "contributions"
PARTICIPANT_CLASSES = (SDGR.City, SDGR.LocalGovernment, SDGR.Participant)
RECORD_CLASSES = (SDGR.Participation, SDGR.Practice, SDGR.City, SDGR.LocalGovernment,
                  SDGR.Participant, SDGR.Finding, SDGR.Statistic, SDGR.Enabler, SDGR.Barrier,
                  SDGR.Challenge, SDGR.LearningSession)
#: The kind column of barriers_enablers.csv and the class each kind is recorded as.
KIND_CLASS = {"finding": SDGR.Finding, "enabler": SDGR.Enabler,
              "enabler_practice_level": SDGR.Enabler, "challenge": SDGR.Challenge,
              "barrier": SDGR.Barrier}
#: The classes a record of each class may be typed with (the files state the most specific one).
SUBCLASSES = {SDGR.Finding: (SDGR.Finding, SDGR.Statistic), SDGR.Barrier: (SDGR.Barrier,
                                                                          SDGR.Challenge)}
#: The cities that describe their work at the 2020 live-learning session on digital technologies.
SESSION = URIRef(ID + "event/2020-live-learning-digital-technologies")
SESSION_CITIES = ("New York City", "Xi’an", "Dubai", "Bogotá", "Barcelona", "Milan", "Amsterdam",
                  "Ramallah")


def rdf_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.ttl"))


@pytest.fixture(scope="module")
def graph() -> Graph:
    """Everything under data/ (and the ontology), merged: the record and what it refers to."""
    merged = Graph()
    for path in [REPO / "ontology" / "sdgraph.ttl", *rdf_files(REPO / "data")]:
        merged.parse(path)
    return merged


def read_table(name: str) -> list[dict[str, str]]:
    with shared_file(f"study/{name}").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def edition(year: str) -> URIRef:
    return URIRef(f"{ID}edition/{year}")


def certainty_of(text: str) -> URIRef:
    """The certainty a table's certainty column states (it starts with the word)."""
    word = text.strip().lower()
    if word.startswith("confirmed"):
        return SDGR.Confirmed
    assert word.startswith("uncertain"), text
    return SDGR.Uncertain


def fold(text: str) -> str:
    """Case, accents, typographic apostrophes and spacing folded away, to compare names."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def names_in_table(name: str) -> list[str]:
    """The names a table cell gives to one body: 'A (B)' names it A and B."""
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    return [match.group(1), match.group(2)] if match else [name]


def participant(graph: Graph, name: str) -> URIRef:
    """The one participant whose label or alternative label is the name the table uses."""
    wanted = {fold(n) for n in names_in_table(name)}
    found = {
        subject
        for cls in PARTICIPANT_CLASSES
        for subject in graph.subjects(RDF.type, cls)
        for predicate in (RDFS.label, SKOS.altLabel)
        for label in graph.objects(subject, predicate)
        if fold(str(label)) in wanted
    }
    assert len(found) == 1, f"{name!r} names {sorted(found)}"
    return found.pop()


def check_certainty(graph: Graph, record: URIRef, expected: URIRef) -> None:
    assert graph.value(record, SDGR.certainty) == expected, record
    if expected == SDGR.Uncertain:
        note = graph.value(record, SDGR.certaintyNote)
        assert note is not None and len(str(note)) > 15, f"{record} has no certainty note"


def practice_name(label: str) -> str:
    """A practice name as the table writes it, without '(unnamed)' and a trailing period."""
    label = re.sub(r"\(unnamed\)", "", label)
    label = re.sub(r"\s\d{4}-\d{4}\s*$", "", label.strip())
    return fold(label)


def expected_period(*texts: str) -> tuple[str | None, str | None]:
    """The start and end years a name or paraphrase gives ('2010-2015', 'since 2008')."""
    for text in texts:
        if span := re.search(r"\b(\d{4})-(\d{4})\b", text):
            return span.group(1), span.group(2)
        if since := re.search(r"\bsince (\d{4})\b", text):
            return since.group(1), None
    return None, None


def axes_named(graph: Graph, year: str, text: str) -> set[URIRef]:
    """The axes of ``year``'s scheme that the table's axis text names.

    2023 lists top axes separated by ';'; 2012 writes 'Area - Sub-area (remark)'.
    """
    scheme = URIRef(f"{ID}axes/{year}")
    by_label = {fold(str(label)): axis for axis in graph.subjects(SKOS.inScheme, scheme)
                for label in graph.objects(axis, SKOS.prefLabel) if label.language == "en"}
    if " - " in text:
        area, sub_area = text.split(" - ", 1)
        axis = by_label[fold(re.sub(r"\s*\(.*\)$", "", sub_area))]
        broader_labels = {fold(str(label)) for label in
                          graph.objects(graph.value(axis, SKOS.broader), SKOS.prefLabel)}
        assert fold(area) in broader_labels, (text, axis)
        return {axis}
    return {by_label[fold(part)] for part in text.split(";")}


# ------------------------------------------------------------------------------------------------
# Participations
# ------------------------------------------------------------------------------------------------

def test_every_participation_row_is_recorded(graph: Graph) -> None:
    rows = read_table("participations.csv")
    assert rows
    countries = {str(graph.value(c, SDGR.countryCode)): str(label)
                 for c in graph.subjects(RDF.type, SDGR.Country)
                 for label in graph.objects(c, RDFS.label) if label.language == "en"}
    for row in rows:
        body = participant(graph, row["city"])
        records = [p for p in graph.subjects(SDGR.participant, body)
                   if graph.value(p, SDGR.edition) == edition(row["year"])
                   and graph.value(p, SDGR.role) == SDGR.ParticipantRole]
        assert len(records) == 1, (row["year"], row["city"], records)
        record = records[0]
        assert (record, RDF.type, SDGR.Participation) in graph
        assert URIRef(row["source_url"]) in set(graph.objects(record, DCTERMS.source)), record
        check_certainty(graph, record, certainty_of(row["certainty"]))
        assert graph.value(record, RDFS.comment) is not None, record
        code = graph.value(body, SDGR.countryCode)
        if row["country"]:
            assert code is not None and countries[str(code)] == row["country"], (body, code)
        else:
            assert code is None, f"{body}: the table names no country, the record gives {code}"


def test_unidentified_respondents_are_uncertain_and_typed_no_further(graph: Graph) -> None:
    imdec = participant(graph, "IMDEC region")
    assert set(graph.objects(imdec, RDF.type)) == {SDGR.Participant}
    guatemala = participant(graph, "Guatemala")
    assert (guatemala, RDF.type, SDGR.City) in graph
    for body in (imdec, guatemala):
        check_certainty(graph, body, SDGR.Uncertain)


def test_barcelona_is_not_the_provincial_council(graph: Graph) -> None:
    city = participant(graph, "Barcelona")
    council = participant(graph, "Barcelona Provincial Council (Diputació de Barcelona)")
    assert city != council
    assert (city, RDF.type, SDGR.City) in graph
    assert (council, RDF.type, SDGR.LocalGovernment) in graph
    assert (council, RDF.type, SDGR.City) not in graph
    platform = list(graph.subjects(SDGR.city, council))
    assert platform and all(graph.value(p, SDGR.city) != city for p in platform)


# ------------------------------------------------------------------------------------------------
# Practices
# ------------------------------------------------------------------------------------------------

def test_every_practice_row_is_recorded(graph: Graph) -> None:
    rows = read_table("practices.csv")
    assert rows
    for row in rows:
        body = participant(graph, row["city"])
        matches = [p for p in graph.subjects(SDGR.city, body)
                   if graph.value(p, SDGR.reportedIn) == edition(row["year"])
                   and any(practice_name(str(label)) == practice_name(row["practice_name"])
                           for label in graph.objects(p, RDFS.label) if label.language == "en")]
        assert len(matches) == 1, (row["practice_name"], matches)
        practice = matches[0]
        assert (practice, RDF.type, SDGR.Practice) in graph
        assert set(graph.objects(practice, DCTERMS.source)) == {URIRef(row["source_url"])}
        check_certainty(graph, practice, certainty_of(row["certainty"]))
        assert set(graph.objects(practice, SDGR.axis)) == axes_named(
            graph, row["year"], row["axis_or_area"]), practice
        description = graph.value(practice, DCTERMS.description)
        assert description is not None and description.language == "en"
        assert fold(str(description)) != fold(row["paraphrase"]), "describe it in our own words"
        start, end = expected_period(row["practice_name"], row["paraphrase"])
        for predicate, year in ((SDGR.startYear, start), (SDGR.endYear, end)):
            value = graph.value(practice, predicate)
            assert (value, getattr(value, "datatype", None)) == (
                (Literal(year, datatype=XSD.gYear), XSD.gYear) if year else (None, None)
            ), (practice, predicate)
        if not row["sdg_goals"] and not row["sdg_targets"]:
            stated = [c for c in graph.objects(practice, SDGR.sdgContribution)
                      if graph.value(c, SDGR.basis) == SDGR.StatedBySource]
            assert stated == [], f"{practice}: the source states no SDG link"


def test_practice_axes_come_from_the_reporting_scheme(graph: Graph) -> None:
    practices = set(graph.subjects(RDF.type, SDGR.Practice))
    assert practices
    for practice in practices:
        reported = graph.value(practice, SDGR.reportedIn)
        if (reported, RDF.type, SDGR.StudyEdition) in graph:
            scheme = graph.value(reported, SDGR.axisScheme)
        else:
            assert (reported, RDF.type, SDGR.LearningSession) in graph, practice
            scheme = URIRef(f"{ID}axes/2023")
        axes = set(graph.objects(practice, SDGR.axis))
        assert axes, f"{practice} has no axis"
        for axis in axes:
            assert (axis, SKOS.inScheme, scheme) in graph, (practice, axis)


# ------------------------------------------------------------------------------------------------
# Findings, enablers, challenges, statistics
# ------------------------------------------------------------------------------------------------

def test_every_finding_enabler_and_challenge_row_is_recorded(graph: Graph) -> None:
    rows = [r for r in read_table("barriers_enablers.csv") if r["kind"] in KIND_CLASS]
    assert rows
    expected = Counter((r["year"], KIND_CLASS[r["kind"]], r["source_url"]) for r in rows)
    recorded: Counter = Counter()
    for (year, cls, source) in expected:
        for record in {r for c in SUBCLASSES.get(cls, (cls,)) for r in graph.subjects(RDF.type, c)}:
            if (graph.value(record, SDGR.reportedIn) == edition(year)
                    and URIRef(source) in set(graph.objects(record, DCTERMS.source))):
                recorded[(year, cls, source)] += 1
    assert recorded == expected


def test_practice_level_enablers_name_their_practice(graph: Graph) -> None:
    rows = [r for r in read_table("barriers_enablers.csv") if r["kind"] == "enabler_practice_level"]
    per_source = Counter(r["source_url"] for r in rows)
    for source, count in per_source.items():
        practices = set(graph.subjects(DCTERMS.source, URIRef(source))) & set(
            graph.subjects(RDF.type, SDGR.Practice))
        assert len(practices) == 1, source
        enablers = set(graph.subjects(SDGR.practice, practices.pop()))
        assert len(enablers) == count, source


def test_the_2023_sdg_statistics(graph: Graph) -> None:
    rows = [r for r in read_table("barriers_enablers.csv")
            if re.search(r"(\d+)% .*SDG (\d+)", r["phrase"])]
    assert len(rows) == 2
    for row in rows:
        percent, goal = re.search(r"(\d+)% .*SDG (\d+)", row["phrase"]).groups()
        statistics = [s for s in graph.subjects(RDF.type, SDGR.Statistic)
                      if graph.value(s, SDGR.sdg) == URIRef(SDG + goal)]
        assert len(statistics) == 1, goal
        statistic = statistics[0]
        share = graph.value(statistic, SDGR.share)
        assert share.datatype == XSD.decimal and share.toPython() == Decimal(percent) / 100
        assert graph.value(statistic, SDGR.reportedIn) == edition(row["year"])
        assert graph.value(statistic, DCTERMS.source) == URIRef(row["source_url"])
    shares = {str(graph.value(s, SDGR.sdg)): graph.value(s, SDGR.share).toPython()
              for s in graph.subjects(RDF.type, SDGR.Statistic)}
    assert shares == {SDG + "11": Decimal("0.46"), SDG + "9": Decimal("0.45")}


def test_pandemic_measure_areas_are_the_2021_axes_not_findings(graph: Graph) -> None:
    areas = [r["phrase"] for r in read_table("barriers_enablers.csv")
             if r["kind"] == "pandemic_measure_area"]
    assert areas
    scheme = URIRef(f"{ID}axes/2021")
    axis_labels = {fold(str(label)) for axis in graph.objects(scheme, SKOS.hasTopConcept)
                   for label in graph.objects(axis, SKOS.prefLabel)}
    record_labels = {fold(str(label)) for cls in (SDGR.Finding, SDGR.Enabler, SDGR.Barrier)
                     for record in graph.subjects(RDF.type, cls)
                     for label in graph.objects(record, RDFS.label)}
    for area in areas:
        assert fold(area) in axis_labels, area
        assert fold(area) not in record_labels, area


def test_recurring_themes_link_records_of_several_editions(graph: Graph) -> None:
    scheme = URIRef(ID + "themes")
    themes = set(graph.objects(scheme, SKOS.hasTopConcept))
    assert themes
    editions_of: dict[URIRef, set] = defaultdict(set)
    for theme in themes:
        assert {label.language for label in graph.objects(theme, SKOS.prefLabel)} == {"en", "es"}
        for record in graph.subjects(DCTERMS.subject, theme):
            editions_of[theme].add(graph.value(record, SDGR.reportedIn))
    assert set(editions_of) == themes, "every theme is used"
    for name in ("digital-inclusion", "data-based-decisions", "multi-actor-collaboration"):
        found = {e for e in editions_of[URIRef(ID + "theme/" + name)]
                 if (e, RDF.type, SDGR.StudyEdition) in graph}
        assert len(found) >= 2, name


# ------------------------------------------------------------------------------------------------
# SDG contributions
# ------------------------------------------------------------------------------------------------

def test_no_contribution_is_stated_by_source(graph: Graph) -> None:
    contributions = set(graph.subjects(RDF.type, SDGR.SDGContribution))
    assert contributions
    assert not [c for c in contributions if graph.value(c, SDGR.basis) == SDGR.StatedBySource]


def test_curated_contributions_have_agent_justification_and_a_real_sdg(graph: Graph) -> None:
    un_classes = (SDGO.Goal, SDGO.Target, SDGO.Indicator)
    curated = [c for c in graph.subjects(SDGR.basis, SDGR.CuratedByAgent)]
    assert curated
    for contribution in curated:
        assert graph.value(contribution, PROV.wasAttributedTo) == AGENT, contribution
        justification = graph.value(contribution, SDGR.justification)
        assert justification is not None and justification.language == "en"
        assert 20 < len(str(justification)) < 160, justification
        sdg = graph.value(contribution, SDGR.sdg)
        assert any((sdg, RDF.type, cls) in graph for cls in un_classes), sdg
        practice = graph.value(predicate=SDGR.sdgContribution, object=contribution)
        assert (practice, RDF.type, SDGR.Practice) in graph
        assert str(contribution) == f"{practice}/sdg/{str(sdg).removeprefix(SDG)}"


# ------------------------------------------------------------------------------------------------
# The 2020 live-learning session
# ------------------------------------------------------------------------------------------------

def test_live_learning_session_and_one_practice_per_city(graph: Graph) -> None:
    text = shared_file("seed/smart-cities-news.txt").read_text(encoding="utf-8")
    assert "April 15" in text and "Live Learning" in text
    assert (SESSION, RDF.type, SDGR.LearningSession) in graph
    assert graph.value(SESSION, SCHEMA.startDate) == Literal("2020-04-15", datatype=XSD.date)
    organisers = {fold(str(label)) for org in graph.objects(SESSION, SCHEMA.organizer)
                  for label in graph.objects(org, RDFS.label)}
    for host in ("UCLG", "Metropolis", "UN-Habitat"):
        assert host in text and any(fold(host) in label for label in organisers), host
    reported = list(graph.subjects(SDGR.reportedIn, SESSION))
    assert len(reported) == len(SESSION_CITIES)
    for name in SESSION_CITIES:
        assert name in text, name
        body = participant(graph, name)
        assert [p for p in reported if graph.value(p, SDGR.city) == body], name


# ------------------------------------------------------------------------------------------------
# Conventions every record follows
# ------------------------------------------------------------------------------------------------

def test_every_record_has_labels_source_and_certainty() -> None:
    graph = Graph()
    for path in rdf_files(CONTRIBUTIONS):
        graph.parse(path)
    records = {s for cls in RECORD_CLASSES for s in graph.subjects(RDF.type, cls)}
    assert len(records) > 80
    for record in records:
        languages = [label.language for label in graph.objects(record, RDFS.label)]
        assert languages and len(languages) == len(set(languages)), record
        assert list(graph.objects(record, DCTERMS.source)), record
        certainty = graph.value(record, SDGR.certainty)
        assert certainty in (SDGR.Confirmed, SDGR.Uncertain), record
        check_certainty(graph, record, certainty)


def test_each_iri_is_defined_in_one_file() -> None:
    defined_in: dict[URIRef, list[str]] = defaultdict(list)
    for path in rdf_files(REPO / "data"):
        for subject in set(Graph().parse(path).subjects(RDF.type, None)):
            if isinstance(subject, URIRef):
                defined_in[subject].append(str(path.relative_to(REPO)))
    twice = {s: files for s, files in defined_in.items() if len(files) > 1}
    assert twice == {}


def test_every_contribution_file_carries_its_provenance() -> None:
    files = rdf_files(CONTRIBUTIONS)
    assert files
    for path in files:
        file_graph = Graph().parse(path)
        name = URIRef(GRAPH + path.relative_to(REPO).as_posix())
        assert (name, RDF.type, PROV.Entity) in file_graph, path
        assert file_graph.value(name, PROV.wasAttributedTo) == AGENT, path
        assert file_graph.value(name, PROV.generatedAtTime).datatype == XSD.dateTime, path
