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
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
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


def local_government(graph: Graph, practice: URIRef) -> URIRef | None:
    """The body that carries out a practice: its sdgr:city, or its sdgr:localGovernment."""
    return graph.value(practice, SDGR.city) or graph.value(practice, SDGR.localGovernment)


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
    # the council is a local government, not a city: sdgr:city never names it
    assert list(graph.subjects(SDGR.city, council)) == []
    platform = list(graph.subjects(SDGR.localGovernment, council))
    assert platform and all(local_government(graph, p) == council for p in platform)


def test_city_is_a_kind_of_local_government(graph: Graph) -> None:
    assert (SDGR.city, RDFS.subPropertyOf, SDGR.localGovernment) in graph
    assert graph.value(SDGR.city, RDFS.range) == SDGR.City
    for practice, body in graph.subject_objects(SDGR.city):
        assert (body, RDF.type, SDGR.City) in graph, (practice, body)


# ------------------------------------------------------------------------------------------------
# Practices
# ------------------------------------------------------------------------------------------------

def second_pass_practice(name: str) -> dict[str, str] | None:
    """The row of more/practices-2.csv about the practice of practices.csv called ``name``."""
    for row in read_table("more/practices-2.csv"):
        if practice_name(re.sub(r"\s*\(ES: .*\)$", "", row["title"])) == practice_name(name):
            return row
    return None


def test_every_practice_row_is_recorded(graph: Graph) -> None:
    rows = read_table("practices.csv")
    assert rows
    for row in rows:
        body = participant(graph, row["city"])
        matches = [p for p in graph.subjects(None, body) if local_government(graph, p) == body
                   if graph.value(p, SDGR.reportedIn) == edition(row["year"])
                   and any(practice_name(str(label)) == practice_name(row["practice_name"])
                           for label in graph.objects(p, RDFS.label) if label.language == "en")]
        assert len(matches) == 1, (row["practice_name"], matches)
        practice = matches[0]
        assert (practice, RDF.type, SDGR.Practice) in graph
        # the practice page, and where the second pass read more, the sources it names too
        second = second_pass_practice(row["practice_name"])
        allowed = {row["source_url"]} | (set(re.findall(r"https?://[^\s,;)]+", second["location"]
                                                         + " " + second["evidence"]))
                                         if second else set())
        sources = {str(s) for s in graph.objects(practice, DCTERMS.source)}
        assert row["source_url"] in sources and sources <= allowed, (practice, sources)
        check_certainty(graph, practice, certainty_of(row["certainty"]))
        assert set(graph.objects(practice, SDGR.axis)) == axes_named(
            graph, row["year"], row["axis_or_area"]), practice
        description = graph.value(practice, DCTERMS.description)
        assert description is not None and description.language == "en"
        assert fold(str(description)) != fold(row["paraphrase"]), "describe it in our own words"
        if second:
            start, end = second["start_year"] or None, second["end_year"] or None
        else:
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
        if reported is None:
            # no source names its edition: it says so, and uses the 2023 axes
            check_certainty(graph, practice, SDGR.Uncertain)
            scheme = URIRef(f"{ID}axes/2023")
        elif (reported, RDF.type, SDGR.StudyEdition) in graph:
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

#: The kind column of more/findings-2.csv and the class its records are counted under.
SECOND_PASS_CLASS = {"statistic": SDGR.Finding, "finding": SDGR.Finding, "trend": SDGR.Finding,
                     "barrier": SDGR.Barrier, "enabler": SDGR.Enabler}
#: The class each kind of the second pass is recorded as (a statistic states a figure).
SECOND_PASS_TYPE = {**SECOND_PASS_CLASS, "statistic": SDGR.Statistic}
#: Rows the second pass calls new that restate a fact barriers_enablers.csv already has: the
#: support of Montevideo's mayor is its practice-level enabler "Sustained political support".
SAME_FACT = {("2023", "enabler", "https://uclg-digitalcities.org/en/practice/montevideos-data-strategy/")}


def second_pass_findings() -> list[dict[str, str]]:
    return read_table("more/findings-2.csv")


def is_new_record(row: dict[str, str]) -> bool:
    """Whether a second-pass row adds a record (a new fact) rather than enriching one."""
    return (row["novelty"].startswith("new")
            and (row["year"], row["kind"], row["source_url"]) not in SAME_FACT)

