"""Every route, every API operation, against the people who must not see community A's records.

The routes come from Django's URL resolver and the operations from the API's OpenAPI document, so a new route is
covered without editing this file. Each is called (GET, and POST or the operation's own method) by:
  (a) an anonymous visitor, (b) a resident who reported nothing, (c) a worker of another community,
  (d) a handling unit the case was not dispatched to,
with the ids of real records of community A (see world.py). A route that names a record must refuse: 404, 403,
405, 401 or a redirect to the sign-in page. A route that names none may answer, but never with community A's data.
Either way, nothing may be written (no successful audit event). Routes public by design are listed with their
reason in `civicgrid.core.registry.public_routes()`; they are held to "no record data" only.
"""

import io
import re
import zipfile

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civicgrid.accounts.services import issue_token
from civicgrid.api import api
from civicgrid.core import registry
from civicgrid.core.models import AuditEvent
from tests.security import world as world_module

pytestmark = pytest.mark.xdist_group("security-routes")

ACTORS = ("anonymous", "outsider_resident", "worker_b", "unit_x")
DENIED = {401, 403, 404, 405}
# Refusals that send the visitor where they can become allowed: sign in, or register as a volunteer (a resident
# who is not one yet pressing "sign up" on a published activity).
LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/volunteering/register/")


# --- what to call -------------------------------------------------------------------------------------------

def _params(pattern) -> list[str]:
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def _walk(patterns, namespace="", params=()):
    for entry in patterns:
        names = [*params, *_params(entry.pattern)]
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", tuple(names), entry


def page_routes() -> list[tuple[str, tuple[str, ...]]]:
    """Named routes outside the JSON API (the API is enumerated from its OpenAPI document)."""
    seen, routes = set(), []
    for name, params, _entry in _walk(get_resolver().url_patterns):
        if name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view"):
            continue
        if name not in seen:
            seen.add(name)
            routes.append((name, params))
    return routes


def unnamed_routes() -> list[str]:
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif not entry.name:
                found.append(prefix + str(entry.pattern))
    walk(get_resolver().url_patterns)
    return [route for route in found if not route.startswith("admin/")]


def api_operations() -> list[tuple[str, str, tuple[str, ...]]]:
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = tuple(p["name"] for p in operation.get("parameters", []) if p.get("in") == "path")
            operations.append((method.upper(), path, params))
    return operations


# --- the values of path parameters: community A's records ---------------------------------------------------

# A parameter name this file does not know fails loudly: add how to fill it here (one line), never skip a route.
BY_ROUTE = {
    "people:resident": {"pk": "resident"}, "people:reveal": {"pk": "resident"},
    "volunteering:certificate_pdf": {"pk": "certificate"},
    "volunteering:checkin": {"token": "shift.checkin_token"},
    "volunteering:verify": {"token": "certificate.token"}, "volunteering:verify_qr": {"token": "certificate.token"},
    "open311-service": {"code": "case.category.code"},
    "open311-unknown": {"rest": "=no-such-resource.json"},
    "consultation:checkin": {"token": "meeting.checkin_token"},
    "organizations:training_checkin": {"token": "session.checkin_token"},
    "procurement:survey": {"token": "proc_contract.survey_token"},
    "procurement:public_purchase": {"purchase_id": "proc_purchase"},
}
# Where two modules use one parameter name for different records (a project of an organization, a brand project)
BY_MODULE = {"partybuilding": {"project_id": "brand_project", "milestone_id": "brand_milestone",
                               "staff_id": "station_staff", "signup_id": "event_signup"},
             "cockpit": {"report_id": "cockpit_report"},
             "procurement": {"milestone_id": "proc_milestone", "evidence_id": "proc_evidence"},
             "communityaffairs": {"room_id": "ca_room", "post_id": "ca_post",
                                  "qualification_id": "ca_qualification"}}
BY_PARAM = {
    "case_id": "case", "photo_id": "photo", "number": "case.number", "token_id": "=unknown-open311-token",
    "fmt": "=json", "code": "=110107001003", "resident_id": "resident", "place_id": "place",
    "shift_id": "shift", "signup_id": "signup", "record_id": "record", "correction_id": "correction",
    "offer_id": "offer", "request_id": "help_request", "volunteer_id": "volunteer", "shop_id": "shop",
    "run_id": "run", "recommendation_id": "recommendation", "transfer_id": "=1", "action": "=register",
    "token": "certificate.token", "pk": None,
    "topic_id": "topic", "comment_id": "comment", "meeting_id": "meeting", "invitee_id": "invitee",
    "vote_id": "vote", "resolution_id": "resolution", "director_id": "director", "year": "=2026",
    # base-map tile z/x/y: the tile holding community A's place (IN_A) at label zoom
    "z": "=16", "x": "=53913", "y": "=24833",
    "asset_code": "asset.code",
    "org_id": "org", "report_id": "report", "staff_id": "org_staff", "project_id": "project", "hub_id": "hub",
    "membership_id": "membership", "cohort_id": "cohort", "application_id": "application",
    "incubation_id": "incubation", "milestone_id": "milestone", "session_id": "session",
    "building_id": "building", "room_id": "room", "workstation_id": "station", "event_id": "event",
    "pledge_id": "pledge", "evidence_id": "evidence", "member_id": "party_member", "commitment_id": "commitment",
    "chamber_id": "chamber", "model_id": "model_enterprise",
    "purchase_id": "proc_draft", "bid_id": "proc_bid", "contract_id": "proc_contract",
    "instalment_id": "proc_instalment", "change_id": "proc_change",
    "charter_id": "charter", "course_id": "course", "item_id": "onestop_item",
    "appointment_id": "appointment", "handling_id": "handling", "assessment_id": "assessment",
    "template_id": "assessment_template",
    # Django admin: every admin page of a non-staff user is the admin sign-in; any object id will do
    "app_label": "=cases", "object_id": "=1", "content_type_id": "=1", "url": "=x", "id": "=1",
}


