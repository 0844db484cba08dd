import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.test import override_settings

from civicgrid.core import crypto
from civicgrid.core.errors import ConfigurationError

KEY_A = "a1:" + "ab" * 32
KEY_B = "b2:" + "cd" * 32
PLACE = "people_resident|id_number_cipher|row-1"


def legacy_token(plaintext: str) -> str:
    """A token as written before ciphertexts were bound to their place: `key_id$…`, key id as the only AAD."""
    key = crypto.active_key()
    iv = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key.cipher_key), modes.GCM(iv)).encryptor()
    encryptor.authenticate_additional_data(key.key_id.encode())
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return f"{key.key_id}${base64.b64encode(iv + body + encryptor.tag).decode()}"


def test_round_trip_and_fresh_iv():
    first, second = crypto.encrypt("110107199001011234", aad=PLACE), crypto.encrypt("110107199001011234", aad=PLACE)
    assert first != second
    assert "110107199001011234" not in first
    assert crypto.decrypt(first, aad=PLACE) == crypto.decrypt(second, aad=PLACE) == "110107199001011234"
    assert crypto.is_bound(first) and first.startswith("v2:t1$")


def test_tampered_ciphertext_is_rejected():
    token = crypto.encrypt("13812345678", aad=PLACE)
    prefix, payload = token.split("$")
    flipped = payload[:-6] + ("A" if payload[-6] != "A" else "B") + payload[-5:]
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(f"{prefix}${flipped}", aad=PLACE)


def test_token_from_another_place_is_rejected():
    token = crypto.encrypt("13812345678", aad=PLACE)
    for other in ("people_resident|id_number_cipher|row-2", "people_resident|phone_cipher|row-1", ""):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt(token, aad=other)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token, aad=None)


def test_legacy_tokens_still_decrypt():
    token = legacy_token("13812345678")
    assert not crypto.is_bound(token) and crypto.key_id_of(token) == "t1"
    assert crypto.decrypt(token, aad=PLACE) == crypto.decrypt(token, aad=None) == "13812345678"


def test_rotation_decrypts_old_and_encrypts_with_new():
    with override_settings(DATA_KEYS=KEY_A):
        old = crypto.encrypt("secret", aad=PLACE)
        old_index = crypto.blind_index("secret")
    with override_settings(DATA_KEYS=f"{KEY_B},{KEY_A}"):
        assert crypto.decrypt(old, aad=PLACE) == "secret"
        assert crypto.key_id_of(old) == "a1"
        assert crypto.key_id_of(crypto.encrypt("secret", aad=PLACE)) == "b2"
        assert old_index in crypto.blind_index_candidates("secret")
        assert crypto.blind_index("secret") != old_index


def test_unknown_key_is_a_configuration_error():
    with override_settings(DATA_KEYS=KEY_A):
        token = crypto.encrypt("x", aad=PLACE)
    with override_settings(DATA_KEYS=KEY_B), pytest.raises(ConfigurationError):
        crypto.decrypt(token, aad=PLACE)


@pytest.mark.parametrize("spec", ["", "nokey", "k1:abcd", "k1:" + "zz" * 32, f"{KEY_A},{KEY_A}",
                                  "k$1:" + "ab" * 32, "v 2:" + "ab" * 32])
def test_malformed_key_specs(spec):
    with pytest.raises(ConfigurationError):
        crypto.parse_keys(spec)


def test_blind_index_normalizes_spacing_and_case():
    assert crypto.blind_index("11010719900101123x") == crypto.blind_index(" 11010719900101123X ")
