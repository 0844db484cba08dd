"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests (POST with an
api_key, GET list ≤ 90 days in pages, GET one), tokens; JSON and XML; errors as `[{code, description}]`, for
unknown paths under /open311/v2/ too.

Every argument may come in the query string or in the form body (urlencoded or multipart, the body wins), as
the spec's swagger defines them; `jurisdiction_id`, when given, must be ours (OPEN311_JURISDICTION_ID).
GET answers hold published cases only, with their public fields (see cases.public); a client whose key grants
`may_read_own_private` also reads every field of the cases it created itself. Reads are built from plain rows
(open311_answers)."""

import json
import re
import time
from datetime import timedelta
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from civicgrid.cases import duplicates, open311_answers, open311_reads, selectors
from civicgrid.cases.models import Case, Category, Channel, Open311Client, pk_from_number
from civicgrid.cases.services import join_case, report_case
from civicgrid.cases.services.keys import client_for_key
from civicgrid.core.errors import DomainError
from civicgrid.core.prepared import Prepared

MAX_DAYS = 90
DEFAULT_DAYS = 90
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_MEDIA = 3
LIST_TAGS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
             "values": "value", "endpoints": "endpoint", "formats": "format"}
SPACE_FOR_PLUS = re.compile(r" (\d{2}:?\d{2})$")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, description: str, more: tuple[str, ...] = ()):
        self.status, self.description, self.more = status, description, more


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


def error_response(fmt: str, status: int, description: str, more: tuple[str, ...] = ()) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": text} for text in (description, *more)],
                  status=status)


def jurisdiction_id() -> str:
    return str(getattr(settings, "OPEN311_JURISDICTION_ID", "110107"))


def arguments(request) -> QueryDict:
    """The query string's arguments, with the form body's (urlencoded or multipart) over them (merged once per
    request)."""
    if request.method != "POST" or not request.POST:
        return request.GET
    merged = getattr(request, "_open311_arguments", None)
    if merged is None:
        merged = request._open311_arguments = request.GET.copy()
        for key, values in request.POST.lists():
            merged.setlist(key, list(values))
    return merged


def handles_errors(view):
    def inner(request, fmt="json", **kwargs):
        try:
            given = arguments(request).get("jurisdiction_id", "").strip()
            if given and given != jurisdiction_id():
                raise Open311Error(404, "jurisdiction_id provided was not found")
            return view(request, fmt, **kwargs)
        except Open311Error as error:
            return error_response(fmt, error.status, error.description, error.more)
        except DomainError as error:
            status = 404 if error.status == 404 else 403 if error.status in (401, 403) else 400
            detail = f"{error.code}: {error.message}" + (f" ({error.field})" if error.field else "")
            return error_response(fmt, status, detail)

    inner.__name__ = view.__name__
    return inner


def service_dict(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name,
            "description": f"{category.parent.name if category.parent else ''} / {category.name}",
            "metadata": bool(category.attributes), "type": "realtime", "keywords": category.keywords,
            "group": category.parent.name if category.parent else category.name}


def _reader(request) -> Open311Client | None:
    """GET needs no key; an api_key only widens what its own client may read. An unknown key reads as none."""
    return client_for_key(request.GET.get("api_key", ""))


def _services():
    return Category.objects.filter(active=True, parent__isnull=False).select_related("parent").order_by("code")


_service_cache: dict = {"at": -1e9, "by_code": {}}
SERVICE_CACHE_SECONDS = 60.0


def _service_map() -> dict[str, Category]:
    """Active subcategories by code (in code order), a per-process map refreshed every minute (admin edits show
    up then)."""
    now = time.monotonic()
    if now - _service_cache["at"] > SERVICE_CACHE_SECONDS:
        _service_cache.update(at=now, by_code={c.code: c for c in _services()})
    return _service_cache["by_code"]


def _service(code: str) -> Category | None:
    return _service_map().get(code)


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
    return render(fmt, "services", [service_dict(c) for c in _service_map().values()])


@handles_errors
def service_definition(request, fmt, code):
    category = _services().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code {code} not found")
    attributes = [{**a, "values": a.get("values", [])} for a in category.attributes]
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


def _attributes(params, category: Category) -> dict:
    """`attribute[code]=v`, and `attribute[code][]=a&attribute[code][]=b` for several values."""
    given: dict[str, list[str]] = {}
    for key in params:
        matched = ATTRIBUTE_KEY.match(key)
        if matched:
            given.setdefault(matched.group(1), []).extend(params.getlist(key))
    values = {}
    for attribute in category.attributes:
        code, picked = attribute["code"], [p for p in given.get(attribute["code"], []) if p != ""]
        if attribute.get("required") and not picked:
            raise Open311Error(400, f"attribute[{code}] is required")
        allowed = {v["key"] for v in attribute.get("values", [])}
        if allowed and any(p not in allowed for p in picked):
            raise Open311Error(400, f"attribute[{code}] has an unknown value")
        if picked:
            values[code] = picked if attribute["datatype"] == "multivaluelist" else picked[0]
    return values


def _coordinate(params, name: str) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number") from None


def _media_url(params) -> str:
    url = params.get("media_url", "").strip()
    return url[:500] if url.startswith(("http://", "https://")) else ""


def _publish_requested(params) -> bool:
    """The reporter's choice, sent as `attribute[publish]=true`; staff still review it before anything is public."""
    return params.get("attribute[publish]", "").strip().lower() in ("true", "1", "yes")


