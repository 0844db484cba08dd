from datetime import date

import pytest

from civicgrid.core.errors import ValidationFailed
from civicgrid.core.personal import (
    birth_date_from_id,
    gender_from_id,
    id_check_digit,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
)

VALID = "11010519491231002X"  # the example number of GB 11643-1999


def test_standard_example_is_valid():
    assert id_check_digit(VALID[:17]) == "X"
    assert normalize_id_number(VALID.lower()) == VALID
    assert birth_date_from_id(VALID) == date(1949, 12, 31)
    assert gender_from_id(VALID) == "female"


@pytest.mark.parametrize("bad", ["110105194912310021", "1101051949123100", "11010519491331002X", "ABCDEFGHIJKLMNOPQR"])
def test_invalid_numbers_have_a_stable_code(bad):
    with pytest.raises(ValidationFailed) as caught:
        normalize_id_number(bad)
    assert caught.value.code == "invalid_id_number"


def test_masks():
    assert mask_id_number(VALID) == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("raw,expected", [("138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"),
                                          ("010-68871234", "010-68871234")])
def test_phone_normalization(raw, expected):
    assert normalize_phone(raw) == expected


def test_bad_phone():
    with pytest.raises(ValidationFailed) as caught:
        normalize_phone("12345")
    assert caught.value.code == "invalid_phone"
