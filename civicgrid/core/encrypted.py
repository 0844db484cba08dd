"""The registry of encrypted personal-data columns, and the helpers that seal a value to its place.

A module declares its encrypted columns once, on the model:

    @encrypted_fields("id_number", "phone", indexed=("id_number", "phone"))
    class Resident(models.Model):
        row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
        id_number_cipher = ...; id_number_index = ...

`<name>_cipher` holds the token, `<name>_index` (when indexed) the blind index under the active key.
`row_key` is a random UUID given at the first seal and never changed: unlike the primary key it exists
before the INSERT, so rows can be sealed and bulk-created in one statement. The token's associated data is
`table|column|row key`, so a token copied to another row or column does not decrypt.
`civicgrid reencrypt` walks this registry (see `core.rotation`).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

from civicgrid.core import crypto

ROW_KEY_FIELD = "row_key"


@dataclass(frozen=True)
class EncryptedField:
    model: type[models.Model]
    name: str
    cipher_field: str
    index_field: str | None
    row_key_field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.db_table}.{self.cipher_field}"

    @cached_property
    def _place_prefix(self) -> str:
        return f"{self.model._meta.db_table}|{self.cipher_field}|"

    def aad(self, row_key) -> str:
        """The place a token is bound to. Renaming the table or column needs a re-seal migration."""
        return f"{self._place_prefix}{row_key}"


_registry: dict[tuple[str, str], EncryptedField] = {}


def encrypted_fields(*names: str, indexed: tuple[str, ...] = (),
                     row_key: str = ROW_KEY_FIELD) -> Callable[[type[models.Model]], type[models.Model]]:
    """Class decorator declaring a model's encrypted columns (`<name>_cipher`, `<name>_index` if indexed)."""
    unknown = set(indexed) - set(names)
    if unknown:
        raise ImproperlyConfigured(f"indexed names not declared as encrypted: {sorted(unknown)}")

    def declare(model: type[models.Model]) -> type[models.Model]:
        for name in names:
            register(model, name, indexed=name in indexed, row_key=row_key)
        return model

    return declare


def register(model: type[models.Model], name: str, *, indexed: bool = False,
             row_key: str = ROW_KEY_FIELD) -> EncryptedField:
    field = EncryptedField(model=model, name=name, cipher_field=f"{name}_cipher",
                           index_field=f"{name}_index" if indexed else None, row_key_field=row_key)
    for attname in filter(None, (field.cipher_field, field.index_field, field.row_key_field)):
        try:
            model._meta.get_field(attname)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"{model._meta.label} declares {name!r} encrypted "
                                       f"but has no field {attname!r}") from exc
    _registry[(model._meta.label_lower, name)] = field
    return field


def registered() -> list[EncryptedField]:
    return sorted(_registry.values(), key=lambda f: (f.model._meta.label_lower, f.cipher_field))


def field_of(model: type[models.Model], name: str) -> EncryptedField:
    try:
        return _registry[(model._meta.label_lower, name)]
    except KeyError:
        raise LookupError(f"{model._meta.label}.{name} is not a registered encrypted field") from None


def seal(instance: models.Model, name: str, value: str) -> None:
    """Encrypt `value` into the instance's `<name>_cipher` (and blind index), bound to this row and column.
    An empty value clears both. Gives the row its row key if it has none yet."""
    field = field_of(type(instance), name)
    if not value:
        setattr(instance, field.cipher_field, "")
        if field.index_field:
            setattr(instance, field.index_field, "")
        return
    row_key = getattr(instance, field.row_key_field)
    if row_key is None:
        row_key = uuid.uuid4()
        setattr(instance, field.row_key_field, row_key)
    setattr(instance, field.cipher_field, crypto.encrypt(value, aad=field.aad(row_key)))
    if field.index_field:
        setattr(instance, field.index_field, crypto.blind_index(value))


def unseal(instance: models.Model, name: str) -> str:
    """The plaintext of `<name>_cipher` ("" when empty); DecryptionFailed if the token belongs elsewhere."""
    field = field_of(type(instance), name)
    token = getattr(instance, field.cipher_field)
    if not token:
        return ""
    row_key = getattr(instance, field.row_key_field)
    return crypto.decrypt(token, aad=field.aad(row_key) if row_key is not None else None)
