"""City practices: SDG 11 only on specific evidence, SDG 16 where it is the point, the right
targets, French input, and the domain's data."""

from __future__ import annotations

import pytest

from sdgraph.suggest import detect_language
from sdgraph.suggest.domain import load_domain
from sdgraph.suggest.lexicon import load_keywords

# The kinds of practice the requirements name, with the goals a person accepts first and the
# targets one of which should be among the first three.
CASES = {
    "Smart parking sensors show free parking spaces in real time in an app, so that fewer "
    "cars circle the streets looking for a place.": ({"11"}, {"11.2", "11.6"}),
    "An open-data portal publishes the city's budget, contracts and datasets in reusable "
    "formats.": ({"16"}, {"16.10"}),
    "A participatory-budgeting app lets residents propose and vote on projects for part of "
    "the municipal budget.": ({"16"}, {"16.7"}),
    "An e-government one-stop shop lets residents complete administrative procedures online.":
        ({"16"}, {"16.6"}),
    "Flood early-warning sensors in rivers send alerts to residents by SMS.":
        ({"11", "13"}, {"11.5", "13.1"}),
}


def goal_codes(sugs):
    return [s.code for s in sugs]


@pytest.mark.parametrize("text", list(CASES))
def test_the_expected_goal_and_target_come_first(city_suggester, text):
    goals, targets = CASES[text]
    assert goal_codes(city_suggester.suggest(text, top=1))[0] in goals
    top_targets = goal_codes(city_suggester.suggest(text, level="target", top=3))
    assert targets & set(top_targets), top_targets


def test_flood_warning_ranks_disasters_and_climate(city_suggester):
    text = "Flood early-warning sensors in rivers send alerts to residents by SMS."
    assert {"11", "13"} <= set(goal_codes(city_suggester.suggest(text, top=3)))
    # A cue of one of SDG 11's targets (11.5) is the specific evidence that lifts the prior.
    assert {"11.5", "13.1"} <= set(goal_codes(city_suggester.suggest(text, level="target",
                                                                      top=3)))


def test_smart_parking_is_transport_not_green_space(city_suggester):
    text = next(t for t in CASES if t.startswith("Smart parking"))
    ranked = goal_codes(city_suggester.suggest(text, level="target", top=30))
    assert ranked.index("11.2") < ranked.index("11.7")


def test_city_words_are_no_evidence_of_sdg_11(city_suggester, suggester):
    """A city service about health: "city", "municipal", "residents" and "street" do not make
    SDG 11 win in the city domain."""
    text = ("The municipal council of the city runs a street outreach health service with "
            "doctors and nurses for residents with diabetes.")
    assert goal_codes(city_suggester.suggest(text, top=1)) == ["3"]
    eleven = next(s for s in city_suggester.suggest(text, top=17) if s.code == "11")
    assert eleven.evidence["matched"] == []
    general = next(s for s in suggester.suggest(text, top=17) if s.code == "11")
    assert {"city", "municipal"} <= set(general.evidence["matched"])


def test_the_prior_never_raises_a_goal(city_suggester, suggester):
    prior = city_suggester.domain_prior()
    assert prior.shape == (17,) and (prior >= 0).all() and prior[10] == prior.max()
    assert not suggester.domain_prior().any()


def test_city_domain_data():
    domain = load_domain("city")
    covered = {(k.goal, k.term) for k in load_keywords() if domain.covers(k)}
    assert (11, "city") in covered and (11, "municipal*") in covered
    assert (11, "public transport") not in covered and (11, "urbanismo") not in covered
    assert len(domain.neutral) >= 3 and {lang for lang, _ in domain.neutral} == {"en", "es", "fr"}
    with pytest.raises(ValueError, match="unknown domain"):
        load_domain("rural")


def test_target_cues_name_real_targets(sdg_texts):
    targets = {t.code for t in sdg_texts.targets()}
    cues = load_keywords(name="target-keywords.txt")
    assert cues and {k.target for k in cues} <= targets
    assert all(k.goal == int(k.target.split(".")[0]) for k in cues)
    assert {k.lang for k in cues} == {"en", "es", "fr"}


FR = ("La ville ouvre ses données publiques sur un portail open data : budget, marchés "
      "publics et transports.")


def test_french_is_detected_and_answered_in_french(city_suggester):
    assert detect_language(FR) == "fr"
    assert detect_language("Presupuestos participativos: la ciudadanía vota los proyectos") == "es"
    top = city_suggester.suggest(FR, top=1)[0]
    assert top.code == "16"
    assert {"donnees publiques", "open data"} <= set(top.evidence["matched"])
    target = city_suggester.suggest(FR, level="target", top=1)[0]
    assert target.code == "16.10"
    assert "information" in target.label and "Garantir" in target.label


def test_french_keywords_cover_every_goal():
    assert {k.goal for k in load_keywords() if k.lang == "fr"} == set(range(1, 18))


def test_the_score_shift_raises_scores_without_changing_the_ranking(city_suggester):
    from dataclasses import replace

    text = next(t for t in CASES if t.startswith("An open-data portal"))
    shifted = city_suggester.suggest(text, top=17)
    domain = city_suggester.domain
    assert domain.score_shift > 0
    try:
        city_suggester.domain = replace(domain, score_shift=0.0)
        plain = city_suggester.suggest(text, top=17)
    finally:
        city_suggester.domain = domain
    assert [s.code for s in shifted] == [s.code for s in plain]
    assert all(a.score > b.score for a, b in zip(shifted, plain, strict=True))
    assert shifted[0].score >= 0.5 > plain[0].score  # the portal's 16 now passes the threshold
