"""Which owner-unit codes exist. Handling units live in `cases`, above this module: cases registers the lookup
from its AppConfig.ready(), so an import can refuse an unknown owner without assets importing cases."""

from collections.abc import Callable

_lookup: dict[str, Callable[[], set[str]]] = {}


def register_owner_units(lookup: Callable[[], set[str]]) -> None:
    _lookup["units"] = lookup


def known_owner_units() -> set[str] | None:
    """The known codes, or None when no module registered a lookup (then any code is accepted)."""
    lookup = _lookup.get("units")
    return lookup() if lookup else None
