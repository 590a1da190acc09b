"""Routing: which services come first, and why, for every role and concern in each community."""

import datetime as dt
import itertools

import pytest

from referral_map.geography import gazetteer
from referral_map.routing import RouteResult, Situation, route
from referral_map.taxonomy import Community, Concern, Language, Role, Urgency

TUESDAY_MORNING = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)

# (label, municipality NIS, language, community whose services apply)
PLACES = [
    ("flemish", "44021", Language.NL, Community.FLEMISH),  # Gent
    ("french", "62063", Language.FR, Community.FRENCH),  # Liège
    ("german", "63023", Language.DE, Community.GERMAN),  # Eupen
    ("brussels-nl", "21015", Language.NL, Community.FLEMISH),  # Schaarbeek
    ("brussels-fr", "21015", Language.FR, Community.FRENCH),
]
SUICIDE_LINE = {
    Community.FLEMISH: "zelfmoordlijn-1813",
    Community.FRENCH: "centre-prevention-suicide",
    Community.GERMAN: "telefonhilfe-108",
}
SITUATIONS = list(itertools.product(PLACES, Role, [c for c in Concern if c is not Concern.OUT_OF_SCOPE]))


def _route(nis: str | None, language: Language, role: Role, concern: Concern, **extra: object) -> RouteResult:
    situation = Situation(role=role, concern=concern, municipality=nis, language=language, **extra)
    return route(situation, at=TUESDAY_MORNING)


def _ids(result: RouteResult) -> list[str]:
    return [referral.service.id for referral in result.referrals]


@pytest.mark.parametrize(
    ("place", "role", "concern"),
    SITUATIONS,
    ids=lambda v: getattr(v, "value", v[0] if isinstance(v, tuple) else v),
)
def test_every_situation_gets_fitting_services_in_a_safe_order(
    place: tuple[str, str, Language, Community], role: Role, concern: Concern
) -> None:
    label, nis, language, community = place
    result = _route(nis, language, role, concern)
    ids = _ids(result)
    assert result.community is community
    non_safety = [r for r in result.referrals if r.reason not in {"violence_threat_first", "self_harm_line"}]
    assert non_safety, "never a dead end"
    assert len(ids) == len(set(ids))
    if concern is Concern.VIOLENCE_THREAT:
        assert ids[:2] == ["emergency-112", "police-101"]
        assert [r.reason for r in result.referrals[:2]] == ["violence_threat_first"] * 2
    else:
        assert "emergency-112" not in ids
    if concern is Concern.SELF_HARM:
        assert ids[0] == SUICIDE_LINE[community]
        assert result.referrals[0].reason == "self_harm_line"
    for referral in result.referrals:
        service = referral.service
        if referral.reason == "brussels_other_community":
            assert label.startswith("brussels")
            continue
        if referral.reason in {"violence_threat_first", "self_harm_line"}:
            continue
        area = referral.location.service_area if referral.location else service.service_area
        municipality = gazetteer().get(nis)
        assert (
            area.scope.value == "national"
            or municipality.community in area.communities
            or municipality.province in area.provinces
            or nis in area.municipalities
        )
    main = [r for r in non_safety if r.reason not in {"brussels_other_community", "open_now_alternative"}]
    assert len(main) <= 3


