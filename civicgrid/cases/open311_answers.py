"""Open311 answers built from plain rows: what a request read costs is one query of the columns shown.

A read never builds model instances: `ROW_FIELDS` are fetched with `values()` and turned into the spec's dicts
here. The public answer holds a published case's public fields only (see cases.public); the private answer every
field, for the client that created the case and whose key grants reading its private fields."""

import time
from zoneinfo import ZoneInfo

from django.conf import settings

from civicgrid.cases.models import OPEN_STATES, Open311Client, State, number_for
from civicgrid.cases.public import STAGES
from civicgrid.cases.redaction import public_point
from civicgrid.territory.models import Level, Region

ROW_FIELDS = ("pk", "state", "category__code", "category__name", "unit__name", "description", "public_description",
              "lon", "lat", "region_code", "address", "reported_at", "updated_at", "deadline", "media_url",
              "merged_into_id", "open311_client_id")
NAMES_CACHE_SECONDS = 60.0
_communities: dict = {"at": -1e9, "names": {}}


def community_names() -> dict[str, str]:
    """Community code → name, from a per-process map refreshed every minute (a renamed community shows then)."""
    now = time.monotonic()
    if now - _communities["at"] > NAMES_CACHE_SECONDS:
        names = dict(Region.objects.filter(level=Level.COMMUNITY).values_list("code", "name"))
        _communities.update(at=now, names=names)
    return _communities["names"]


def forget_names() -> None:
    _communities["at"] = -1e9


def _zone() -> ZoneInfo:
    """The district's time zone (the one the spec's examples show an offset of)."""
    return ZoneInfo(settings.TIME_ZONE)


def _stage_labels() -> dict[str, str]:
    """State → its public stage label in the request's language, translated once per answer."""
    return {state: str(label) for label, states in STAGES.values() for state in states}


def private_answer(row: dict, zone: ZoneInfo | None = None) -> dict:
    zone = zone or _zone()
    notes = str(State(row["state"]).label)
    if row["state"] == State.VOID and row["merged_into_id"]:
        notes += f" → {number_for(row['merged_into_id'])}"
    return {**_common(row, zone), "status_notes": notes, "service_name": row["category__name"],
            "description": row["description"][:4000], "agency_responsible": row["unit__name"],
            "address": row["address"] or None, "lat": row["lat"], "long": row["lon"],
            "media_url": row["media_url"] or None}


def _common(row: dict, zone: ZoneInfo) -> dict:
    reported, updated, deadline = row["reported_at"], row["updated_at"], row["deadline"]
    return {"service_request_id": number_for(row["pk"]),
            "status": "open" if row["state"] in OPEN_STATES else "closed",
            "service_code": row["category__code"] or "", "service_notice": None,
            "requested_datetime": reported.astimezone(zone).isoformat(timespec="seconds") if reported else None,
            "updated_datetime": updated.astimezone(zone).isoformat(timespec="seconds") if updated else None,
            "expected_datetime": deadline.astimezone(zone).isoformat(timespec="seconds") if deadline else None,
            "address_id": None, "zipcode": None}


def public_answer(row: dict, communities: dict[str, str], stages: dict[str, str],
                  zone: ZoneInfo | None = None) -> dict:
    """A published case: moderated text, point rounded to ~100 m, the community as address; no media, no names.
    One dict literal per row (a list of 100 builds 100 of them), keys in the order the spec's examples show."""
    zone = zone or _zone()
    reported, updated, deadline, state = row["reported_at"], row["updated_at"], row["deadline"], row["state"]
    lon, lat = public_point(row["lon"], row["lat"])
    return {"service_request_id": number_for(row["pk"]),
            "status": "open" if state in OPEN_STATES else "closed",
            "service_code": row["category__code"] or "", "service_notice": None,
            "requested_datetime": reported.astimezone(zone).isoformat(timespec="seconds") if reported else None,
            "updated_datetime": updated.astimezone(zone).isoformat(timespec="seconds") if updated else None,
            "expected_datetime": deadline.astimezone(zone).isoformat(timespec="seconds") if deadline else None,
            "address_id": None, "zipcode": None, "status_notes": stages[state],
            "service_name": row["category__name"] or None, "description": row["public_description"][:4000],
            "agency_responsible": row["unit__name"] or None,
            "address": communities.get(row["region_code"][:12]) or None, "lat": lat, "long": lon, "media_url": None}


def answers(rows, client: Open311Client | None) -> list[dict]:
    """`rows` from `ROW_FIELDS`; the client's own cases in full when its key grants it, others' public fields."""
    rows = list(rows)
    if not rows:
        return []
    communities, stages, zone = community_names(), _stage_labels(), _zone()
    own = client.pk if client is not None and client.may_read_own_private else None
    if own is None:
        return [public_answer(r, communities, stages, zone) for r in rows]
    return [private_answer(r, zone) if r["open311_client_id"] == own
            else public_answer(r, communities, stages, zone) for r in rows]
