"""Personnummer and samordningsnummer rules (issue 2, part 3).

Reads Skatteverket's published test numbers (../shared/data/testpersonnummer):
every one must be accepted and normalise to itself, and every single-digit
corruption of its last ten digits must be rejected.
"""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jobbtorg.core import personnummer
from jobbtorg.testing.factories import TEST_NUMBERS_FILE

TODAY = datetime.date(2026, 11, 23)
EXPECTED_COUNT = 27_420


@pytest.fixture(scope="module")
def skatteverket_numbers() -> list[str]:
    numbers = TEST_NUMBERS_FILE.read_text().split()
    assert len(numbers) == EXPECTED_COUNT, "the shared test-number file changed; update the test"
    return numbers


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def error_of(value: str, today: datetime.date = TODAY) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        personnummer.normalise(value, today=today)
    return caught.value


def with_check_digit(twelve_without_check: str) -> str:
    """Append the right check digit to 11 digits ÅÅÅÅMMDDNNN (even for impossible dates)."""
    return twelve_without_check + str(personnummer.luhn_check_digit(twelve_without_check[2:]))


# --- Skatteverket's test numbers ------------------------------------------------------------


def test_all_skatteverket_test_numbers_are_accepted_and_normalise_to_themselves(skatteverket_numbers):
    rejected = [n for n in skatteverket_numbers if personnummer.normalise(n, today=TODAY) != n]
    assert rejected == []


def test_every_single_digit_corruption_of_the_last_ten_digits_is_rejected(skatteverket_numbers):
    # problem() is the exception-free core that normalise() and the model validator use;
    # calling it directly keeps 2.5 million checks to a few seconds.
    problem = personnummer.problem
    accepted = []
    checked = 0
    for number in skatteverket_numbers:
        for position in range(2, 12):
            head, original, tail = number[:position], number[position], number[position + 1 :]
            for digit in "0123456789":
                if digit == original:
                    continue
                checked += 1
                if problem(head + digit + tail, TODAY) is None:
                    accepted.append(head + digit + tail)
    assert checked == EXPECTED_COUNT * 10 * 9
    assert accepted == []


def test_corruption_is_rejected_through_normalise_too(skatteverket_numbers):
    rng = random.Random(2)
    for number in rng.sample(skatteverket_numbers, 300):
        position = rng.randrange(2, 12)
        digit = rng.choice([d for d in "0123456789" if d != number[position]])
        corrupted = number[:position] + digit + number[position + 1 :]
        assert error_of(corrupted).code in {personnummer.CHECKSUM, personnummer.DATE}


def test_ten_digit_forms_with_the_right_separator_give_back_the_same_number(skatteverket_numbers):
    for number in skatteverket_numbers:
        short = personnummer.short_form(number, today=TODAY)
        assert personnummer.normalise(short, today=TODAY) == number, short


def test_the_check_digit_is_luhn_over_the_nine_digits_before_it(skatteverket_numbers):
    wrong = [n for n in skatteverket_numbers if personnummer.luhn_check_digit(n[2:11]) != int(n[11])]
    assert wrong == []


def test_agrees_with_the_personnummer_library_on_random_candidates():
    library = pytest.importorskip("personnummer.personnummer")
    rng = random.Random(7)
    disagreements = []
    for _ in range(20_000):
        year = rng.randint(1900, 2025)
        candidate = f"{year}{rng.randint(1, 13):02d}{rng.randint(0, 92):02d}{rng.randint(1, 999):03d}{rng.randint(0, 9)}"
        ours = personnummer.problem(candidate, datetime.date.max) is None
        if ours != library.valid(candidate):
            disagreements.append(candidate)
    assert disagreements == []


# --- century from the separator ------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        ("850709-9805", "198507099805"),  # born 1985: 41 this year
        ("8507099805", "198507099805"),  # no separator reads like "-"
        ("850709+9805", "188507099805"),  # "+": 100 or older
        ("000101-0008", "200001010008"),
        ("261122-1231", "202611221231"),  # born yesterday
    ],
)
def test_ten_digit_input_takes_its_century_from_the_separator(short, expected):
    assert personnummer.normalise(short, today=TODAY) == expected


def test_separator_changes_to_plus_in_the_year_the_person_turns_100():
    born_1926 = personnummer.build(datetime.date(1926, 12, 31), 982)
    assert personnummer.short_form(born_1926, today=datetime.date(2025, 12, 31)) == f"{born_1926[2:8]}-{born_1926[8:]}"
    assert personnummer.short_form(born_1926, today=datetime.date(2026, 1, 1)) == f"{born_1926[2:8]}+{born_1926[8:]}"
    assert personnummer.normalise(f"{born_1926[2:8]}+{born_1926[8:]}", today=datetime.date(2026, 1, 1)) == born_1926
    # With "-" in 2026 the same digits mean 31 December 2026, which has not happened yet.
    assert error_of(f"{born_1926[2:8]}-{born_1926[8:]}", today=datetime.date(2026, 6, 1)).code == personnummer.FUTURE


def test_the_century_follows_the_given_day_not_the_server_clock():
    number = personnummer.build(datetime.date(1930, 3, 1), 981)
    short_minus = f"{number[2:8]}-{number[8:]}"
    assert personnummer.normalise(short_minus, today=datetime.date(2029, 1, 1)) == number
    # From 2030 the person is 100 and "-" would mean 2030: not born yet on 2030-01-01.
    assert error_of(short_minus, today=datetime.date(2030, 1, 1)).code == personnummer.FUTURE


def test_twelve_digit_input_keeps_its_century_whatever_the_separator():
    assert personnummer.normalise("19850709-9805", today=TODAY) == "198507099805"
    assert personnummer.normalise("19850709+9805", today=TODAY) == "198507099805"


