"""Reading a message's address at send time: the only place where a phone is decrypted for notifications."""

from django.apps import apps

from civicgrid.core.encrypted import field_of, unseal
from civicgrid.notifications.content import DeliveryError
from civicgrid.notifications.models import Message


def rows_for(messages: list[Message]) -> dict[tuple[str, str], object]:
    """The rows holding a batch's addresses, one query per model (not one per message)."""
    wanted: dict[str, set[str]] = {}
    for message in messages:
        wanted.setdefault(message.address_model, set()).add(message.address_pk)
    rows: dict[tuple[str, str], object] = {}
    for label, pks in wanted.items():
        for row in apps.get_model(label)._default_manager.filter(pk__in=pks):
            rows[(label, str(row.pk))] = row
    return rows


def resolve(message: Message, rows: dict | None = None) -> str:
    model = apps.get_model(message.address_model)
    if rows is not None:
        row = rows.get((message.address_model, message.address_pk))
    else:
        row = model._default_manager.filter(pk=message.address_pk).first()
    if row is None:
        raise DeliveryError("the recipient's record is gone", permanent=True, code="address_gone")
    try:
        field_of(model, message.address_field)
    except LookupError:
        value = getattr(row, message.address_field)  # a plain column (the user's e-mail, a WeChat OpenID)
    else:
        value = unseal(row, message.address_field)
    if not value:
        raise DeliveryError("the recipient has no address on this channel any more", permanent=True,
                            code="address_gone")
    return value