# (place label, role, concern) -> (first service after the safety lines, its reason)
EXPECTED_FIRST = [
    ("flemish", Role.PARENT, Concern.RADICALISATION, "opvoedingslijn", "family_worried_flanders"),
    ("flemish", Role.FAMILY, Concern.ONLINE_EXTREMISM, "opvoedingslijn", "family_worried_flanders"),
    ("flemish", Role.TEACHER, Concern.POLARISATION, "clb-clbchat", "teacher_worried_flanders"),
    ("flemish", Role.IMAM, Concern.RADICALISATION, "netwerk-islamexperten", "imam_worried_flanders"),
    ("flemish", Role.IMAM, Concern.YOUTH_SUPPORT, "jac", "youth_services_flanders"),
    ("flemish", Role.YOUTH_WORKER, Concern.TRAVEL_CONFLICT, "vvsg-radicalisering", "worker_worried_flanders"),
    ("flemish", Role.YOUNG_PERSON, Concern.RADICALISATION, "awel-102", "young_person_flanders"),
    (
        "flemish",
        Role.UNKNOWN,
        Concern.RELIGIOUS_QUESTION,
        "netwerk-islamexperten",
        "religious_question_flanders",
    ),
    ("flemish", Role.PARENT, Concern.PARENTING, "opvoedingslijn", "parenting_flanders"),
    ("flemish", Role.PARENT, Concern.DETENTION, "justitiehuizen-vlaanderen", "detention_flanders"),
    ("flemish", Role.PARENT, Concern.VICTIM_SUPPORT, "caw", "victim_support_flanders"),
    ("flemish", Role.PARENT, Concern.VIOLENCE_THREAT, "hulplijn-1712", "violence_threat_flanders"),
    (
        "flemish",
        Role.PROFESSIONAL,
        Concern.PROFESSIONAL_SUPPORT,
        "vvsg-radicalisering",
        "professional_support_flanders",
    ),
    ("french", Role.PARENT, Concern.RADICALISATION, "caprev", "worry_french"),
    ("french", Role.TEACHER, Concern.POLARISATION, "caprev", "teacher_worried_french"),
    ("french", Role.YOUNG_PERSON, Concern.ONLINE_EXTREMISM, "ecoute-enfants-103", "young_person_french"),
    ("french", Role.IMAM, Concern.YOUTH_SUPPORT, "amo", "youth_services_french"),
    ("french", Role.PARENT, Concern.PARENTING, "one", "parenting_french"),
    ("french", Role.FAMILY, Concern.DETENTION, "maisons-de-justice-fwb", "detention_french"),
    ("french", Role.PARENT, Concern.VICTIM_SUPPORT, "services-aide-victimes-fwb", "victim_support_french"),
    ("german", Role.PARENT, Concern.RADICALISATION, "wegweiser-ostbelgien", "worry_german"),
    ("german", Role.TEACHER, Concern.POLARISATION, "wegweiser-ostbelgien", "worry_german"),
    ("german", Role.YOUTH_WORKER, Concern.YOUTH_SUPPORT, "kaleido-ostbelgien", "youth_services_german"),
    (
        "german",
        Role.PARENT,
        Concern.VICTIM_SUPPORT,
        "slachtoffers-terrorisme-federaal",
        "victim_support_german",
    ),
    ("brussels-nl", Role.PARENT, Concern.RADICALISATION, "opvoedingslijn", "family_worried_flanders"),
    ("brussels-nl", Role.TEACHER, Concern.POLARISATION, "clb-clbchat", "teacher_worried_flanders"),
    ("brussels-fr", Role.PARENT, Concern.RADICALISATION, "caprev", "worry_french"),
    ("brussels-fr", Role.TEACHER, Concern.ONLINE_EXTREMISM, "caprev", "teacher_worried_french"),
]


@pytest.mark.parametrize(("label", "role", "concern", "service_id", "reason"), EXPECTED_FIRST)
def test_which_service_comes_first_and_why(
    label: str, role: Role, concern: Concern, service_id: str, reason: str
) -> None:
    _, nis, language, _ = next(place for place in PLACES if place[0] == label)
    result = _route(nis, language, role, concern)
    first = next(r for r in result.referrals if r.reason not in {"violence_threat_first", "self_harm_line"})
    assert (first.service.id, first.reason) == (service_id, reason)


@pytest.mark.parametrize(
    ("language", "other_side_service"),
    [(Language.NL, "caprev"), (Language.FR, "opvoedingslijn")],
)
def test_brussels_shows_own_language_first_and_the_other_community_as_alternative(
    language: Language, other_side_service: str
) -> None:
    result = _route("21004", language, Role.PARENT, Concern.RADICALISATION)
    assert result.in_brussels
    last = result.referrals[-1]
    assert (last.service.id, last.reason) == (other_side_service, "brussels_other_community")
    assert all(language in r.service.languages for r in result.referrals[:-1])


@pytest.mark.parametrize("concern", list(Concern))
@pytest.mark.parametrize(
    ("nis", "language"), [("44021", "nl"), ("62063", "fr"), ("63023", "de"), (None, "en")]
)
def test_emergency_puts_112_and_101_first_always(concern: Concern, nis: str | None, language: str) -> None:
    result = _route(nis, Language(language), Role.UNKNOWN, concern, urgency=Urgency.EMERGENCY)
    assert _ids(result)[:2] == ["emergency-112", "police-101"]
    assert {r.reason for r in result.referrals[:2]} == {"emergency_first"}
    if concern is Concern.SELF_HARM:
        assert _ids(result)[2] in SUICIDE_LINE.values()


@pytest.mark.parametrize(
    ("language", "nis", "line"),
    [
        (Language.NL, "44021", "zelfmoordlijn-1813"),
        (Language.FR, "62063", "centre-prevention-suicide"),
        (Language.DE, "63023", "telefonhilfe-108"),
        (Language.NL, "62063", "zelfmoordlijn-1813"),  # a Dutch speaker in Liège gets the Dutch line
        (Language.EN, "44021", "zelfmoordlijn-1813"),  # English: the line of where they live
        (Language.EN, "63023", "telefonhilfe-108"),
    ],
)
def test_self_harm_puts_the_suicide_line_of_the_users_language_first(
    language: Language, nis: str, line: str
) -> None:
    result = _route(nis, language, Role.PARENT, Concern.SELF_HARM)
    assert _ids(result)[0] == line