def test_spaces_are_ignored():
    assert personnummer.normalise(" 19850709 - 9805 ", today=TODAY) == "198507099805"
    assert personnummer.normalise("850709 9805", today=TODAY) == "198507099805"


# --- samordningsnummer -----------------------------------------------------------------------


def test_samordningsnummer_day_plus_60_is_accepted():
    # Skatteverket's published example samordningsnummer.
    assert personnummer.normalise("701063-2391", today=TODAY) == "197010632391"
    number = personnummer.build(datetime.date(1985, 7, 9), 984, coordination=True)
    assert number[6:8] == "69"
    assert personnummer.normalise(number, today=TODAY) == number
    assert personnummer.is_coordination_number(number)
    assert not personnummer.is_coordination_number("198507099805")


def test_samordningsnummer_birth_date_subtracts_60():
    assert personnummer.birth_date("197010632391") == datetime.date(1970, 10, 3)
    assert personnummer.birth_date("198507099805") == datetime.date(1985, 7, 9)


@pytest.mark.parametrize("day", ["00", "32", "60", "92", "99"])
def test_samordningsnummer_day_outside_61_to_91_is_an_impossible_date(day):
    assert error_of(with_check_digit(f"198507{day}980")).code == personnummer.DATE


def test_samordningsnummer_must_be_a_real_date_after_subtracting_60():
    # 31 April + 60 = 91: the day is in range, but 31 April does not exist.
    assert error_of(with_check_digit("19850491980")).code == personnummer.DATE
    assert personnummer.normalise(with_check_digit("19850391980"), today=TODAY).endswith(
        with_check_digit("19850391980")[-4:]
    )


# --- real calendar dates ---------------------------------------------------------------------


def test_29_february_is_accepted_in_a_leap_year():
    for year in ("1996", "2000", "2024"):
        number = with_check_digit(f"{year}0229982")
        assert personnummer.normalise(number, today=TODAY) == number
        assert personnummer.birth_date(number) == datetime.date(int(year), 2, 29)


def test_29_february_is_rejected_in_a_non_leap_year():
    for year in ("1999", "1900", "2023"):  # 1900: divisible by 100, not by 400
        assert error_of(with_check_digit(f"{year}0229982")).code == personnummer.DATE


def test_29_february_samordningsnummer_follows_the_leap_year_rule():
    assert personnummer.normalise(with_check_digit("19960289982"), today=TODAY) == with_check_digit("19960289982")
    assert error_of(with_check_digit("19970289982")).code == personnummer.DATE


@pytest.mark.parametrize("number", ["19851309982", "19850009982", "19850431982", "19850100982"])
def test_a_month_or_day_that_does_not_exist_is_an_impossible_date(number):
    assert error_of(with_check_digit(number)).code == personnummer.DATE


def test_a_birth_date_in_the_future_is_rejected():
    tomorrow = with_check_digit("20261124982")
    assert error_of(tomorrow).code == personnummer.FUTURE
    assert personnummer.normalise(tomorrow, today=datetime.date(2026, 11, 24)) == tomorrow


# --- one Swedish message per failure ---------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["", "   ", "12345", "1985070998051", "85070998", "8507O99805", "850709--9805", "85-0709-9805", "١٩٨٥٠٧٠٩٩٨٠٥"],
)
def test_wrong_format_or_length_gives_the_format_message(value):
    error = error_of(value)
    assert error.code == personnummer.FORMAT
    assert error.messages == ["Ange personnumret med 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."]


def test_none_gives_the_format_message():
    assert error_of(None).code == personnummer.FORMAT  # type: ignore[arg-type]


def test_impossible_date_gives_the_date_message():
    error = error_of(with_check_digit("19990229982"))
    assert error.messages == ["Datumet i personnumret finns inte – kontrollera år, månad och dag."]


def test_wrong_check_digit_gives_the_checksum_message():
    error = error_of("198507099806")
    assert error.code == personnummer.CHECKSUM
    assert error.messages == ["Kontrollsiffran stämmer inte – kontrollera personnumret."]


def test_future_date_gives_the_future_message():
    error = error_of(with_check_digit("20300101982"))
    assert error.messages == ["Födelsedatumet i personnumret har inte inträffat än – kontrollera året."]


def test_each_failure_has_its_own_message():
    codes = [personnummer.FORMAT, personnummer.DATE, personnummer.FUTURE, personnummer.CHECKSUM]
    assert len({personnummer.message(code) for code in codes}) == len(codes)
    with pytest.raises(ValueError):
        personnummer.message("nonsense")


# --- model validator, display, derived facts -------------------------------------------------


def test_validate_normalised_accepts_only_twelve_valid_digits():
    personnummer.validate_normalised("198507099805")
    for value in ["8507099805", "19850709-9805", "198507099806", with_check_digit("19990229982")]:
        with pytest.raises(ValidationError):
            personnummer.validate_normalised(value)


def test_display_is_eight_digits_dash_four():
    assert personnummer.display("198507099805") == "19850709-9805"


def test_second_last_digit_even_is_female_odd_is_male():
    assert personnummer.is_female("198507099805")  # 0
    assert not personnummer.is_female("189001029819")  # 1


def test_build_makes_valid_numbers_and_refuses_serial_zero():
    number = personnummer.build(datetime.date(2008, 2, 29), 7)
    assert number.startswith("20080229007")
    assert personnummer.problem(number, TODAY) is None
    with pytest.raises(ValueError):
        personnummer.build(datetime.date(2008, 2, 29), 0)


def test_is_valid_wraps_normalise():
    assert personnummer.is_valid("850709-9805", today=TODAY)
    assert not personnummer.is_valid("850709-9806", today=TODAY)
