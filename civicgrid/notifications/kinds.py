"""The notification service's own event kind: the digest that carries what was held back."""

from civicgrid.notifications.registry import Channel, EventKind, Urgency, register

DIGEST = register(EventKind(
    name="notifications.digest",
    texts={"zh-hans": "您有 {count} 条新通知\n{items}", "en": "You have {count} new notifications\n{items}"},
    urgency=Urgency.URGENT,  # it is itself the batch: never held back again
    channels=(Channel.EMAIL,),
))
