"""Property-based: postcodes, telephone numbers, emails and addresses written in many forms inside
prose never reach a restricted copy (the disclosure engine on a snapshot, before rendering)."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closewell.documents import disclosure

LETTERS = "ABCDEFGHJKLMNOPRSTUWYZ"
STREETS = ["Larch", "Heron", "Quarry", "Millbrook", "Sexton", "Weavers", "Elm", "Cedar Tree", "Old Mill"]
SUFFIXES = ["Street", "Road", "Lane", "Close", "Court", "Avenue", "Drive", "Terrace", "Crescent", "Gardens"]
PROSE = [
    "Ms Cole said",
    "we agreed that",
    "on Tuesday",
    "Jayden told me",
    "the review found",
    "after the visit",
    "and",
]


def case(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.lower(), text.upper(), text.title()])


@st.composite
def postcodes(draw) -> tuple[str, str]:
    """(written form, outward code): 'NM2 7LX', 'nm27lx', 'NM2-7LX', 'nm2\\n7lx'…"""
    area = draw(st.text(LETTERS, min_size=1, max_size=2))
    district = str(draw(st.integers(0, 99)))
    inward = str(draw(st.integers(0, 9))) + draw(st.text("ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
    gap = draw(st.sampled_from([" ", "", "  ", "-", "\n", " \n"]))
    written = draw(case(f"{area}{district}{gap}{inward}"))
    return written, f"{area}{district}"


@st.composite
def phones(draw) -> str:
    """UK numbers as people write them: 07700 900 631, +44 7700 900631, (01632) 960 001, 07700900631."""
    mobile = "7" + "".join(str(draw(st.integers(0, 9))) for _ in range(9))
    landline = "1" + "".join(str(draw(st.integers(0, 9))) for _ in range(9))
    forms = [
        f"0{mobile}",
        f"0{mobile[:4]} {mobile[4:]}",
        f"0{mobile[:4]} {mobile[4:7]} {mobile[7:]}",
        f"+44 {mobile[:4]} {mobile[4:]}",
        f"+44 (0){mobile[:4]} {mobile[4:]}",
        f"+44{mobile}",
        f"0044 {mobile[:4]} {mobile[4:]}",
        f"0{mobile[:4]}-{mobile[4:7]}-{mobile[7:]}",
        f"(0{landline[:4]}) {landline[4:7]} {landline[7:]}",
        f"0{landline[:3]} {landline[3:6]} {landline[6:]}",
        f"0{mobile[:4]}\n{mobile[4:]}",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def addresses(draw) -> str:
    number = str(draw(st.integers(1, 400)))
    street = draw(st.sampled_from(STREETS))
    suffix = draw(st.sampled_from(SUFFIXES))
    flat = draw(st.sampled_from(["", f"Flat {draw(st.integers(1, 40))}, "]))
    gap = draw(st.sampled_from([" ", "  ", "\n"]))
    return draw(case(f"{flat}{number}{gap}{street} {suffix}"))


@st.composite
def emails(draw) -> str:
    name = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10))
    host = draw(st.sampled_from(["example.invalid", "mail.example.org", "northmoor.example.gov.uk"]))
    return draw(case(f"{name}.{draw(st.integers(1, 99))}@{host}"))


def snapshot(text: str) -> dict:
    """A snapshot whose reason for closure is `text`; the family knows none of what it contains."""
    return {
        "child": {"name": "Jayden Cole", "la_child_id": "NM100002"},
        "family": [
            {
                "person_id": 1,
                "name": "Leanne Cole",
                "relationship": "Mother",
                "address": "",
                "phone": "",
                "email": "",
                "sensitive": True,
                "perpetrator": False,
            },
            {
                "person_id": 2,
                "name": "Ryan Doyle",
                "relationship": "Parent's partner",
                "address": "HMP Northmoor",
                "phone": "",
                "email": "",
                "sensitive": False,
                "perpetrator": True,
            },
        ],  # fmt: skip
        "places": [],
        "reason": {"text": text, "code": "RC7"},
    }


def _squash(text: str) -> str:
    return re.sub(r"[\s\-()+.]", "", text).lower()


def _restricted(text: str) -> list[str]:
    """The reason text as the perpetrator and a parent (for unknown contact details) read it."""
    return [
        disclosure.disclose(snapshot(text), disclosure.Recipient(profile, person)).content["reason"]["text"]
        for profile, person in (("perpetrator", 2), ("parent", 1), ("child", None), ("subject_access", None))
    ]


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.sampled_from(PROSE), postcodes(), st.sampled_from(PROSE))
def test_postcodes_in_any_form_never_reach_a_restricted_copy(before, postcode, after):
    written, outward = postcode
    text = f"{before} {written}, {after}."
    for copy in _restricted(text):
        assert _squash(written) not in _squash(copy), (written, copy)
        assert "[Withheld: " in copy


@SETTINGS
@given(st.sampled_from(PROSE), postcodes(), st.sampled_from(PROSE))
def test_an_outward_code_alone_never_reaches_the_perpetrator(before, postcode, after):
    _, outward = postcode
    text = f"{before} an exclusion area covering {outward.lower()} and {outward}, {after}."
    copy = disclosure.disclose(snapshot(text), disclosure.Recipient("perpetrator", 2)).content["reason"][
        "text"
    ]
    assert not re.search(rf"(?i)(?<![a-z0-9]){re.escape(outward)}(?![a-z0-9])", copy), copy


@SETTINGS
@given(st.sampled_from(PROSE), phones(), st.sampled_from(PROSE))
def test_phone_numbers_in_any_form_never_reach_a_restricted_copy(before, phone, after):
    text = f"{before} call {phone} {after}."
    digits = re.sub(r"\D", "", phone)
    for copy in _restricted(text):
        assert digits[-6:] not in re.sub(r"\D", "", copy), (phone, copy)
        assert "[Withheld: " in copy


@SETTINGS
@given(st.sampled_from(PROSE), addresses(), postcodes(), st.sampled_from(PROSE))
def test_addresses_in_any_form_never_reach_a_restricted_copy(before, address, postcode, after):
    written, _ = postcode
    text = f"{before} they moved to {address}, Northmoor {written}; {after}."
    street = address.split()[-2].lower()
    for copy in _restricted(text):
        assert street not in copy.lower(), (address, copy)
        assert _squash(written) not in _squash(copy), (written, copy)


@SETTINGS
@given(st.sampled_from(PROSE), emails(), st.sampled_from(PROSE))
def test_emails_never_reach_a_restricted_copy(before, email, after):
    text = f"{before} write to {email} {after}."
    for copy in _restricted(text):
        assert "@" not in copy, copy


@SETTINGS
@given(addresses(), postcodes(), phones())
def test_the_victims_known_details_never_reach_the_perpetrator_however_written(address, postcode, phone):
    """Known details, in the family table and retyped in the text in another form."""
    written, outward = postcode
    data = snapshot(f"She is at {address.upper()} {written.lower()} on {phone}.")
    data["family"][0].update(address=f"{address.title()}\nNorthmoor {written.upper()}", phone=phone)
    content = disclosure.disclose(data, disclosure.Recipient("perpetrator", 2)).content
    printed = repr(content).lower()
    assert address.split()[-2].lower() not in printed
    assert re.sub(r"\D", "", phone)[-6:] not in re.sub(
        r"\D", "", repr(content["reason"]) + repr(content["family"])
    )


def test_prose_without_contact_details_is_left_alone():
    text = "Jayden did not come to 4 of 6 sessions in a row; he is in Year 6 and plays for the under-10s."
    for profile in ("parent", "child", "professional"):
        assert (
            disclosure.disclose(snapshot(text), disclosure.Recipient(profile)).content["reason"]["text"]
            == text
        )
