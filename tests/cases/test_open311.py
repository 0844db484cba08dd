"""Open311 GeoReport v2: every response type in JSON and XML validated against the spec's JSON Schemas
(copied into open311_schemas/); XML is parsed into the same structure and must equal the JSON."""

import json
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from civicgrid.cases.models import Case, Channel, Open311Client, State
from civicgrid.cases.services import issue_open311_key
from tests.cases.conftest import IN_A, OUTSIDE

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "open311_schemas"
LISTS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
         "values": "value", "endpoints": "endpoint", "formats": "format"}
NUMBERS = {"lat", "long", "order", "code"}
BOOLEANS = {"metadata", "variable", "required"}


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


REGISTRY = Registry().with_resources(
    (name, Resource.from_contents({**_schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}))
    for name in ("request.json", "requests.json", "service.json", "services.json", "service-definition.json"))
SWAGGER = _schema("swagger.json")["definitions"]


def validate(instance, name: str) -> None:
    schema = _schema(name) if name.endswith(".json") else {"type": "array", "items": SWAGGER[name]}
    errors = list(Draft7Validator(schema, registry=REGISTRY).iter_errors(instance))
    assert not errors, [e.message for e in errors]


def from_xml(node: ET.Element, parent_is_list: bool = False):
    if node.tag in LISTS:
        return [from_xml(child) for child in node]
    if len(node):
        return {child.tag: from_xml(child) for child in node}
    if node.text is None:
        return None
    if node.tag in BOOLEANS:
        return node.text == "true"
    if node.tag in NUMBERS:
        try:
            return float(node.text) if "." in node.text else int(node.text)
        except ValueError:
            return node.text
    return node.text


def both(client: Client, method: str, path: str, data=None):
    """(status, json body, xml body parsed to the same structure)."""
    call = client.post if method == "POST" else client.get
    answer_json = call(f"/open311/v2/{path}.json", data or {})
    answer_xml = call(f"/open311/v2/{path}.xml", data or {})
    assert answer_json.status_code == answer_xml.status_code
    assert answer_xml["Content-Type"].startswith("text/xml")
    return answer_json.status_code, answer_json.json(), from_xml(ET.fromstring(answer_xml.content))


@pytest.fixture
def key(regions):
    return issue_open311_key(actor=None, name="test client")[1]


@pytest.fixture
def reader_key(regions):
    """A client whose key may read its own cases' private fields (unpublished cases included)."""
    client, raw = issue_open311_key(actor=None, name="reading client")
    Open311Client.objects.filter(pk=client.pk).update(may_read_own_private=True)
    return raw


def post_request(client, key, **extra):
    data = {"api_key": key, "service_code": "0101", "lat": IN_A[1], "long": IN_A[0],
            "description": "路口垃圾堆积", "phone": "13800001234", **extra}
    return client.post("/open311/v2/requests.json", data)


