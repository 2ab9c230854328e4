"""Nurses find and register patients: search rules and refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clinic_app.errors import InvalidInput
from clinic_app.records.patients import (
    DuplicatePatient,
    PatientForm,
    open_chart,
    register_patient,
    search_patients,
)
from clinic_app.session import Session

PEOPLE = [
    ("Zoé", "N'Guessan", "female"),
    ("Marie", "Laurent", "female"),
    ("Laurent", "Marie", "male"),
    ("Koffi", "Kouassi-Yao", "male"),
    ("Aminata", "Ouédraogo", "female"),
    ("Seán", "O'Brien", "male"),
    ("Éloïse", "Dembélé", "female"),
]


@pytest.fixture
def registered(nurse: Session) -> Session:
    for given, family, sex in PEOPLE:
        register_patient(nurse, PatientForm(given, family, sex))
    return nurse


def names(session: Session, query: str) -> set[str]:
    return {p.full_name for p in search_patients(session, query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", {"Zoé N'Guessan"}),
        ("ZOÉ", {"Zoé N'Guessan"}),
        ("nguessan", {"Zoé N'Guessan"}),
        ("N'Guessan", {"Zoé N'Guessan"}),
        ("n’guessan", {"Zoé N'Guessan"}),
        ("Laurent", {"Marie Laurent", "Laurent Marie"}),
        ("laurent marie", {"Marie Laurent", "Laurent Marie"}),
        ("marie laurent", {"Marie Laurent", "Laurent Marie"}),
        ("kouassi", {"Koffi Kouassi-Yao"}),
        ("yao", {"Koffi Kouassi-Yao"}),
        ("kouassi-yao", {"Koffi Kouassi-Yao"}),
        ("kouassiyao", {"Koffi Kouassi-Yao"}),
        ("ouedraogo", {"Aminata Ouédraogo"}),
        ("O'Brien", {"Seán O'Brien"}),
        ("obrien sean", {"Seán O'Brien"}),
        ("eloise dembele", {"Éloïse Dembélé"}),
        ("oued", {"Aminata Ouédraogo"}),
        ("n guessan", {"Zoé N'Guessan"}),
        ("guessan", {"Zoé N'Guessan"}),
        ("o brien", {"Seán O'Brien"}),
        ("brien", {"Seán O'Brien"}),
        # Pasted with an invisible character (zero-width space, soft hyphen, word joiner).
        ("Zo\u200bé", {"Zoé N'Guessan"}),
        ("Kou\u00adassi", {"Koffi Kouassi-Yao"}),
        ("\u2060Ouédraogo\ufeff", {"Aminata Ouédraogo"}),
    ],
)
def test_nurse_finds_patients_whatever_the_accents_case_and_order(
    registered: Session, query: str, expected: set[str]
) -> None:
    assert names(registered, query) == expected


@pytest.mark.parametrize("query", ["100%", "%", "_", "%%", "a%b", "'", "--", "' OR 1=1 --", "*"])
def test_special_characters_are_taken_literally(registered: Session, query: str) -> None:
    found = names(registered, query)
    assert len(found) < len(PEOPLE)


def test_search_does_not_match_inside_words(registered: Session) -> None:
    assert names(registered, "rent") == set()


def test_empty_search_lists_recent_patients(registered: Session) -> None:
    assert len(search_patients(registered, "   ")) == len(PEOPLE)


@pytest.mark.parametrize(
    "typed",
    [
        "01 34 63 47 12",
        "0134634712",
        "+225 01 34 63 47 12",
        "2250134634712",
        "01-34-63-47-12",
        "(+225) 01 34 63 47 12",
        "00225 01 34 63 47 12",
        "01 34 63",
        "+225 01\u200b34 63 47 12",  # pasted with an invisible character
        "\ufeff0134634712",
        "٠١٣٤٦٣٤٧١٢",  # Arabic-Indic digits
        "０１３４６３４７１２",  # fullwidth
        "Awa 01 34 63 47 12",  # a name, then the number
        "kone +225 0134634712",
    ],
)
@pytest.mark.parametrize("stored", ["+225 01 34 63 47 12", "0134634712", "(+225) 01.34.63.47.12"])
def test_a_phone_number_is_found_however_it_is_written(
    nurse: Session, typed: str, stored: str
) -> None:
    register_patient(nurse, PatientForm("Awa", "Koné", "female", phone=stored))
    register_patient(nurse, PatientForm("Ali", "Koné", "male", phone="0707070707"))
    # Every digit counts: the same eight last digits behind another operator's prefix
    # are another person's number.
    register_patient(nurse, PatientForm("Adama", "Koné", "male", phone="07 34 63 47 12"))
    assert names(nurse, typed) == {"Awa Koné"}


@pytest.mark.parametrize(
    "typed",
    [
        "99999999990712345678",  # digits before the number are not a country code
        "1" * 40 + "0712345678",
        "05 12 34 56 78",  # an old eight-digit number is not every number ending so
        "+33 6 12 34 56 78",
        "Ali 07 12 34 56 78",  # the number, but not that name
    ],
)
def test_a_phone_search_matches_no_other_number(nurse: Session, typed: str) -> None:
    register_patient(nurse, PatientForm("Awa", "Koné", "female", phone="07 12 34 56 78"))
    register_patient(nurse, PatientForm("Adjoa", "Mensah", "female", phone="12 34 56 78"))
    found = names(nurse, typed)
    assert "Adjoa Mensah" not in found
    if typed.startswith(("9", "1", "Ali")):
        assert found == set()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+33 6 12 34 56 78", "06 12 34 56 78"), ("06 12 34 56 78", "+33 6 12 34 56 78")],
)
def test_a_trunk_zero_and_a_country_code_are_the_same_number(
    nurse: Session, typed: str, stored: str
) -> None:
    register_patient(nurse, PatientForm("Zoé", "Martin", "female", phone=stored))
    register_patient(nurse, PatientForm("Luc", "Martin", "male", phone="07 12 34 56 78"))
    assert names(nurse, typed) == {"Zoé Martin"}


def test_a_search_limit_out_of_range_is_kept_within_bounds(registered: Session) -> None:
    assert len(search_patients(registered, "", limit=10**20)) == len(PEOPLE)
    assert len(search_patients(registered, "", limit=-1)) == 1


def test_search_finds_by_national_number(nurse: Session) -> None:
    register_patient(nurse, PatientForm("Awa", "Koné", "female", national_id="ci 2024 0001"))
    assert names(nurse, "CI20240001") == {"Awa Koné"}


def test_registration_keeps_the_name_as_typed(nurse: Session) -> None:
    patient = register_patient(
        nurse,
        PatientForm(
            "  Zoé ", "N'Guessan", "female", date(1991, 2, 28), "", "+225 07 12 34 56", "Bouaké"
        ),
    )
    chart = open_chart(nurse, patient.id)
    assert (chart.given_name, chart.family_name, chart.village) == ("Zoé", "N'Guessan", "Bouaké")
    assert chart.birth_date == date(1991, 2, 28)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (PatientForm("", "Koné", "female"), "given_name"),
        (PatientForm("Awa", "   ", "female"), "family_name"),
        (PatientForm("Awa", "Koné", "dunno"), "sex"),
        (PatientForm("Awa", "Koné", "female", date(2999, 1, 1)), "birth_date"),
        (PatientForm("Awa", "Koné", "female", date(1700, 1, 1)), "birth_date"),
        (PatientForm("Awa", "Koné", "female", national_id="!!"), "national_id"),
        (PatientForm("Awa", "Koné", "female", phone="call me"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="(((--)))"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="+225 +225 0707"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="0707+070707"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="12345"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="1234567890123456"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="((((0712345678"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="07) 12 (34 56 78"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="--..--07 12 34 56 78"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="000000"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="07 12 34 56 78²"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="+00225 0712345678"), "phone"),
        (PatientForm("Awa", "Koné", "female", phone="07 12 34 56 78 / 05 11 22 33 44"), "phone"),
        (PatientForm("Awa2", "Koné", "female"), "given_name"),
        (PatientForm("A" * 101, "Koné", "female"), "given_name"),
    ],
)
def test_bad_registration_is_refused_naming_the_field(
    nurse: Session, form: PatientForm, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_patient(nurse, form)
    assert caught.value.field == field
    assert search_patients(nurse, "") == []


def test_same_national_number_twice_is_refused(nurse: Session) -> None:
    first = register_patient(nurse, PatientForm("Awa", "Koné", "female", national_id="CI123456"))
    with pytest.raises(DuplicatePatient) as caught:
        register_patient(nurse, PatientForm("Awa", "Kone", "female", national_id="ci 123456"))
    assert caught.value.existing_id == first.id


def test_registration_is_queued_for_central(nurse: Session) -> None:
    patient = register_patient(nurse, PatientForm("Awa", "Koné", "female"))
    row = nurse.store.one("SELECT kind FROM outbox WHERE record_id = ?", (patient.id,))
    assert row is not None
    assert row["kind"] == "patient"


def test_search_and_chart_opening_are_audited_without_the_query(nurse: Session) -> None:
    patient = register_patient(nurse, PatientForm("Awa", "Koné", "female"))
    search_patients(nurse, "Koné")
    open_chart(nurse, patient.id)
    nurse.flush_audit()  # reads are audited through a queue (security/audit_queue.py)
    rows = nurse.store.all("SELECT * FROM audit_events ORDER BY seq")
    actions = [r["action"] for r in rows]
    assert "search_patients" in actions
    assert "open_chart" in actions
    for row in rows:
        assert "Kon" not in " ".join(str(v) for v in tuple(row))


def test_read_audit_entries_reach_the_chain_with_the_next_save_and_at_close(
    clinic_dir: Path,
) -> None:
    from clinic_app.security.accounts import login
    from clinic_app.security.audit import verify_audit_chain
    from tests.conftest import PASSWORDS

    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    patient = register_patient(nurse, PatientForm("Awa", "Koné", "female", national_id="CI1234"))

    def opened() -> int:
        row = nurse.store.one("SELECT count(*) AS n FROM audit_events WHERE action = 'open_chart'")
        return int(row["n"])

    open_chart(nurse, patient.id)
    assert opened() == 0  # queued: a read writes nothing by itself
    register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female"))
    assert opened() == 1  # the next save appended it, in the same transaction
    open_chart(nurse, patient.id)
    twin = PatientForm("Awa", "Kone", "female", national_id="CI-1234")
    with pytest.raises(DuplicatePatient):  # refused inside its transaction: rolled back
        register_patient(nurse, twin)
    assert opened() == 1  # the read entry went back to the queue, not lost
    open_chart(nurse, patient.id)
    nurse.close()  # closing flushes what is still queued
    again = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    row = again.store.one("SELECT count(*) AS n FROM audit_events WHERE action = 'open_chart'")
    assert row["n"] == 3
    assert verify_audit_chain(again.store).intact
    again.close()


def test_a_national_number_is_found_as_written_on_the_card_or_in_part(nurse: Session) -> None:
    register_patient(nurse, PatientForm("Marie", "Laurent", "female", national_id="CI 0012 3456"))
    for query in ("CI 0012 3456", "ci-0012-3456", "CI00123456", "0012 3456", "00123456"):
        assert names(nurse, query) == {"Marie Laurent"}, query


@pytest.mark.parametrize("written", ["CI-0012-3456", "ci/0012/3456", "C.I. 0012 3456"])
def test_the_same_number_written_differently_is_the_same_patient(
    nurse: Session, written: str
) -> None:
    register_patient(nurse, PatientForm("Marie", "Laurent", "female", national_id="CI 0012 3456"))
    with pytest.raises(DuplicatePatient):
        register_patient(nurse, PatientForm("Marie", "Laurent", "female", national_id=written))


@pytest.mark.parametrize(
    "name",
    [
        "Awa\0x",
        "\u200b",
        "\u0301\u0301",
        "-",
        "'",
        "...",
        "!!!",
        "Ali\u202eenoK",
    ],
)
def test_junk_and_invisible_characters_are_refused_in_names(nurse: Session, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_patient(nurse, PatientForm(name, "Koné", "female"))
    assert caught.value.field == "given_name"


@pytest.mark.parametrize(
    "form",
    [
        PatientForm("Awa", "Koné", "female", village="V" * 101),
        PatientForm("Awa", "Koné", "female", birth_date="1990-01-01"),  # type: ignore[arg-type]
        PatientForm(None, "Koné", "female"),  # type: ignore[arg-type]
        PatientForm("Awa", "Koné", "female", phone="+225\x0007"),
    ],
)
def test_wrong_types_and_unbounded_fields_get_a_clear_refusal(
    nurse: Session, form: PatientForm
) -> None:
    with pytest.raises(InvalidInput):
        register_patient(nurse, form)


def test_names_from_many_languages_are_welcome(nurse: Session) -> None:
    for given, family in (("Ɛkua", "Ŋgɔ"), ("Jean-Baptiste", "D'Almeida"), ("Ndèye", "M'Bengue")):
        register_patient(nurse, PatientForm(given, family, "female"))
    assert names(nurse, "ngo") == {"Ɛkua Ŋgɔ"} or names(nurse, "ŋgɔ") == {"Ɛkua Ŋgɔ"}


def test_a_name_typed_with_a_combining_accent_is_kept_composed(nurse: Session) -> None:
    patient = register_patient(nurse, PatientForm("Zoe\u0301", "N'Guessan", "female"))
    assert patient.given_name == "Zoé"  # one character: printed and signed alike
    assert names(nurse, "zoé") == {"Zoé N'Guessan"}


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("(+225) 01 34 63 47 12", "(+225) 01 34 63 47 12"),
        ("+225 0134634712", "+225 0134634712"),
        ("07-12-34-56", "07-12-34-56"),
        ("+1 (555) 010.9999", "+1 (555) 010.9999"),
        ("07/12/34/56/78", "07/12/34/56/78"),
        ("00225 07 12 34 56 78", "00225 07 12 34 56 78"),
        ("٠٧١٢٣٤٥٦٧٨", "0712345678"),  # Arabic-Indic digits, kept as 0-9
        ("０７ １２ ３４ ５６ ７８", "07 12 34 56 78"),  # fullwidth, from a phone's keyboard
    ],
)
def test_phone_numbers_as_people_write_them_are_accepted(
    nurse: Session, phone: str, stored: str
) -> None:
    patient = register_patient(nurse, PatientForm("Awa", "Koné", "female", phone=phone))
    assert open_chart(nurse, patient.id).phone == stored


@pytest.mark.parametrize("name", ["王", "محمد", "ߒߞߏ", "አበበ", "สมชาย", "Awa ዘውዱ"])
def test_a_name_the_documents_cannot_print_is_refused_with_a_way_out(
    nurse: Session, name: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_patient(nurse, PatientForm(name, "Koné", "female"))
    assert caught.value.field == "given_name"
    assert "Latin letters" in str(caught.value)
    assert name not in str(caught.value)  # an error message carries no name


@pytest.mark.parametrize("name", ["Nguyễn", "Łukasz", "Ærø", "Şahin", "Дмитрий", "Ἀλέξανδρος"])
def test_names_in_letters_the_documents_print_are_accepted(nurse: Session, name: str) -> None:
    patient = register_patient(nurse, PatientForm(name, "Koné", "female"))
    assert open_chart(nurse, patient.id).given_name == name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("𝔸𝕨𝕒", "Awa"),
        ("ﬁona", "fiona"),
        ("Ｚｏé", "Zoé"),
        ("Nguye\u0302\u0303n", "Nguyễn"),
        ("\u02b0awa", "hawa"),
    ],
)
def test_letters_in_a_compatibility_form_are_stored_as_the_letters(
    nurse: Session, typed: str, stored: str
) -> None:
    patient = register_patient(nurse, PatientForm(typed, "Koné", "female"))
    assert open_chart(nurse, patient.id).given_name == stored
    assert stored in {p.given_name for p in search_patients(nurse, stored.lower())}


@pytest.mark.parametrize(
    "name",
    [
        "\u0410wa",  # a Cyrillic А among Latin letters: looks like Awa, never found as awa
        "Zo\u0435",  # a Cyrillic е
        "A" + "\u0301\u0300\u0302\u0303\u0308" * 3,  # accents piled on one letter
    ],
)
def test_look_alike_and_piled_up_letters_are_refused(nurse: Session, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_patient(nurse, PatientForm(name, "Koné", "female"))
    assert caught.value.field == "given_name"


def test_each_word_may_have_its_own_alphabet(nurse: Session) -> None:
    patient = register_patient(nurse, PatientForm("Awa Дарья", "Koné", "female"))
    assert open_chart(nurse, patient.id).given_name == "Awa Дарья"


@pytest.mark.parametrize(
    "again",
    [
        PatientForm("Mariam", "Bamba", "female", date(1990, 5, 1)),
        PatientForm("MARIAM", "bamba", "female", date(1990, 5, 1)),  # case and accents aside
        PatientForm("Mariam", "Bamba", "female", phone="+225 07 11 22 33 44"),
    ],
)
def test_someone_registered_already_is_flagged_and_may_be_saved_anyway(
    nurse: Session, again: PatientForm
) -> None:
    from clinic_app.records.patients import PossibleDuplicate

    first = register_patient(
        nurse, PatientForm("Mariam", "Bamba", "female", date(1990, 5, 1), phone="0711223344")
    )
    with pytest.raises(PossibleDuplicate) as caught:
        register_patient(nurse, again)
    assert caught.value.existing_ids == [first.id]
    assert "Mariam" not in str(caught.value)  # the message names nobody
    assert len(search_patients(nurse, "bamba")) == 1  # nothing written
    register_patient(nurse, again, despite_similar=True)  # the nurse looked: another Mariam
    assert len(search_patients(nurse, "bamba")) == 2


def test_the_same_names_alone_are_not_flagged(nurse: Session) -> None:
    register_patient(nurse, PatientForm("Koffi", "Kouassi", "male", date(1970, 1, 1)))
    register_patient(nurse, PatientForm("Koffi", "Kouassi", "male", date(1985, 3, 3)))
    register_patient(nurse, PatientForm("Koffi", "Kouassi", "male"))
    assert len(search_patients(nurse, "koffi kouassi")) == 3
