"""What a module plugs into the platform, registered from its `AppConfig.ready()` (as Decidim's component
manifests do): navigation entries, home cards and the routes that are public by design, each with its reason.

Core's templates render what is registered and name no feature app; a module that is not installed simply
contributes nothing.

    from civicgrid.core import registry

    class CasesConfig(AppConfig):
        def ready(self):
            registry.add_nav("cases:home", _("Cases"), order=30)
            registry.add_home_card("cases:home", _("Cases"), _("Report a problem …"), order=30,
                                   figures=cases_figures)  # user -> [Figure]: the home page is a dashboard
            registry.add_public_routes("cases", {"public_list": "published cases only, moderated"})
            registry.add_footer_link("cases:follow", _("Follow a case"))
            registry.add_region_figure("overdue", _("Overdue cases"), overdue_by_region, kind="count")
            registry.add_cockpit_kpi("overdue", _("Overdue cases"), panel="cases", panel_title=_("Cases"),
                                     values=overdue_between, kind="count", better="low", list_url=overdue_list)

Region figures let a module above `territory` show its figures on the region pages and colour the region map
(cases per 1,000 residents, overdue cases, service-circle coverage) without territory importing it.
Cockpit KPIs are the same per period, for the leadership cockpit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Audience = Callable[[Any], bool]


def everyone(user) -> bool:
    return True


def area_staff(user) -> bool:
    """District, subdistrict, community and grid workers."""
    return bool(getattr(user, "is_staff_role", False))


def area_managers(user) -> bool:
    """District, subdistrict and community staff (and superusers): who manage an area."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "manages_area", False)
                and getattr(user, "area_code", None) is not None)