def test_discovery_services_and_definitions(regions):
    client = Client()
    status, as_json, as_xml = both(client, "GET", "discovery")
    assert status == 200 and as_json["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert as_xml["endpoints"] == as_json["endpoints"]
    status, as_json, as_xml = both(client, "GET", "services")
    validate(as_json, "services.json")
    validate(as_xml, "services.json")
    assert as_json == as_xml and {"0101", "0502"} <= {s["service_code"] for s in as_json}
    status, as_json, as_xml = both(client, "GET", "services/0502")
    validate(as_json, "service-definition.json")
    validate(as_xml, "service-definition.json")
    assert as_json == as_xml and as_json["attributes"][0]["values"]


def test_post_then_read_back_in_json_and_xml(regions, reader_key):
    client, key = Client(), reader_key
    answer = post_request(client, key)
    assert answer.status_code == 200
    created = answer.json()
    validate(created, "RequestResponse")
    number = created[0]["service_request_id"]
    assert "token" not in created[0]  # the spec's answer carries service_request_id or token, not both
    case = Case.objects.get()
    token = case.open311_token
    assert case.channel == Channel.OPEN311 and case.number == number and case.phone_masked == "138****1234"
    assert both(client, "GET", f"requests/{number}")[0] == 404  # not published: only its client reads it
    status, as_json, as_xml = both(client, "GET", f"requests/{number}", {"api_key": key})
    validate(as_json, "requests.json")
    validate(as_xml, "requests.json")
    assert as_json == as_xml and as_json[0]["status"] == "open" and as_json[0]["status_notes"] == "已上报"
    assert "13800001234" not in json.dumps(as_json) and "1234" not in json.dumps(as_json)
    status, as_json, as_xml = both(client, "GET", f"tokens/{token}")
    validate(as_json, "TokenResponse")
    assert as_json == as_xml == [{"service_request_id": number, "token": token}]
    status, as_json, as_xml = both(client, "GET", "requests", {"status": "open", "service_code": "0101",
                                                               "api_key": key})
    validate(as_json, "requests.json")
    validate(as_xml, "requests.json")
    assert [r["service_request_id"] for r in as_json] == [number]


def test_closed_state_maps_to_closed(regions, reader_key):
    post_request(Client(), reader_key)
    Case.objects.update(state=State.VOID)
    status, as_json, _xml = both(Client(), "GET", "requests", {"status": "closed", "api_key": reader_key})
    assert as_json[0]["status"] == "closed"


def test_attributes_and_address(regions, key):
    client = Client()
    missing = post_request(client, key, service_code="0502")
    assert missing.status_code == 400 and "hazard" in missing.json()[0]["description"]
    ok = post_request(client, key, service_code="0502", **{"attribute[hazard]": "wires"})
    assert ok.status_code == 200 and Case.objects.get().attributes == {"hazard": "wires"}
    no_place = client.post("/open311/v2/requests.json", {"api_key": key, "service_code": "0101",
                                                         "address_string": "不存在的地址", "description": "垃圾"})
    assert no_place.status_code == 400 and "address_not_found" in no_place.json()[0]["description"]


@pytest.mark.parametrize(("path", "method", "data", "status"), [
    ("requests", "POST", {"api_key": "wrong", "service_code": "0101"}, 403),
    ("requests", "POST", {"service_code": "0101"}, 403),
    ("services/9999", "GET", None, 404),
    ("requests/C99999999", "GET", None, 404),
    ("tokens/no-such-token", "GET", None, 404),
    ("requests", "GET", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, 400),
    ("requests", "GET", {"start_date": "yesterday"}, 400),
])
def test_errors_follow_the_spec(regions, key, path, method, data, status):
    got, as_json, as_xml = both(Client(), method, path, data)
    assert got == status and as_json == as_xml
    assert as_json[0]["code"] == status and as_json[0]["description"]


def test_post_errors(regions, key):
    client = Client()
    outside = post_request(client, key, lat=OUTSIDE[1], long=OUTSIDE[0])
    assert outside.status_code == 400 and "outside_district" in outside.json()[0]["description"]
    assert post_request(client, key, service_code="9999").status_code == 404
    no_location = client.post("/open311/v2/requests.xml", {"api_key": key, "service_code": "0101"})
    assert no_location.status_code == 400 and b"<errors><error><code>400</code>" in no_location.content
    assert Case.objects.count() == 0


def test_key_command_issues_hashed_revocable_keys(regions, capsys):
    call_command("open311-key", name="city app")
    raw = capsys.readouterr().out.strip()
    client = Open311Client.objects.get(name="city app")
    assert raw.startswith("o311_") and raw not in client.key_hash
    assert post_request(Client(), raw).status_code == 200
    call_command("open311_key", revoke=client.prefix)
    assert post_request(Client(), raw).status_code == 403


def test_listing_defaults_to_the_last_90_days(regions, reader_key):
    post_request(Client(), reader_key)
    assert len(Client().get("/open311/v2/requests.json", {"api_key": reader_key}).json()) == 1
    Case.objects.update(reported_at=timezone.now() - timedelta(days=100))
    assert Client().get("/open311/v2/requests.json", {"api_key": reader_key}).json() == []


def test_a_creation_is_a_handful_of_statements(regions, key):
    """After the first request (which fills the per-process service map): the api_key lookup (never cached, so a
    revocation holds at once), the case, its event and the audit event (on PostgreSQL: head lock, then event and
    head in one statement), in one transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    assert post_request(client, key).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert post_request(client, key).status_code == 200
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    statements = [s for s in statements if s not in ("SAVEPOINT", "RELEASE")]  # the test's own transaction
    if connection.vendor == "postgresql":
        assert statements == ["SELECT", "INSERT", "INSERT", "SELECT", "WITH"], captured.captured_queries
    else:
        assert statements == ["SELECT", "INSERT", "INSERT", "SELECT", "INSERT", "UPDATE"], captured.captured_queries
