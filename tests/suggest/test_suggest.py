"""Suggesting goals and targets for English and Spanish practice texts."""

from __future__ import annotations

import pytest

from sdgraph.suggest import Suggestion, detect_language
from sdgraph.suggest.lexicon import KeywordIndex, load_keywords, singular

WIFI_EN = "Free public wifi and digital skills courses for elderly residents"
WIFI_ES = "Wifi público gratuito y cursos de competencias digitales para personas mayores"


def codes(sugs: list[Suggestion]) -> list[str]:
    return [s.code for s in sugs]


def test_keywords_cover_every_goal_in_both_languages():
    kws = load_keywords()
    for lang in ("en", "es"):
        assert {k.goal for k in kws if k.lang == lang} == set(range(1, 18))


def test_keyword_matching_ignores_case_accents_and_plurals():
    index = KeywordIndex(load_keywords())
    found = {(k.goal, k.term) for k in index.find("Nuevas Energías renovables y BICICLETAS", "es")}
    assert (7, "renovable*") in found
    assert (11, "bicicleta*") in found
    assert singular("cities") == "city" and singular("buses") == "bus" and singular("gas") == "gas"


def test_language_detection():
    assert detect_language(WIFI_EN) == "en"
    assert detect_language(WIFI_ES) == "es"


@pytest.mark.parametrize("text", [WIFI_EN, WIFI_ES])
def test_wifi_and_digital_skills_for_elderly(suggester, text):
    sugs = suggester.suggest(text, top=5)
    assert len(sugs) == 5
    assert sugs[0].code == "4"
    assert {"4", "9", "10"} <= set(codes(sugs))
    scores = [s.score for s in sugs]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    by_code = {s.code: s for s in sugs}
    assert by_code["9"].evidence["matched"] == ["wifi"]
    assert by_code["4"].evidence["closest_target"]["code"] == "4.4"
    assert by_code["4"].iri == "http://metadata.un.org/sdg/4"
    assert "4.4" in by_code["4"].explain()


def test_spanish_labels_for_spanish_text(suggester):
    top = suggester.suggest(WIFI_ES, top=1)[0]
    assert "educación" in top.label.lower()
    assert "De aquí a 2030" in top.evidence["closest_target"]["text"]


def test_target_level(suggester):
    sugs = suggester.suggest(
        "New bus lanes and accessible low-floor trams for the city's public transport",
        level="target", top=3,
    )
    assert sugs[0].kind == "target"
    assert sugs[0].code == "11.2"
    assert sugs[0].iri == "http://metadata.un.org/sdg/11.2"
    with pytest.raises(ValueError):
        suggester.suggest("x", level="indicator")


def test_clear_cases(suggester):
    cases = {
        "Rooftop solar panels and energy efficiency retrofits in public schools": "7",
        "Reforestation of the river banks to protect native species and biodiversity": "15",
        "Programa municipal contra la violencia de género y de apoyo a mujeres víctimas": "5",
        "Recogida selectiva de residuos y compostaje para la economía circular": "12",
    }
    for text, goal in cases.items():
        assert goal in codes(suggester.suggest(text, top=2)), text


def test_lexical_mode_without_encoder(lexical_suggester):
    assert lexical_suggester.mode == "lexical"
    sugs = lexical_suggester.suggest(WIFI_EN)
    assert {"4", "9", "10"} <= set(codes(sugs))
    assert "closest_target" in sugs[0].evidence


def test_predict_goals(lexical_suggester):
    pred = lexical_suggester.predict_goals(
        ["Access to safe drinking water and sanitation in informal settlements"]
    )
    assert "6" in {str(g) for g in pred[0]}
