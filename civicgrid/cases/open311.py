"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests (POST with an
api_key, GET list ≤ 90 days, GET one), tokens; JSON and XML; errors as `[{code, description}]`.

GET answers hold published cases only, with their public fields (see cases.public); a client whose key grants
`may_read_own_private` also reads every field of the cases it created itself."""

import json
import time
from datetime import timedelta
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from civicgrid.cases import selectors
from civicgrid.cases.models import OPEN_STATES, Case, Category, Channel, Open311Client, State, pk_from_number
from civicgrid.cases.public import public_view
from civicgrid.cases.services import report_case
from civicgrid.cases.services.keys import client_for_key
from civicgrid.core.errors import DomainError

MAX_DAYS = 90
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
LIST_TAGS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
             "values": "value", "endpoints": "endpoint", "formats": "format"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        self.status, self.description = status, description


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _element(tag: str, value) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, list):
        child_tag = LIST_TAGS.get(tag, "item")
        node.extend(_element(child_tag, item) for item in value)
    elif isinstance(value, dict):
        node.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)
    return node


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(_element(root, data), encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def error_response(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)


def handles_errors(view):
    def inner(request, fmt="json", **kwargs):
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as error:
            return error_response(fmt, error.status, error.description)
        except DomainError as error:
            status = 404 if error.status == 404 else 403 if error.status in (401, 403) else 400
            detail = f"{error.code}: {error.message}" + (f" ({error.field})" if error.field else "")
            return error_response(fmt, status, detail)

    inner.__name__ = view.__name__
    return inner


def status_of(case: Case) -> str:
    return "open" if case.state in OPEN_STATES else "closed"


def status_notes(case: Case) -> str:
    notes = str(State(case.state).label)
    if case.state == State.VOID and case.merged_into_id:
        notes += f" → {case.merged_into.number if case.merged_into else ''}"
    return notes


def service_dict(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name,
            "description": f"{category.parent.name if category.parent else ''} / {category.name}",
            "metadata": bool(category.attributes), "type": "realtime", "keywords": category.keywords,
            "group": category.parent.name if category.parent else category.name}


def request_dict(case: Case) -> dict:
    """Every field, for the client that created the case and whose key grants reading its private fields."""
    return {"service_request_id": case.number, "status": status_of(case), "status_notes": status_notes(case),
            "service_name": case.category.name if case.category else None,
            "service_code": case.category.code if case.category else "",
            "description": case.description[:4000], "agency_responsible": case.unit.name if case.unit else None,
            "service_notice": None, "requested_datetime": _iso(case.reported_at),
            "updated_datetime": _iso(case.updated_at), "expected_datetime": _iso(case.deadline),
            "address": case.address or None, "address_id": None, "zipcode": None, "lat": case.lat,
            "long": case.lon, "media_url": case.media_url or None}


def public_request_dict(case: Case, communities: dict[str, str]) -> dict:
    """A published case: moderated text, point rounded to ~100 m, the community as address; no media, no names."""
    shown = public_view(case, communities)
    return {"service_request_id": case.number, "status": status_of(case), "status_notes": shown["stage_label"],
            "service_name": shown["category"] or None, "service_code": case.category.code if case.category else "",
            "description": shown["description"][:4000], "agency_responsible": shown["unit"] or None,
            "service_notice": None, "requested_datetime": _iso(case.reported_at),
            "updated_datetime": _iso(case.updated_at), "expected_datetime": _iso(case.deadline),
            "address": shown["community"] or None, "address_id": None, "zipcode": None, "lat": shown["lat"],
            "long": shown["lon"], "media_url": None}


def _answers(cases, client: Open311Client | None) -> list[dict]:
    cases = list(cases)
    communities = selectors.community_names(c.region_code for c in cases)
    return [request_dict(c) if _reads_private(c, client) else public_request_dict(c, communities) for c in cases]


def _reads_private(case: Case, client: Open311Client | None) -> bool:
    return client is not None and client.may_read_own_private and case.open311_client_id == client.pk


def _reader(request) -> Open311Client | None:
    """GET needs no key; an api_key only widens what its own client may read. An unknown key reads as none."""
    return client_for_key(request.GET.get("api_key", ""))


def _services():
    return Category.objects.filter(active=True, parent__isnull=False).select_related("parent").order_by("code")


_service_cache: dict = {"at": -1e9, "by_code": {}}
SERVICE_CACHE_SECONDS = 60.0


def _service(code: str) -> Category | None:
    """Active subcategory by code, from a per-process map refreshed every minute (admin edits show up then)."""
    now = time.monotonic()
    if now - _service_cache["at"] > SERVICE_CACHE_SECONDS:
        _service_cache.update(at=now, by_code={c.code: c for c in _services()})
    return _service_cache["by_code"].get(code)


@handles_errors
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    return render(fmt, "discovery", {
        "changeset": "2026-01-01T00:00:00+08:00", "contact": "区社会工作办公室", "key_service": "civicgrid open311-key",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-01-01T00:00:00+08:00", "type": "production",
                       "formats": ["text/xml", "application/json"]}]})


@handles_errors
def services_list(request, fmt):
    return render(fmt, "services", [service_dict(c) for c in _services()])


@handles_errors
def service_definition(request, fmt, code):
    category = _services().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code {code} not found")
    attributes = [{**a, "values": a.get("values", [])} for a in category.attributes]
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


def _attributes(post, category: Category) -> dict:
    given = {key[10:-1]: post.getlist(key) for key in post if key.startswith("attribute[") and key.endswith("]")}
    values = {}
    for attribute in category.attributes:
        code, picked = attribute["code"], given.get(attribute["code"], [])
        if attribute.get("required") and not any(picked):
            raise Open311Error(400, f"attribute[{code}] is required")
        allowed = {v["key"] for v in attribute.get("values", [])}
        if allowed and any(p not in allowed for p in picked):
            raise Open311Error(400, f"attribute[{code}] has an unknown value")
        if picked:
            values[code] = picked if attribute["datatype"] == "multivaluelist" else picked[0]
    return values


def _coordinate(post, name: str) -> float | None:
    raw = post.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number") from None


def _media_url(post) -> str:
    url = post.get("media_url", "").strip()
    return url[:500] if url.startswith(("http://", "https://")) else ""


def _publish_requested(post) -> bool:
    """The reporter's choice, sent as `attribute[publish]=true`; staff still review it before anything is public."""
    return post.get("attribute[publish]", "").strip().lower() in ("true", "1", "yes")


