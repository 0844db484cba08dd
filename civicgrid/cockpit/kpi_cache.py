"""The figures modules compute themselves (KPIs without a rollup), cached per actor, regions and period: a cockpit
page asks for each of them up to four times (the regions shown, and the region's period, the one before and the
same one last year), and some modules count region by region. A cached figure is dropped as soon as its module
records an audited change (the module's generation moves on: at once, and again when the change commits, so a
reader racing the commit cannot keep the old figure) and after FRESH_SECONDS at most: changes a module does not
audit, and other modules' data a figure reads (the population), are seen as late as the rollups' own refresh."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import transaction

from civicgrid.core import registry
from civicgrid.core.scoping import area_of

FRESH_SECONDS = 300


def module_of(kpi) -> str:
    """The app whose audited writes change the figure: the one its `values` function lives in."""
    parts = getattr(kpi.values, "__module__", "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "civicgrid" else kpi.key


def _generation_key(module: str) -> str:
    return f"cockpit:generation:{module}"


def _advance(module: str) -> None:
    key = _generation_key(module)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)


def _watched() -> set[str]:
    """The modules whose figures this cache keeps (those with KPIs computed outside the rollups)."""
    return {module_of(kpi) for kpi in registry.cockpit_kpis() if kpi.rollup is None}


def module_changed(action: str) -> None:
    """Told of every audited write (core.audit.on_record), inside its transaction."""
    module = action.split(".", 1)[0]
    if module not in _watched():
        return
    _advance(module)
    transaction.on_commit(lambda: _advance(module))


def _who(actor) -> str:
    return f"{getattr(actor, 'pk', '')}:{getattr(actor, 'role', '')}:{area_of(actor)}"


def values(entries: list, *, actor, regions: list, start, end) -> dict[str, dict]:
    """{kpi key: {region code: value}} for these non-rollup KPIs, from the cache where still valid."""
    if not entries or not regions:
        return {}
    codes = [region.code for region in regions]
    digest = hashlib.sha256(",".join(codes).encode()).hexdigest()[:20]
    modules = {entry.key: module_of(entry) for entry in entries}
    generations = cache.get_many([_generation_key(m) for m in set(modules.values())])
    keys = {entry.key: f"cockpit:kpi:{entry.key}:{generations.get(_generation_key(modules[entry.key]), 0)}:"
                       f"{_who(actor)}:{start}:{end}:{digest}" for entry in entries}
    found = cache.get_many(list(keys.values()))
    out, fresh = {}, {}
    for entry in entries:
        key = keys[entry.key]
        if key in found:
            out[entry.key] = found[key]
            continue
        computed = entry.values(actor, regions, start, end) or {}
        out[entry.key] = fresh[key] = {code: computed.get(code) for code in codes}
    if fresh:
        cache.set_many(fresh, FRESH_SECONDS)
    return out