def test_every_finding_enabler_and_challenge_row_is_recorded(graph: Graph) -> None:
    rows = [r for r in read_table("barriers_enablers.csv") if r["kind"] in KIND_CLASS]
    assert rows
    expected = Counter((r["year"], KIND_CLASS[r["kind"]], r["source_url"]) for r in rows)
    # the records the second pass adds (its new rows) share years and pages with these
    expected += Counter((r["year"], SECOND_PASS_CLASS[r["kind"]], r["source_url"])
                        for r in second_pass_findings() if is_new_record(r))
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
        enablers = set(graph.subjects(SDGR.practice, practices.pop())) & set(
            graph.subjects(RDF.type, SDGR.Enabler))
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
              for s in graph.subjects(RDF.type, SDGR.Statistic)
              if graph.value(s, SDGR.sdg) is not None}
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
    curated = [c for c in graph.subjects(SDGR.basis, SDGR.CuratedByAgent)
               if (c, RDF.type, SDGR.SDGContribution) in graph]
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


# ------------------------------------------------------------------------------------------------
# Respondents apart from roles, on the built graph and its saved queries
# ------------------------------------------------------------------------------------------------

def query_rows(built, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a saved query on the built shipped graph, as plain values by column."""
    from sdgraph.query import load_query, run_query
    from sdgraph.store import open_store

    project, _ = built
    table = run_query(load_query(project, name), params, store=open_store(project.store_path))
    return [{c: row[c]["value"] for c in table.columns if c in row} for row in table.rows]


def answered_editions(city: str) -> set[str]:
    """The years in which participations.csv says the city answered the study."""
    return {row["year"] for row in read_table("participations.csv") if row["city"] == city}


def test_bilbao_is_a_respondent_only_where_a_source_says_it_answered(built) -> None:
    answered = answered_editions("Bilbao")
    assert answered == {"2012", "2023"}
    bilbao = f"{ID}city/bilbao"
    returning = [r for r in query_rows(built, "returning-cities") if r["city"] == bilbao]
    assert returning == [{"city": bilbao, "cityLabel": "Bilbao", "editions": str(len(answered)),
                          "years": " ".join(sorted(answered))}]
    for year in ("2012", "2017", "2019", "2021", "2023"):
        listed = {r["city"] for r in query_rows(built, "cities-per-edition", edition=year)}
        assert (bilbao in listed) == (year in answered), year
    # it chaired or coordinated every edition: a role, shown apart, and not counted
    roles = query_rows(built, "edition-roles")
    chaired = {r["year"] for r in roles if r["agent"] == bilbao and r["roleLabel"] == "chair"}
    assert chaired == {"2012", "2017", "2019", "2021", "2023"}
    for row in roles:
        if row["agent"] == bilbao:
            assert row["respondent"] == ("yes" if row["year"] in answered else "no"), row
    profile = query_rows(built, "city-profile", city="bilbao")
    respondent_in = {r["reportedInLabel"][-4:] for r in profile
                     if r.get("roleLabel") == "respondent"}
    assert respondent_in == answered


def test_edition_completeness_counts_respondents_only(built) -> None:
    table = {r["year"]: r for r in query_rows(built, "edition-completeness")}
    named_2012 = {row["city"] for row in read_table("participations.csv") if row["year"] == "2012"}
    assert len(named_2012) == 20
    assert (table["2012"]["reportedCities"], table["2012"]["namedCities"]) == ("28", "20")
    for year in ("2017", "2019", "2021"):
        # only Bilbao, as chair or coordinator, is linked to these editions
        assert table[year]["namedCities"] == "0", year
    assert table["2023"]["namedCities"] == str(len({
        row["city"] for row in read_table("participations.csv") if row["year"] == "2023"}))


def test_chairs_and_coordinators_are_edition_roles_not_participations(graph: Graph) -> None:
    for participation in graph.subjects(RDF.type, SDGR.Participation):
        assert graph.value(participation, SDGR.role) == SDGR.ParticipantRole, participation
    roles = set(graph.subjects(RDF.type, SDGR.EditionRole))
    held = {(str(graph.value(r, SDGR.edition)).rsplit("/", 1)[-1],
             str(graph.value(r, PROV.agent)).rsplit("/", 1)[-1],
             str(graph.value(r, PROV.hadRole)).rsplit("#", 1)[-1]) for r in roles}
    assert {("2019", "bilbao", "CoordinatorRole"), ("2021", "bilbao", "CoordinatorRole"),
            ("2019", "sf-consultants", "ConsultantRole"), ("2021", "european-union", "FunderRole"),
            ("2021", "sida", "FunderRole")} <= held
    for role in roles:
        assert list(graph.objects(role, DCTERMS.source)), role
        assert graph.value(role, SDGR.certainty) in (SDGR.Confirmed, SDGR.Uncertain), role


# ------------------------------------------------------------------------------------------------
# The second pass over the sources (more/)
# ------------------------------------------------------------------------------------------------

def figure_matches(graph: Graph, record: URIRef, value: str) -> bool:
    """Whether the record states the figure a row gives: as printed, or as its one share."""
    stated = graph.value(record, SDGR.statedValue)
    if stated is not None and value in str(stated):
        return True
    share = graph.value(record, SDGR.share)
    single = re.fullmatch(r"(\d+(?:\.\d+)?)%", value)
    return bool(share is not None and single
                and share.toPython() == Decimal(single.group(1)) / 100)


def test_every_second_pass_finding_is_recorded_with_source_and_certainty(graph: Graph) -> None:
    rows = second_pass_findings()
    assert len(rows) == 28
    unmatched: Counter = Counter()
    candidates: dict[tuple, set] = {}
    for row in rows:
        cls = SECOND_PASS_TYPE[row["kind"]]
        key = (row["year"], cls, row["source_url"], certainty_of(row["certainty"]))
        found = {r for r in graph.subjects(DCTERMS.source, URIRef(row["source_url"]))
                 if (r, RDF.type, cls) in graph
                 and graph.value(r, SDGR.reportedIn) == edition(row["year"])
                 and graph.value(r, SDGR.certainty) == key[3]}
        assert found, row["text"]
        for record in found:
            check_certainty(graph, record, key[3])
        if row["value"]:
            assert any(figure_matches(graph, r, row["value"]) for r in found), row["text"]
        else:
            unmatched[key] += 1
            candidates[key] = found
    # rows without a figure: as many records as rows on the same page
    for key, count in unmatched.items():
        assert len(candidates[key]) >= count, key


def test_second_pass_records_give_the_page(graph: Graph) -> None:
    for row in second_pass_findings():
        if not is_new_record(row):
            continue
        located = {str(graph.value(r, SDGR.sourceLocation))
                   for r in graph.subjects(DCTERMS.source, URIRef(row["source_url"]))}
        assert row["location"] in located, row["text"]


def test_the_2023_focus_group_says_the_cities_linked_their_practices(graph: Graph) -> None:
    [row] = [r for r in second_pass_findings() if "focus-group" in r["source_url"]]
    [record] = [r for r in graph.subjects(DCTERMS.source, URIRef(row["source_url"]))
                if (r, RDF.type, SDGR.Finding) in graph]
    assert "10 May 2023" in str(graph.value(record, SDGR.statedValue))
    label = str(graph.value(record, RDFS.label))
    assert "10 May 2023" in label and "SDGs themselves" in label


def test_every_second_pass_practice_is_recorded(graph: Graph) -> None:
    rows = read_table("more/practices-2.csv")
    assert rows
    for row in rows:
        body = participant(graph, row["city"])
        [practice] = [p for p in graph.subjects(DCTERMS.source, URIRef(row["source_url"]))
                      if (p, RDF.type, SDGR.Practice) in graph]
        assert local_government(graph, practice) == body
        check_certainty(graph, practice, certainty_of(row["certainty"]))
        for predicate, year in ((SDGR.startYear, row["start_year"]),
                                (SDGR.endYear, row["end_year"])):
            expected = Literal(year, datatype=XSD.gYear) if year else None
            assert graph.value(practice, predicate) == expected, (practice, predicate)
        if row["year"] == "unknown":
            assert graph.value(practice, SDGR.reportedIn) is None
            # the axis is the project's own reading of the page
            [classification] = graph.objects(practice, SDGR.axisClassification)
            assert graph.value(classification, PROV.wasAttributedTo) == AGENT
        else:
            assert graph.value(practice, SDGR.reportedIn) == edition(row["year"])
        if spanish := re.search(r"\(ES: (.+)\)$", row["title"]):
            es = [label for label in graph.objects(practice, RDFS.label) if label.language == "es"]
            assert [str(label) for label in es] == [spanish.group(1)]
            [xl] = graph.objects(practice, SKOSXL.prefLabel)
            assert (xl, RDF.type, SDGR.TranslatedLabel) not in graph
            assert graph.value(xl, DCTERMS.source) is not None


# ------------------------------------------------------------------------------------------------
# What the project itself states: classifications, translations, links
# ------------------------------------------------------------------------------------------------

def test_session_axis_links_are_the_projects_classifications(graph: Graph) -> None:
    practices = list(graph.subjects(SDGR.reportedIn, SESSION))
    assert len(practices) == len(SESSION_CITIES)
    for practice in practices:
        classified = {}
        for classification in graph.objects(practice, SDGR.axisClassification):
            assert graph.value(classification, SDGR.basis) == SDGR.CuratedByAgent
            assert graph.value(classification, PROV.wasAttributedTo) == AGENT
            justification = graph.value(classification, SDGR.justification)
            assert justification is not None and justification.language == "en"
            classified[graph.value(classification, SDGR.classificationAxis)] = classification
        assert set(classified) == set(graph.objects(practice, SDGR.axis)), practice


def test_axis_mappings_are_the_projects_own(graph: Graph) -> None:
    mappings = set(graph.subjects(RDF.type, SDGR.AxisMapping))
    assert len(mappings) == 20
    for mapping in mappings:
        assert graph.value(mapping, SDGR.basis) == SDGR.CuratedByAgent, mapping
        assert graph.value(mapping, PROV.wasAttributedTo) == AGENT, mapping
        assert graph.value(mapping, SDGR.justification) is not None, mapping


def test_spanish_names_say_whether_the_project_translated_them(graph: Graph) -> None:
    named = [(s, label) for s in set(graph.subjects(RDF.type, SDGR.Practice))
             | {URIRef(ID + "org/sf-consultants")}
             for label in graph.objects(s, RDFS.label) if label.language == "es"]
    assert named
    translated = set()
    for subject, label in named:
        [xl] = [x for x in graph.objects(subject, SKOSXL.prefLabel)
                if graph.value(x, SKOSXL.literalForm) == label]
        if (xl, RDF.type, SDGR.TranslatedLabel) in graph:
            assert graph.value(xl, PROV.wasAttributedTo) == AGENT, xl
            translated.add(str(label))
        else:
            assert graph.value(xl, DCTERMS.source) is not None, xl
    assert "S&F Consultores" in translated
    assert len(translated) == 7  # six practice names and the consultancy's


def official_target_titles() -> dict[str, str]:
    with shared_file("sdg/derived/codes-with-titles.csv").open(encoding="utf-8") as handle:
        return {URIRef(row["un_kos_iri"]): row["title_en_official_2023"]
                for row in csv.DictReader(handle) if row["kind"] == "target"}


#: Wording of a target's official text that confines it to other countries than a city's own.
COUNTRY_SCOPE = re.compile(r"\bin least developed countries\b|\bsupport to developing countries\b")


def test_curated_links_do_not_misstate_their_targets_scope(graph: Graph) -> None:
    titles = official_target_titles()
    curated = [c for c in graph.subjects(SDGR.basis, SDGR.CuratedByAgent)
               if (c, RDF.type, SDGR.SDGContribution) in graph]
    for contribution in curated:
        sdg = graph.value(contribution, SDGR.sdg)
        justification = str(graph.value(contribution, SDGR.justification))
        # a target named in the justification is the target the link points at
        for named in re.findall(r"\btargets? (\d+\.[0-9a-z]+)", justification):
            assert URIRef(SDG + named) == sdg, (contribution, named)
        if sdg in titles and COUNTRY_SCOPE.search(titles[sdg]):
            pytest.fail(f"{contribution}: {sdg} is scoped to other countries: {titles[sdg]}")


def test_the_two_misstated_links_are_corrected(graph: Graph) -> None:
    nyc = URIRef(ID + "practice/new-york-city-internet-master-plan")
    montevideo = URIRef(ID + "practice/montevideos-data-strategy")
    linked = {p: {str(graph.value(c, SDGR.sdg)).removeprefix(SDG)
                  for c in graph.objects(p, SDGR.sdgContribution)} for p in (nyc, montevideo)}
    assert "9.c" not in linked[nyc] and "9.1" in linked[nyc]
    assert "17.18" not in linked[montevideo] and linked[montevideo] == {"16.6", "16.10"}
