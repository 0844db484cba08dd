"""Modules built on cases follow a case's state without cases importing them: a module registers a listener
from its AppConfig.ready(); every workflow action that changes a case's state calls the listeners inside its own
transaction, so a listener's write and the case's change commit or roll back together."""

from collections.abc import Callable

Listener = Callable[..., None]  # listener(case=, before=, after=, actor=)
_listeners: dict[str, Listener] = {}


def on_state_change(name: str, listener: Listener) -> None:
    _listeners[name] = listener


def state_changed(*, case, before: str, after: str, actor) -> None:
    for listener in _listeners.values():
        listener(case=case, before=before, after=after, actor=actor)
