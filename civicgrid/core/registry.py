"""What a module plugs into the platform, registered from its `AppConfig.ready()` (as Decidim's component
manifests do): navigation entries, home cards and the routes that are public by design, each with its reason.

Core's templates render what is registered and name no feature app; a module that is not installed simply
contributes nothing.

    from civicgrid.core import registry

    class CasesConfig(AppConfig):
        def ready(self):
            registry.add_nav("cases:home", _("Cases"), order=30)
            registry.add_home_card("cases:home", _("Cases"), _("Report a problem …"), order=30)
            registry.add_public_routes("cases", {"public_list": "published cases only, moderated"})
            registry.add_footer_link("cases:follow", _("Follow a case"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Audience = Callable[[Any], bool]


def everyone(user) -> bool:
    return True


def area_staff(user) -> bool:
    """District, subdistrict, community and grid workers."""
    return bool(getattr(user, "is_staff_role", False))


def superusers(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@dataclass(frozen=True)
class Entry:
    url_name: str
    title: Any  # a lazy translation
    text: Any = ""
    order: int = 100
    audience: Audience = everyone
    testid: str = ""


@dataclass(frozen=True)
class HeaderLink:
    url_name: str
    title: Any
    badge: Callable[[Any], int] | None = None  # e.g. the unread count, computed only when the header is shown
    testid: str = ""


_nav: dict[str, Entry] = {}
_header: dict[str, HeaderLink] = {}
_cards: dict[str, Entry] = {}
_public: dict[str, str] = {}
_footer: dict[str, Entry] = {}


def add_nav(url_name: str, title, *, order: int = 100, audience: Audience = everyone) -> None:
    _nav[url_name] = Entry(url_name, title, order=order, audience=audience)


def add_home_card(url_name: str, title, text, *, order: int = 100, audience: Audience = everyone,
                  testid: str = "") -> None:
    _cards[url_name] = Entry(url_name, title, text, order=order, audience=audience, testid=testid)


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


def public_routes() -> dict[str, str]:
    return dict(_public)
