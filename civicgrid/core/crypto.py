"""Personal data at rest: SM4-GCM encryption with key rotation and an HMAC-SM3 blind index.

Keys come from settings.DATA_KEYS, a comma-separated list of `id:hex32bytes`; the first one encrypts,
all of them decrypt and are tried for lookups, so a key can be rotated in and the rows re-encrypted later.
Each 32-byte master key is split by HKDF into an SM4 key and an index key.

Tokens are bound to their place: `v2:key_id$base64(iv | ciphertext | tag)`, with the caller's associated
data (for a column: table, column and row key, see `core.encrypted`) authenticated by GCM, so a token copied
to another row or column fails with DecryptionFailed. Legacy tokens `key_id$…` (no place) still decrypt
until `civicgrid reencrypt` has rewritten them.
"""

import base64
import binascii
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from civicgrid.core.errors import ConfigurationError

_TAG_BYTES = 16
_IV_BYTES = 12
BOUND_PREFIX = "v2:"
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class DecryptionFailed(Exception):
    """A token that does not authenticate here: tampered, or copied from another row or column."""


@dataclass(frozen=True)
class DataKey:
    key_id: str
    cipher_key: bytes
    index_key: bytes


def _derive(master: bytes, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=b"civicgrid", info=purpose).derive(master)


def parse_keys(spec: str) -> tuple[DataKey, ...]:
    keys = []
    for entry in (part.strip() for part in spec.split(",")):
        if not entry:
            continue
        key_id, sep, hex_key = entry.partition(":")
        try:
            master = bytes.fromhex(hex_key)
        except ValueError:
            master = b""
        if not sep or not _KEY_ID.fullmatch(key_id) or len(master) != 32:
            raise ConfigurationError("CIVICGRID_DATA_KEYS entries must look like `id:<64 hex digits>` "
                                     "(id: letters, digits, `_.-`)")
        keys.append(DataKey(key_id, _derive(master, b"sm4-gcm", 16), _derive(master, b"blind-index", 32)))
    if not keys:
        raise ConfigurationError("CIVICGRID_DATA_KEYS holds no key")
    if len({k.key_id for k in keys}) != len(keys):
        raise ConfigurationError("CIVICGRID_DATA_KEYS repeats a key id")
    return tuple(keys)


@lru_cache(maxsize=4)
def _keys_for(spec: str) -> tuple[DataKey, ...]:
    return parse_keys(spec)


def keys() -> tuple[DataKey, ...]:
    return _keys_for(settings.DATA_KEYS)


def active_key() -> DataKey:
    return keys()[0]


def key_ids() -> list[str]:
    return [k.key_id for k in keys()]


def encrypt(plaintext: str, *, aad: str, key: DataKey | None = None) -> str:
    """Return `v2:key_id$base64(iv | ciphertext | tag)`, authenticated together with `aad` (its place)."""
    key = key or active_key()
    iv = os.urandom(_IV_BYTES)
    encryptor = Cipher(algorithms.SM4(key.cipher_key), modes.GCM(iv)).encryptor()
    encryptor.authenticate_additional_data(_bound_aad(key.key_id, aad))
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return f"{BOUND_PREFIX}{key.key_id}${base64.b64encode(iv + body + encryptor.tag).decode()}"


def _bound_aad(key_id: str, aad: str) -> bytes:
    return f"{BOUND_PREFIX}{key_id}\x00{aad}".encode()


def is_bound(token: str) -> bool:
    return token.startswith(BOUND_PREFIX)


def key_id_of(token: str) -> str:
    return token.removeprefix(BOUND_PREFIX).partition("$")[0]


def decrypt(token: str, *, aad: str | None) -> str:
    """The plaintext of a token sealed with this `aad`; a legacy token (no place) ignores `aad`.

    ConfigurationError when the token's key is not configured; DecryptionFailed when it does not
    authenticate (tampered, or sealed for another place)."""
    key_id, _, payload = token.removeprefix(BOUND_PREFIX).partition("$")
    by_id = {k.key_id: k for k in keys()}
    if key_id not in by_id:
        raise ConfigurationError(f"personal-data key {key_id!r} is not configured")
    if is_bound(token) and aad is None:
        raise DecryptionFailed("a bound personal-data token was read without its place")
    associated = _bound_aad(key_id, aad) if is_bound(token) and aad is not None else key_id.encode()
    try:
        raw = base64.b64decode(payload, validate=True)
        iv, body, tag = raw[:_IV_BYTES], raw[_IV_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(by_id[key_id].cipher_key), modes.GCM(iv, tag)).decryptor()
        decryptor.authenticate_additional_data(associated)
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise DecryptionFailed("personal-data token does not authenticate here "
                               "(tampered, or copied from another row or column)") from exc


def blind_index(value: str, *, key: DataKey | None = None) -> str:
    mac = hmac.HMAC((key or active_key()).index_key, hashes.SM3())
    mac.update(normalize(value).encode())
    return mac.finalize().hex()


def blind_index_candidates(value: str) -> list[str]:
    """Index values under every configured key, so lookups work while a rotation is under way."""
    return [blind_index(value, key=k) for k in keys()]


def normalize(value: str) -> str:
    return "".join(value.split()).upper()
