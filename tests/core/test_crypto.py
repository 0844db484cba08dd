import pytest
from django.test import override_settings

from civicgrid.core import crypto
from civicgrid.core.errors import ConfigurationError

KEY_A = "a1:" + "ab" * 32
KEY_B = "b2:" + "cd" * 32


def test_round_trip_and_fresh_iv():
    first, second = crypto.encrypt("110107199001011234"), crypto.encrypt("110107199001011234")
    assert first != second
    assert "110107199001011234" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "110107199001011234"


def test_tampered_ciphertext_is_rejected():
    token = crypto.encrypt("13812345678")
    key_id, payload = token.split("$")
    flipped = payload[:-6] + ("A" if payload[-6] != "A" else "B") + payload[-5:]
    with pytest.raises(Exception):  # noqa: B017 - cryptography raises InvalidTag
        crypto.decrypt(f"{key_id}${flipped}")


def test_rotation_decrypts_old_and_encrypts_with_new():
    with override_settings(DATA_KEYS=KEY_A):
        old = crypto.encrypt("secret")
        old_index = crypto.blind_index("secret")
    with override_settings(DATA_KEYS=f"{KEY_B},{KEY_A}"):
        assert crypto.decrypt(old) == "secret"
        assert crypto.key_id_of(crypto.encrypt("secret")) == "b2"
        assert old_index in crypto.blind_index_candidates("secret")
        assert crypto.blind_index("secret") != old_index


def test_unknown_key_is_a_configuration_error():
    with override_settings(DATA_KEYS=KEY_A):
        token = crypto.encrypt("x")
    with override_settings(DATA_KEYS=KEY_B), pytest.raises(ConfigurationError):
        crypto.decrypt(token)


@pytest.mark.parametrize("spec", ["", "nokey", "k1:abcd", "k1:" + "zz" * 32, f"{KEY_A},{KEY_A}"])
def test_malformed_key_specs(spec):
    with pytest.raises(ConfigurationError):
        crypto.parse_keys(spec)


def test_blind_index_normalizes_spacing_and_case():
    assert crypto.blind_index("11010719900101123x") == crypto.blind_index(" 11010719900101123X ")