def _asset_code(post) -> str:
    """A street asset (部件) named by its GB/T 30428 code, sent as `attribute[asset]=<16 digits>`."""
    return post.get("attribute[asset]", "").strip()[:16]


def _create(request, fmt):
    post = request.POST
    client = client_for_key(post.get("api_key", ""))
    if client is None:
        raise Open311Error(403, "api_key is missing, unknown or revoked")
    category = _service(post.get("service_code", ""))
    if category is None:
        raise Open311Error(404 if post.get("service_code") else 400, "service_code not found")
    lat, lon = _coordinate(post, "lat"), _coordinate(post, "long")
    address = post.get("address_string", "").strip()
    if (lat is None or lon is None) and not address and not _asset_code(post):
        raise Open311Error(400, "lat and long, or address_string, or attribute[asset], are required")
    name = " ".join(filter(None, (post.get("last_name", ""), post.get("first_name", ""))))
    case = report_case(actor=None, channel=Channel.OPEN311, description=post.get("description", ""),
                       lon=lon, lat=lat, address=address, category=category, phone=post.get("phone", ""),
                       reporter_name=name, attributes=_attributes(post, category),
                       media_url=_media_url(post), open311_client=client, publish=_publish_requested(post),
                       asset_code=_asset_code(post))
    return render(fmt, "service_requests", [{"service_request_id": case.number, "token": case.open311_token,
                                             "service_notice": ""}])


def _date(value: str, name: str):
    parsed = parse_datetime(value)
    if parsed is None:
        raise Open311Error(400, f"{name} must be a w3 datetime")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _listing(request, fmt):
    params, client = request.GET, _reader(request)
    cases = selectors.open311_cases(client=client).select_related("merged_into")
    ids = [pk_from_number(part) for part in params.get("service_request_id", "").split(",") if part.strip()]
    if params.get("service_request_id"):
        return render(fmt, "service_requests", _answers(cases.filter(pk__in=[i for i in ids if i]), client))
    end = _date(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    start = (_date(params["start_date"], "start_date") if params.get("start_date")
             else end - timedelta(days=DEFAULT_DAYS))
    if end < start or end - start > timedelta(days=MAX_DAYS):
        raise Open311Error(400, "start_date to end_date must span at most 90 days")
    cases = cases.filter(reported_at__range=(start, end))
    if params.get("service_code"):
        cases = cases.filter(category__code__in=params["service_code"].split(","))
    status = params.get("status", "")
    if status:
        wanted = set(status.split(","))
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, "status must be open or closed")
        if wanted == {"open"}:
            cases = cases.filter(state__in=OPEN_STATES)
        elif wanted == {"closed"}:
            cases = cases.exclude(state__in=OPEN_STATES)
    return render(fmt, "service_requests", _answers(cases.order_by("-reported_at")[:MAX_RESULTS], client))


@csrf_exempt
@require_http_methods(["GET", "POST"])
@handles_errors
def requests(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _listing(request, fmt)


@handles_errors
def request_detail(request, fmt, number):
    pk, client = pk_from_number(number), _reader(request)
    cases = selectors.open311_cases(client=client).select_related("merged_into").filter(pk=pk) if pk else []
    if not cases:
        raise Open311Error(404, f"service_request_id {number} not found")
    return render(fmt, "service_requests", _answers(cases, client))


@handles_errors
def token(request, fmt, token_id):
    case = Case.objects.filter(open311_token=token_id).first() if len(token_id) <= 36 else None
    if case is None:
        raise Open311Error(404, "token not found")
    return render(fmt, "service_requests", [{"service_request_id": case.number, "token": token_id}])