def test_unknown_place_uses_community_wide_services_of_the_language() -> None:
    result = _route(None, Language.NL, Role.PARENT, Concern.RADICALISATION)
    assert result.community is Community.FLEMISH
    assert _ids(result)[:2] == ["opvoedingslijn", "caw"]
    assert all(r.location is None for r in result.referrals)


def test_local_office_is_chosen_for_the_municipality() -> None:
    result = _route("44021", Language.NL, Role.PARENT, Concern.DETENTION)
    house = next(r for r in result.referrals if r.service.id == "justitiehuizen-vlaanderen")
    assert house.location is not None
    assert "40000" in house.location.service_area.provinces  # Oost-Vlaanderen


def test_closed_best_service_brings_the_next_open_one() -> None:
    sunday_night = dt.datetime(2026, 11, 22, 22, 0, tzinfo=dt.UTC)
    situation = Situation(
        role=Role.PARENT, concern=Concern.RADICALISATION, municipality="62063", language=Language.FR
    )
    result = route(situation, at=sunday_night)
    first = result.referrals[0]
    assert first.service.id == "caprev"
    assert first.open_now is False
    assert first.openness.next_opening is not None
    assert first.openness.next_opening.isoformat().startswith("2026-11-23T09:00")
    opened = [r for r in result.referrals if r.open_now]
    assert opened, "an open service is offered when the best one is closed"


def test_never_an_empty_list_even_out_of_scope() -> None:
    for nis, language in [
        ("44021", Language.NL),
        ("62063", Language.FR),
        ("63023", Language.DE),
        (None, Language.EN),
    ]:
        assert _route(nis, language, Role.UNKNOWN, Concern.OUT_OF_SCOPE).referrals


@pytest.mark.parametrize(
    ("nis", "service_id", "office", "phone"),
    [
        ("13040", "caw", "caw-de-kempen", "014 47 11 00"),  # Turnhout
        ("13004", "caw", "caw-de-kempen", "014 47 11 00"),  # Beerse, also in the Kempen
        ("71072", "caw", "caw-limburg", None),  # Hasselt: the regional CAW, no sourced phone yet
        ("21015", "caw", "caw-brussel", None),  # Schaerbeek, in Dutch
        ("25014", "saj", "saj-nivelles", "067 89 59 60"),  # Braine-l'Alleud, Walloon Brabant
        ("21001", "amo", "amo-rythme-anderlecht", None),  # the AMO of the young person's own commune
        ("21004", "amo", "amo-sdj-bruxelles", "02 209 61 61"),
    ],
)
def test_the_regional_office_that_serves_the_municipality_is_the_one_shown(
    nis: str, service_id: str, office: str, phone: str | None
) -> None:
    concern = Concern.VICTIM_SUPPORT if service_id == "caw" else Concern.YOUTH_SUPPORT
    language = Language.NL if service_id == "caw" else Language.FR
    result = _route(nis, language, Role.PARENT, concern)
    referral = next(r for r in result.referrals if r.service.id == service_id)
    assert referral.location is not None and referral.location.id == office
    numbers = [p.number for p in referral.channels.phones]
    assert (numbers[0] if numbers else None) == phone or phone is None


def test_a_caw_office_is_only_shown_where_it_is_known_to_work() -> None:
    result = _route("12025", Language.NL, Role.PARENT, Concern.VICTIM_SUPPORT)  # Mechelen
    caw = next(r for r in result.referrals if r.service.id == "caw")
    assert caw.location is None  # its regional CAW's area and phone are not sourced yet: the central CAW


@pytest.mark.parametrize(
    ("nis", "expected"),
    [
        (
            "11002",
            [
                "clb-clbchat",
                "antwerpen-centraal-meldpunt-onderwijs",
                "onderwijs-aanspreekpunt-radicalisering",
            ],
        ),
        ("23088", ["clb-clbchat", "vilvoorde-deradicalisering", "onderwijs-aanspreekpunt-radicalisering"]),
        ("44021", ["clb-clbchat", "onderwijs-aanspreekpunt-radicalisering", "caw"]),
    ],
)
def test_a_flemish_teacher_gets_the_education_contact_point_and_a_local_one_where_it_exists(
    nis: str, expected: list[str]
) -> None:
    result = _route(nis, Language.NL, Role.TEACHER, Concern.RADICALISATION)
    assert _ids(result)[:3] == expected


def test_a_city_service_is_offered_only_in_its_city() -> None:
    in_charleroi = _ids(_route("52011", Language.FR, Role.PARENT, Concern.RADICALISATION))
    in_liege = _ids(_route("62063", Language.FR, Role.PARENT, Concern.RADICALISATION))
    assert "charleroi-prevention-extremismes-violents" in in_charleroi
    assert "charleroi-prevention-extremismes-violents" not in in_liege
