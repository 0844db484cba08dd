"""Address search: street and road names, compounds and buildings, and house-number inputs.

`鲁谷路74号` has no surveyed house number here: it resolves to the street 鲁谷路 with `approximate=True` (the
point is the street's midpoint, not the house). Ranking: an exact name first, then names that start with the
text, then names that contain it; within a rank, precise hits before approximate ones (a compound whose recorded
address is exactly `鲁谷路12号` comes before the street), then streets before places, shorter names first.

Street names and compound/building names are public facts (they are on the street signs), so the search covers
the whole district for any signed-in user; it returns names and points only, nothing about people."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from django.db.models import Q

from civicgrid.territory.models import Place, Street

MAX_TEXT = 60
HOUSE_NUMBER = re.compile(r"^(?P<street>.+?(?:路|街|道|巷|胡同|大街|里|桥))\s*"
                          r"(?P<number>[0-9一二三四五六七八九十百零〇甲乙丙-]+)\s*号.*$")
EXACT, PREFIX, CONTAINS = 0, 1, 2


@dataclass(frozen=True)
class AddressHit:
    kind: str  # "street" or "place"
    name: str
    label: str  # what the suggestion shows
    lon: float
    lat: float
    approximate: bool
    rank: int
    place_kind: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def normalize(text: str) -> str:
    """Full-width digits and letters to half-width, spaces squeezed, at most MAX_TEXT characters."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())[:MAX_TEXT]


def _rank(name: str, text: str) -> int:
    if name == text:
        return EXACT
    return PREFIX if name.startswith(text) else CONTAINS


def _streets(text: str, limit: int) -> list[Street]:
    return list(Street.objects.within("").filter(name__contains=text).order_by("name", "id")[:limit * 4])


def _places(text: str, limit: int) -> list[Place]:
    return list(Place.objects.within("").filter(Q(name__contains=text) | Q(address__contains=text))
                .order_by("name", "id")[:limit * 4])


def _street_hits(text: str, limit: int) -> list[AddressHit]:
    hits, seen = [], set()
    for street in _streets(text, limit):
        if street.name in seen:  # one suggestion per name: a road cut in pieces is still one road
            continue
        seen.add(street.name)
        hits.append(AddressHit("street", street.name, street.name, street.lon, street.lat, False,
                               _rank(street.name, text)))
    return hits


def _place_hits(text: str, limit: int) -> list[AddressHit]:
    hits = []
    for place in _places(text, limit):
        rank = min(_rank(place.name, text), _rank(place.address, text) if text in place.address else CONTAINS)
        hits.append(AddressHit("place", place.name, place.name, place.lon, place.lat, False, rank, place.kind))
    return hits


def _house_number_hits(text: str) -> list[AddressHit]:
    """`鲁谷路74号院3号楼` → the street 鲁谷路, approximate (it ranks with the exact hits: the street is certain)."""
    match = HOUSE_NUMBER.match(text)
    if not match:
        return []
    street = Street.objects.within("").filter(name=match["street"]).order_by("id").first()
    if street is None:
        return []
    return [AddressHit("street", street.name, text, street.lon, street.lat, True, EXACT)]


def search(text: str, *, limit: int = 10) -> list[AddressHit]:
    text = normalize(text)
    if not text:
        return []
    limit = max(1, min(limit, 20))
    hits = _house_number_hits(text) + _street_hits(text, limit) + _place_hits(text, limit)
    hits.sort(key=lambda h: (h.rank, h.approximate, h.kind != "street", len(h.name), h.name))
    unique, seen = [], set()
    for hit in hits:
        key = (hit.kind, hit.name, hit.approximate)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique[:limit]


def best(text: str) -> AddressHit | None:
    """The first hit, for a report that gives an address and no pin."""
    hits = search(text, limit=1)
    return hits[0] if hits else None
