"""The registry of event kinds. Each kind is registered once by the module that publishes it (in its
`events.py`, imported from its AppConfig.ready), with its default channels, texts, urgency and audience."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    SMS = "sms"
    WECHAT = "wechat"


OUTSIDE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECHAT)
QUIET_CHANNELS = (Channel.SMS, Channel.WECHAT)  # the channels that wake people up


class Urgency(StrEnum):
    URGENT = "urgent"    # at once on every channel, also in quiet hours and over the SMS limit
    TIMELY = "timely"    # at once, but SMS/WeChat wait for the end of quiet hours
    ROUTINE = "routine"  # outside channels batched into the recipient's digest (unless they chose "immediately")


@dataclass(frozen=True)
class SmsTemplate:
    """A template approved with the SMS provider: referenced by code, filled with named parameters only."""

    code: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventKind:
    name: str                                   # "<module>.<event>", stable: stored in messages and preferences
    texts: Mapping[str, str]                    # language -> text with {placeholders}; "zh-hans" and "en" required
    urgency: Urgency = Urgency.TIMELY
    channels: tuple[str, ...] = (Channel.INBOX,)  # default channels
    role_channels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # role -> default channels
    audience: frozenset[str] | None = None      # roles that may receive it (None: anyone with an account)
    to_addresses: bool = False                  # may go to bare phone numbers (a reporter without an account)
    mandatory: bool = False                     # what a resident must receive: preferences cannot switch it off
    sms: SmsTemplate | None = None
    wechat_template: str = ""                   # the official-account template's id (overridable in settings)

    def text(self, language: str, params: Mapping[str, object]) -> str:
        template = self.texts.get(language) or self.texts["zh-hans"]
        return template.format_map(_Lenient(params))

    def default_channels(self, role: str) -> tuple[str, ...]:
        return tuple(self.role_channels.get(role, self.channels))

    def may_receive(self, role: str) -> bool:
        return self.audience is None or role in self.audience


class _Lenient(dict):
    def __missing__(self, key):
        return "{" + key + "}"


_kinds: dict[str, EventKind] = {}


def register(kind: EventKind) -> EventKind:
    if kind.name in _kinds and _kinds[kind.name] != kind:
        raise ImproperlyConfigured(f"event kind {kind.name!r} registered twice")
    missing = {"zh-hans", "en"} - set(kind.texts)
    if missing:
        raise ImproperlyConfigured(f"event kind {kind.name!r} lacks texts in {sorted(missing)}")
    named = {c for chans in (kind.channels, *kind.role_channels.values()) for c in chans}
    if named - set(Channel):
        raise ImproperlyConfigured(f"event kind {kind.name!r} names unknown channels {sorted(named - set(Channel))}")
    if Channel.SMS in named and kind.sms is None:
        raise ImproperlyConfigured(f"event kind {kind.name!r} sends SMS without an approved template")
    _kinds[kind.name] = kind
    return kind


def kind(name: str) -> EventKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"unknown event kind {name!r}: register it in the module's events.py") from None


def kinds() -> list[EventKind]:
    return sorted(_kinds.values(), key=lambda k: k.name)