def _description(params, category: Category) -> str:
    """The spec makes `description` optional: without one the case gets a title from its category."""
    text = params.get("description", "").strip()
    if text:
        return text
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(category)s (reported through Open311 without a description)") % {"category": category.name}


def _asset_code(post) -> str:
    """A street asset (部件) named by its GB/T 30428 code, sent as `attribute[asset]=<16 digits>`."""
    return post.get("attribute[asset]", "").strip()[:16]


def _create(request, fmt):
    params = arguments(request)
    client = client_for_key(params.get("api_key", ""))
    if client is None:
        raise Open311Error(403, "api_key is missing, unknown or revoked")
    category = _service(params.get("service_code", ""))
    if category is None:
        raise Open311Error(404 if params.get("service_code") else 400, "service_code not found")
    lat, lon = _coordinate(params, "lat"), _coordinate(params, "long")
    address = params.get("address_string", "").strip()
    if (lat is None or lon is None) and not address and not _asset_code(params):
        raise Open311Error(400, "lat and long, or address_string, or attribute[asset], are required")
    if params.get("join_service_request_id"):
        return _join(fmt, params, category, lon, lat)
    if _flag(params, "check_duplicates"):
        _refuse_duplicates(category, lon, lat)
    name = " ".join(filter(None, (params.get("last_name", ""), params.get("first_name", ""))))
    case = report_case(actor=None, channel=Channel.OPEN311, description=_description(params, category),
                       lon=lon, lat=lat, address=address, category=category, phone=params.get("phone", ""),
                       reporter_name=name, attributes=_attributes(params, category),
                       media_url=_media_url(params), open311_client=client, publish=_publish_requested(params),
                       photos=request.FILES.getlist("media")[:MAX_MEDIA], asset_code=_asset_code(params))
    # The case exists at once, so the answer names it; a token is for servers that create later (spec: "or").
    return render(fmt, "service_requests", [{"service_request_id": case.number, "service_notice": ""}])


def _flag(params, name: str) -> bool:
    return params.get(name, "").strip().lower() in ("true", "1", "yes")


def _refuse_duplicates(category: Category, lon: float | None, lat: float | None) -> None:
    """`check_duplicates=true`: while open requests of this service lie within the radius of the point, nothing
    is created and the answer (409) names them; the client then joins one (`join_service_request_id`) or posts
    again without the flag."""
    found = duplicates.nearby(category_id=category.pk, lon=lon, lat=lat) if lon is not None and lat is not None \
        else []
    if found:
        raise Open311Error(409, f"possible duplicates: {len(found)} open requests of this service within "
                                f"{duplicates.limits()[0]:.0f} m; join one with join_service_request_id or post "
                                "again without check_duplicates",
                           tuple(f"service_request_id {case.number} is {distance:.0f} m away"
                                 for case, distance in found))