def superusers(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@dataclass(frozen=True)
class Figure:
    """One number on a home card: computed by the module's selectors for the signed-in user, already formatted
    (e.g. "79.7%"), with a link to the page behind it."""

    label: Any
    value: str
    url: str = ""
    level: str = ""  # "warn" when the figure asks for attention (overdue cases)
    testid: str = ""


@dataclass(frozen=True)
class Entry:
    url_name: str
    title: Any  # a lazy translation
    text: Any = ""
    order: int = 100
    audience: Audience = everyone
    testid: str = ""
    figures: Callable[[Any], list[Figure]] | None = None


@dataclass(frozen=True)
class HeaderLink:
    url_name: str
    title: Any
    badge: Callable[[Any], int] | None = None  # e.g. the unread count, computed only when the header is shown
    testid: str = ""


@dataclass(frozen=True)
class RegionFigure:
    """A figure per region. `values(actor, regions)` → `{region code: number or None}` for the given regions
    (siblings of one level), read within the actor's jurisdiction. `kind`: "count", "share" (0..1, shown as a
    percentage) or "per_thousand" (per 1,000 residents). `better`: "low" or "high", for the map's colours."""

    key: str
    title: Any
    values: Callable[[Any, list], dict[str, float | None]]
    kind: str = "count"
    better: str = "low"
    order: int = 100
    note: Any = ""


_nav: dict[str, Entry] = {}
_header: dict[str, HeaderLink] = {}
_cards: dict[str, Entry] = {}
_public: dict[str, str] = {}
_region_figures: dict[str, RegionFigure] = {}

FIGURE_KINDS = ("count", "share", "per_thousand")


def add_region_figure(key: str, title, values: Callable[[Any, list], dict], *, kind: str = "count",
                      better: str = "low", order: int = 100, note="") -> None:
    if kind not in FIGURE_KINDS or better not in ("low", "high"):
        raise ValueError(f"region figure {key}: unknown kind {kind!r} or better {better!r}")
    _region_figures[key] = RegionFigure(key, title, values, kind, better, order, note)


def region_figures() -> list[RegionFigure]:
    return sorted(_region_figures.values(), key=lambda f: (f.order, f.key))


@dataclass(frozen=True)
class CockpitKpi:
    """A key figure a module gives the leadership cockpit, per region and period.

    `values(actor, regions, start, end)` → `{region code: number or None}` for the given regions (siblings of one
    level), counting what happened in [start, end) (dates, Asia/Shanghai), read within the actor's jurisdiction
    through the module's selectors (or the rollups it publishes). `kind` as for region figures; `better` "low" or
    "high"; `list_url(region code, start, end)` → the page listing exactly the records behind the figure ("" for none):
    carry the period and the region as query parameters the list understands (tests/cockpit/test_links.py).
    `panel` groups KPIs on the cockpit page (one panel per module) and names its map layer."""

    key: str
    title: Any
    panel: str
    panel_title: Any
    values: Callable[[Any, list, Any, Any], dict[str, float | None]]
    kind: str = "count"
    better: str = "high"
    order: int = 100
    list_url: Callable[[str, Any, Any], str] | None = None
    note: Any = ""
    # Optional: the figure as the cockpit's own rollup computes it, (source key, numerator measure, denominator
    # measure or "" for a count) over the measures a `CockpitSource` publishes. `values` stays the direct reading
    # (small scopes, and the test that holds the rollup to the source tables).
    rollup: tuple[str, str, str] | None = None


_cockpit_kpis: dict[str, CockpitKpi] = {}


def add_cockpit_kpi(key: str, title, *, panel: str, panel_title, values: Callable, kind: str = "count",
                    better: str = "high", order: int = 100, list_url: Callable | None = None, note="",
                    rollup: tuple[str, str, str] | None = None) -> None:
    """Registered from a module's `AppConfig.ready()`: the cockpit shows a module's panel only when it is installed
    and never imports it."""
    if kind not in FIGURE_KINDS or better not in ("low", "high"):
        raise ValueError(f"cockpit KPI {key}: unknown kind {kind!r} or better {better!r}")
    _cockpit_kpis[key] = CockpitKpi(key, title, panel, panel_title, values, kind, better, order, list_url, note,
                                    rollup)


def cockpit_kpis() -> list[CockpitKpi]:
    return sorted(_cockpit_kpis.values(), key=lambda k: (k.order, k.key))


@dataclass(frozen=True)
class CockpitSource:
    """Records a module lets the cockpit roll up per day and grid (a district-year of cases is too many to count
    per page), in SQL (INSERT … SELECT … GROUP BY: a district-year is rolled up in seconds).
    `records()` → every record (unscoped queryset); `day` / `grid` → the fields of the day (Asia/Shanghai) a record
    counts on and of its 15-digit grid code; `aggregates()` → {measure: ORM aggregate over records}, one per name
    in `measures` (at most 14); `mixes` → {dim: (key expression, label expression)}: rows counting the records per
    value of a dimension (e.g. the cases' major category); `changed(since)` → the records changed since that
    moment (where they are now: the cockpit finds the cells a record left by their record counts)."""

    key: str
    measures: tuple[str, ...]
    records: Callable[[], Any]
    day: str
    grid: str
    aggregates: Callable[[], dict]
    changed: Callable[[Any], Any]
    mixes: dict[str, tuple] = field(default_factory=dict)
    # `subscribe(callback)`: the module calls `callback()` inside the transaction of each change of its records
    # (the cockpit then queues a refresh once the change commits).
    subscribe: Callable[[Callable[[], None]], None] | None = None


_cockpit_sources: dict[str, CockpitSource] = {}


def add_cockpit_source(key: str, *, measures: tuple[str, ...], records: Callable, day: str, grid: str,
                       aggregates: Callable, changed: Callable, mixes: dict | None = None,
                       subscribe: Callable | None = None) -> None:
    if len(measures) > 14:
        raise ValueError(f"cockpit source {key}: at most 14 measures")
    _cockpit_sources[key] = CockpitSource(key, tuple(measures), records, day, grid, aggregates, changed,
                                          dict(mixes or {}), subscribe)


def cockpit_sources() -> list[CockpitSource]:
    return [_cockpit_sources[key] for key in sorted(_cockpit_sources)]


@dataclass(frozen=True)
class CockpitBrief:
    """A section of the cockpit's weekly brief: `items(actor, region code, start, end)` → up to a few dozen
    `{"text", "url", "when"}` (what happened in [start, end) inside the region, within the actor's jurisdiction;
    no personal data)."""

    key: str
    title: Any
    items: Callable[[Any, str, Any, Any], list[dict]]
    order: int = 100


_cockpit_briefs: dict[str, CockpitBrief] = {}


def add_cockpit_brief(key: str, title, *, items: Callable, order: int = 100) -> None:
    _cockpit_briefs[key] = CockpitBrief(key, title, items, order)


def cockpit_briefs() -> list[CockpitBrief]:
    return sorted(_cockpit_briefs.values(), key=lambda b: (b.order, b.key))


_region_namer: list[Callable[[set], dict]] = []


def set_region_namer(namer: Callable[[set], dict]) -> None:
    """territory names region codes for core's pages (the audit log): `namer(codes) -> {code: name}`."""
    _region_namer[:] = [namer]


def region_names(codes: set) -> dict:
    return _region_namer[0](codes) if _region_namer and codes else {}
_footer: dict[str, Entry] = {}


@dataclass(frozen=True)
class RecordLink:
    title: Any
    text: str
    url: str = ""


_record_links: dict[str, list[Callable[[Any, Any], list[RecordLink]]]] = {}


def add_record_links(model_label: str, links: Callable[[Any, Any], list[RecordLink]]) -> None:
    """A higher module names what it keeps about a lower module's record (e.g. partybuilding: the party
    organization of a social organization): `links(actor, record) -> [RecordLink]`, shown on the record's page."""
    _record_links.setdefault(model_label, []).append(links)


def record_links(actor, record) -> list[RecordLink]:
    return [link for links in _record_links.get(record._meta.label, []) for link in links(actor, record)]


def add_nav(url_name: str, title, *, order: int = 100, audience: Audience = everyone) -> None:
    _nav[url_name] = Entry(url_name, title, order=order, audience=audience)


def add_home_card(url_name: str, title, text, *, order: int = 100, audience: Audience = everyone,
                  testid: str = "", figures: Callable[[Any], list[Figure]] | None = None) -> None:
    """`figures(user)` gives the card's numbers for that user (an empty list: none for him)."""
    _cards[url_name] = Entry(url_name, title, text, order=order, audience=audience, testid=testid, figures=figures)


def add_header_link(url_name: str, title, *, badge: Callable[[Any], int] | None = None, testid: str = "") -> None:
    """A link beside the signed-in user's name in the page header (the inbox)."""
    _header[url_name] = HeaderLink(url_name, title, badge, testid)


def add_footer_link(url_name: str, title, *, order: int = 100, testid: str = "") -> None:
    """A link in every page's footer, for everyone (signed in or not), e.g. following a case by its number."""
    _footer[url_name] = Entry(url_name, title, order=order, testid=testid)


def footer_links() -> list[Entry]:
    return sorted(_footer.values(), key=lambda e: (e.order, e.url_name))


def header_links_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [{"url_name": link.url_name, "title": link.title, "testid": link.testid,
             "badge": link.badge(user) if link.badge else 0} for link in _header.values()]


def add_public_routes(namespace: str, routes: dict[str, str]) -> None:
    """Routes anyone may open without signing in, `{url name: why it is public}`; the route-enumerating
    security test holds every other route to the jurisdiction rules."""
    for name, reason in routes.items():
        if not reason:
            raise ValueError(f"public route {namespace}:{name} needs a reason")
        _public[f"{namespace}:{name}" if namespace else name] = reason


def nav_for(user) -> list[Entry]:
    return sorted((e for e in _nav.values() if e.audience(user)), key=lambda e: (e.order, e.url_name))


def cards_for(user) -> list[Entry]:
    return sorted((e for e in _cards.values() if e.audience(user)), key=lambda e: (e.order, e.url_name))


def dashboard_for(user) -> list[tuple[Entry, list[Figure]]]:
    """The home cards with their figures, computed now (only the home page asks for them)."""
    return [(card, card.figures(user) if card.figures else []) for card in cards_for(user)]


def public_routes() -> dict[str, str]:
    return dict(_public)


_audit_values: dict[tuple[str, str], dict] = {}


def add_audit_value_labels(module: str, key: str, labels) -> None:
    """Words for the codes a module writes into its audit events' details, e.g. cases' states under "from" and
    "to": `labels` is a mapping or Django choices."""
    _audit_values[(module, key)] = dict(labels)


def audit_value_label(action: str, key: str, value):
    labels = _audit_values.get((action.partition(".")[0], key))
    return labels.get(value, value) if labels is not None and isinstance(value, str) else value
