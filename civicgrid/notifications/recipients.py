"""Who an event goes to, and where each person's addresses are read from at send time."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

from civicgrid.notifications.registry import Channel


@dataclass(frozen=True)
class AddressRef:
    """Where an address lives: a column (encrypted `<field>_cipher`, or plain `<field>`) of one row."""

    model: str  # app_label.model_name
    pk: str
    field: str
    masked: str

    @classmethod
    def of(cls, instance: models.Model, field: str, masked: str) -> "AddressRef":
        return cls(model=instance._meta.label_lower, pk=str(instance.pk), field=field, masked=masked)


@dataclass(frozen=True)
class Recipient:
    """A user (reached on the channels they chose) or a bare phone number kept by a module (a reporter
    without an account: SMS only, for kinds registered with `to_addresses=True`). For a user, `address` is
    the phone to use when they have none of their own (the one a case was reported with)."""

    user_id: int | None = None
    address: AddressRef | None = None

    @classmethod
    def user(cls, user, *, phone_from: models.Model | None = None, field: str = "phone") -> "Recipient":
        fallback = AddressRef.of(phone_from, field, getattr(phone_from, f"{field}_masked", "")) if phone_from else None
        return cls(user_id=user if isinstance(user, int) else user.pk, address=fallback)

    @classmethod
    def phone_of(cls, instance: models.Model, field: str = "phone") -> "Recipient":
        """The phone in `instance.<field>_cipher`, masked copy in `<field>_masked`."""
        return cls(address=AddressRef.of(instance, field, getattr(instance, f"{field}_masked", "")))

    @property
    def identity(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        assert self.address is not None
        return f"{self.address.model}:{self.address.pk}:{self.address.field}"


PhoneSource = Callable[[list[int]], dict[int, AddressRef]]
_phone_sources: list[PhoneSource] = []


def register_phone_source(source: PhoneSource) -> None:
    """A module that keeps users' phones (volunteering keeps volunteers') offers them for SMS:
    `source(user_ids) -> {user_id: AddressRef}`. A phone in the user's own Contact comes first."""
    if source not in _phone_sources:
        _phone_sources.append(source)


def addresses_for(users: Iterable, contacts: dict, fallbacks: dict[int, AddressRef] | None = None, *,
                  phone_sources: bool = True) -> dict[int, dict[str, AddressRef]]:
    """For each user, the address per outside channel that they have (`fallbacks`: phones given with the event).
    Without `phone_sources`, phones kept by other modules are not looked up (nobody is to get an SMS)."""
    found: dict[int, dict[str, AddressRef]] = {}
    missing_phone = []
    for user in users:
        contact = contacts.get(user.pk)
        mine: dict[str, AddressRef] = {}
        if user.email:
            mine[Channel.EMAIL] = AddressRef.of(user, "email", _mask_email(user.email))
        if contact is not None and contact.phone_cipher:
            mine[Channel.SMS] = AddressRef.of(contact, "phone", contact.phone_masked)
        elif fallbacks and user.pk in fallbacks:
            mine[Channel.SMS] = fallbacks[user.pk]
        else:
            missing_phone.append(user.pk)
        if contact is not None and contact.wechat_openid:
            mine[Channel.WECHAT] = AddressRef.of(contact, "wechat_openid", contact.wechat_openid[:4] + "…")
        found[user.pk] = mine
    for source in _phone_sources if phone_sources else ():
        if not missing_phone:
            break
        for user_id, ref in source(missing_phone).items():
            found[user_id].setdefault(Channel.SMS, ref)
        missing_phone = [pk for pk in missing_phone if Channel.SMS not in found[pk]]
    return found


def _mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"