def _join(fmt, params, category: Category, lon: float | None, lat: float | None):
    """Follow an open request of the same service near the point instead of opening a new one (phone required:
    its updates reach the reporter by SMS)."""
    number = params["join_service_request_id"]
    pk = pk_from_number(number)
    if pk is None:
        raise Open311Error(404, f"service_request_id {number} not found")
    case = join_case(actor=None, case_id=pk, category_id=category.pk, lon=lon, lat=lat,
                     phone=params.get("phone", ""))
    return render(fmt, "service_requests", [{"service_request_id": case.number,
                                             "service_notice": "joined: updates of this request reach the phone"}])


def _date(value: str, name: str):
    # an unencoded "+" of the offset arrives as a space
    parsed = parse_datetime(SPACE_FOR_PLUS.sub(r"+\1", value.strip()))
    if parsed is None:
        raise Open311Error(400, f"{name} must be a w3 datetime")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _positive(params, name: str, default: int, most: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {most}")
    return int(raw)


def _window(params) -> dict:
    """The list's filters from its arguments: the date window (at most 90 days), service codes and status."""
    end = _date(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    start = (_date(params["start_date"], "start_date") if params.get("start_date")
             else end - timedelta(days=DEFAULT_DAYS))
    if end < start or end - start > timedelta(days=MAX_DAYS):
        raise Open311Error(400, "start_date to end_date must span at most 90 days")
    codes = params["service_code"].split(",") if params.get("service_code") else None
    wanted = set(filter(None, params.get("status", "").split(",")))
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    return {"start": start, "end": end, "codes": codes, "status": wanted.pop() if len(wanted) == 1 else ""}


def _next_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page + 1)
    return f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'


def _listing(request, fmt):
    """Newest first, `page_size` (default 100, at most 1,000) per `page`; a `Link: rel="next"` header says that
    there is more. With `service_request_id` (up to 1,000 comma-separated ids) the window does not apply."""
    params, client = request.GET, _reader(request)
    own = client.pk if client is not None and client.may_read_own_private else None
    if params.get("service_request_id"):
        ids = [pk_from_number(part) for part in params["service_request_id"].split(",")[:MAX_PAGE_SIZE]]
        rows = open311_reads.rows_by_ids([i for i in ids if i], own)
        return render(fmt, "service_requests", open311_answers.answers(rows, client))
    size = _positive(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    page = _positive(params, "page", 1, 10**6)
    rows = open311_reads.page_rows(**_window(params), client_id=own, limit=size + 1, offset=(page - 1) * size)
    response = render(fmt, "service_requests", open311_answers.answers(rows[:size], client))
    if len(rows) > size:
        response["Link"] = _next_link(request, page)
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
@handles_errors
def requests(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _listing(request, fmt)


def _one_case(pk, client_id):
    reader = Open311Client(pk=client_id, may_read_own_private=True) if client_id is not None else None
    return selectors.open311_cases(client=reader).filter(pk=pk).order_by().values(*open311_answers.ROW_FIELDS)


# One case as a reader without a granting key reads it, and as a client that reads its own cases in full.
_ONE_PUBLIC = Prepared(lambda pk: _one_case(pk, None), pk=0)
_ONE_WITH_OWN = Prepared(lambda pk, client: _one_case(pk, client), pk=0, client=0)


@handles_errors
def request_detail(request, fmt, number):
    pk, client = pk_from_number(number), _reader(request)
    if pk is None:
        rows = []
    elif client is not None and client.may_read_own_private:
        rows = _ONE_WITH_OWN.run(pk=pk, client=client.pk)
    else:
        rows = _ONE_PUBLIC.run(pk=pk)
    if not rows:
        raise Open311Error(404, f"service_request_id {number} not found")
    return render(fmt, "service_requests", open311_answers.answers(rows, client))


@handles_errors
def token(request, fmt, token_id):
    case = Case.objects.filter(open311_token=token_id).first() if len(token_id) <= 36 else None
    if case is None:
        raise Open311Error(404, "token not found")
    return render(fmt, "service_requests", [{"service_request_id": case.number, "token": token_id}])


@csrf_exempt
def unknown(request, rest: str):
    """Any other path under /open311/v2/: the spec's error format, XML when the path ends in .xml."""
    fmt = "xml" if rest.lower().endswith(".xml") else "json"
    return error_response(fmt, 404, f"{rest or '/'} is not an Open311 GeoReport v2 resource")
