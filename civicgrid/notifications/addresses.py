"""Reading a message's address at send time: the only place where a phone is decrypted for notifications."""

from django.apps import apps

from civicgrid.core.encrypted import field_of, unseal
from civicgrid.notifications.content import DeliveryError
from civicgrid.notifications.models import Message


def resolve(message: Message) -> str:
    model = apps.get_model(message.address_model)
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