def _resolve(world, spec):
    if spec is None:
        raise LookupError
    if spec.startswith("="):
        return spec[1:]
    obj = world[spec.split(".")[0]]
    for attribute in spec.split(".")[1:]:
        obj = getattr(obj, attribute)
    return getattr(obj, "pk", obj)


def _by_module(route: str) -> dict:
    return next((names for module, names in BY_MODULE.items()
                 if route.startswith(f"{module}:") or f"/api/v1/{module}/" in route), {})


def fill(world, route: str, params, *, admin: bool = False) -> dict:
    values = {}
    for param in params:
        spec = BY_ROUTE.get(route, {}).get(param, _by_module(route).get(param, BY_PARAM.get(param, "?")))
        if param == "token_id" and route == "accounts:token_revoke":
            spec = "api_token"
        if param == "token_id" and route.startswith("api "):
            spec = "api_token"
        if spec == "?" or (spec is None and not admin):
            raise AssertionError(f"{route}: add a value for the path parameter {param!r} in tests/security")
        values[param] = _resolve(world, spec) if spec is not None else "1"
    return values


# --- the checks ---------------------------------------------------------------------------------------------

def _text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx: the words sit in compressed XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", "replace")


def leaked(response) -> list[str]:
    text = _text_of(response)
    return [secret for secret in world_module.SECRETS if secret in text]


def refused(response) -> bool:
    if response.status_code in DENIED:
        return True
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return bool(location) and any(location.split("?")[0].endswith(p) for p in LOGIN_PATHS)


def successes() -> int:
    """Successful audited writes (an export or a lookup is an audited read of the actor's own area)."""
    events = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.SUCCESS)
    return events.exclude(action__endswith=".export").exclude(action__endswith=".lookup").count()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for this module inside one transaction that is rolled back at its end."""
    from civicgrid.territory import locate
    from tests.security.people import regions_and_users

    locate.invalidate()  # the point-in-grid index is per process: the grids of earlier tests are gone
    with django_db_blocker.unblock(), transaction.atomic():
        regions, users = regions_and_users()
        built = world_module.build(regions, users)
        built["tokens"] = {name: issue_token(user=built[name], name="route-test") for name in ACTORS[1:]}
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def in_savepoint(world, db):
    """The `db` fixture's transaction: whatever a request writes is undone before the next test."""


def client_for(world, actor: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if world[actor] is not None:
        client.force_login(world[actor])
    return client


def _problems(response, *, names_a_record: bool, public: bool, wrote: bool) -> list[str]:
    found = []
    if response.status_code >= 500:
        found.append(f"answered {response.status_code}")
    if names_a_record and not public and not refused(response):
        found.append(f"answered {response.status_code} instead of refusing")
    if secrets := leaked(response):
        found.append(f"shows community A's data {secrets}")
    if wrote:
        found.append("wrote something (a successful audit event)")
    return found


@pytest.mark.parametrize(("route", "params"), page_routes(), ids=[name for name, _ in page_routes()])
def test_route_keeps_community_a_to_itself(world, in_savepoint, route, params):
    public = route in registry.public_routes()
    admin = route.startswith("admin:")
    url = reverse(route, kwargs=fill(world, route, params, admin=admin))
    failures = []
    for actor in ACTORS:
        client = client_for(world, actor)
        for method in ("get", "post"):
            before = successes()
            response = getattr(client, method)(url)
            wrote = successes() != before and route not in WRITES_FOR_THE_ACTOR
            for problem in _problems(response, names_a_record=bool(params), public=public, wrote=wrote):
                failures.append(f"{method.upper()} {url} as {actor}: {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("method", "path", "params"), api_operations(),
                         ids=[f"{m} {p}" for m, p, _ in api_operations()])
def test_api_operation_keeps_community_a_to_itself(world, in_savepoint, method, path, params):
    key = f"api:{method} {path}"
    public = key in registry.public_routes()
    values = fill(world, f"api {path}", params)
    url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
    failures = []
    for actor in ACTORS:
        headers = {} if actor == "anonymous" else {"Authorization": f"Bearer {world['tokens'][actor]}"}
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        before = successes()
        response = client.generic(method, url, data="{}", content_type="application/json", headers=headers)
        wrote = successes() != before
        problems = _problems(response, names_a_record=bool(params), public=public, wrote=wrote)
        if response.status_code == 422 and params and not leaked(response):
            problems = [p for p in problems if "instead of refusing" not in p]  # the body was refused first
        failures += [f"{method} {url} as {actor}: {problem}" for problem in problems]
    assert not failures, "\n".join(failures)


# Pages that write for the signed-in actor themselves, never about community A (e.g. signing out).
WRITES_FOR_THE_ACTOR = {"accounts:logout", "notifications:preferences"}


def test_every_route_is_named():
    """An unnamed route could not be enumerated above."""
    assert unnamed_routes() == []


def test_public_routes_exist_and_say_why():
    names = {name for name, _ in page_routes()}
    operations = {f"api:{m} {p}" for m, p, _ in api_operations()}
    for name, reason in registry.public_routes().items():
        assert name in names or name in operations, f"public route {name} does not exist"
        assert len(reason) > 10
