import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civicgrid.core.creditcode import clean_credit_code, is_valid, validate_credit_code
from civicgrid.core.errors import ValidationFailed

# Published codes, read off business licences and registration certificates (enterprises, a foundation).
PUBLISHED = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 腾讯科技(深圳)有限公司
    "91330100799655058B",  # 阿里巴巴(中国)有限公司
    "91350100M000100Y43",  # the example in GB 32100-2015's explanatory material
    "53100000500021676K",  # 中国青少年发展基金会 (53: a foundation registered by civil affairs)
    "91110000100010433L",
    "91110108551385082Q",
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert is_valid(code)
    validate_credit_code(code)


@pytest.mark.parametrize("code", PUBLISHED)
def test_any_one_changed_character_is_refused(code):
    # 31 is prime and no weight is a multiple of it: every single-character typo changes the check
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(18):
        changed = alphabet[(alphabet.index(code[position]) + 7) % len(alphabet)]
        assert not is_valid(code[:position] + changed + code[position + 1:])


def test_spaces_and_lower_case_are_tolerated():
    assert clean_credit_code(" 9144 0300 7152 6726xg ") == "9144030071526726XG"


@pytest.mark.parametrize("code,words", [
    ("91440300192203821", "18"),
    ("9144030019220382IO", "I"),
    ("91AB0300192203821X", "region"),
    ("914403001922038217", "check"),
])
def test_refusals_have_a_stable_code_and_say_what_is_wrong(code, words):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        clean_credit_code(code, field="credit_code")
    assert refused.value.code == "credit_code_invalid" and refused.value.field == "credit_code"
    with translation.override("en"):
        assert words in str(refused.value.message)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        clean_credit_code(code)
        assert "统一社会信用代码" in str(refused.value.message) or "校验码" in str(refused.value.message)
    with pytest.raises(ValidationError):
        validate_credit_code(code)
