"""Open311 as real clients send it: api_key and arguments in the query string (Code for America's open311-python
client), in an urlencoded body, or in a multipart body with a photo as `media`; multi-value attributes; errors
in the spec's format for any path under /open311/v2/; jurisdiction_id; pages of `GET requests`."""

import io
import urllib.parse
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.cases import open311
from civicgrid.cases.models import Case, CasePhoto, Category, Publication
from civicgrid.cases.services import issue_open311_key
from tests.cases.conftest import IN_A, jpeg_with_gps

pytestmark = pytest.mark.django_db
REQUESTS = "/open311/v2/requests.json"


@pytest.fixture
def key(regions):
    return issue_open311_key(actor=None, name="client")[1]


def arguments(key, **extra) -> dict:
    return {"api_key": key, "service_code": "0101", "lat": str(IN_A[1]), "long": str(IN_A[0]),
            "description": "路口垃圾堆积", "phone": "13800001234", **extra}


def test_key_and_every_argument_in_the_query_string(key):
    answer = Client().post(f"{REQUESTS}?{urllib.parse.urlencode(arguments(key))}")
    assert answer.status_code == 200, answer.content
    assert answer.json()[0]["service_request_id"] == Case.objects.get().number


def test_key_in_the_query_string_and_arguments_in_the_body(key):
    body = arguments(key)
    body.pop("api_key")
    answer = Client().post(f"{REQUESTS}?api_key={key}", body)  # what open311-python sends
    assert answer.status_code == 200, answer.content
    assert Case.objects.get().description == "路口垃圾堆积"


def test_the_body_wins_over_the_query_string(key):
    answer = Client().post(f"{REQUESTS}?description=query", arguments(key, description="正文的描述"))
    assert answer.status_code == 200
    assert Case.objects.get().description == "正文的描述"


def test_urlencoded_body(key):
    body = urllib.parse.urlencode(arguments(key))
    answer = Client().post(REQUESTS, body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200 and Case.objects.count() == 1


def test_multipart_with_a_photo_as_media(key):
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "pothole.jpg"
    answer = Client().post(REQUESTS, {**arguments(key), "media": photo})  # multipart/form-data
    assert answer.status_code == 200, answer.content
    stored = CasePhoto.objects.get()
    assert stored.case.number == answer.json()[0]["service_request_id"] and stored.width == 64


def test_a_post_answer_names_the_request_and_no_token(key):
    created = Client().post(REQUESTS, arguments(key)).json()
    assert list(created[0]) == ["service_request_id", "service_notice"]
    xml = Client().post("/open311/v2/requests.xml", arguments(key)).content
    assert b"<service_request_id>" in xml and b"<token>" not in xml


def test_description_is_optional(key):
    body = arguments(key)
    body.pop("description")
    answer = Client().post(REQUESTS, body)
    assert answer.status_code == 200, answer.content
    assert Case.objects.get().description.startswith("暴露垃圾")


@pytest.fixture
def multi_value_service(regions):
    category = Category.objects.get(code="0403")
    category.attributes = [{"variable": True, "code": "kinds", "datatype": "multivaluelist", "required": True,
                            "order": 1, "description": "种类",
                            "values": [{"key": "car", "name": "汽车"}, {"key": "bike", "name": "单车"}]}]
    category.save()
    open311._service_cache["at"] = -1e9  # the per-process service map reads the change at once
    yield category
    open311._service_cache["at"] = -1e9


def test_multi_value_attributes(key, multi_value_service):
    query = urllib.parse.urlencode([*arguments(key, service_code="0403").items(),
                                    ("attribute[kinds][]", "car"), ("attribute[kinds][]", "bike")])
    answer = Client().post(REQUESTS, query, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200, answer.content
    assert Case.objects.get().attributes == {"kinds": ["car", "bike"]}
    wrong = urllib.parse.urlencode([*arguments(key, service_code="0403").items(), ("attribute[kinds][]", "bus")])
    refused = Client().post(REQUESTS, wrong, content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 400 and refused.json()[0]["description"] == "attribute[kinds] has an unknown value"


def test_single_value_attribute_sent_with_brackets(key):
    answer = Client().post(REQUESTS, arguments(key, service_code="0502", **{"attribute[hazard][]": "wires"}))
    assert answer.status_code == 200 and Case.objects.get().attributes == {"hazard": "wires"}


@pytest.mark.parametrize("path", ["nothing.json", "requests/C1/extra.json", "services", "requests.csv", ""])
def test_unknown_paths_answer_in_the_open311_error_format(regions, path):
    for method in ("get", "post"):
        answer = getattr(Client(), method)(f"/open311/v2/{path}x")
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
        [error] = answer.json()
        assert error["code"] == 404 and "not an Open311" in error["description"]
    as_xml = Client().get(f"/open311/v2/{path}x.xml")
    root = ET.fromstring(as_xml.content)
    assert as_xml.status_code == 404 and root.tag == "errors" and root.find("error/code").text == "404"


def test_jurisdiction_id(key):
    assert Client().get("/open311/v2/services.json", {"jurisdiction_id": "110107"}).status_code == 200
    for path in ("services.json", "services.xml", "requests.json", "discovery.json"):
        wrong = Client().get(f"/open311/v2/{path}", {"jurisdiction_id": "city.example"})
        assert wrong.status_code == 404 and b"jurisdiction_id provided was not found" in wrong.content
    posted = Client().post(f"{REQUESTS}?jurisdiction_id=city.example", arguments(key))
    assert posted.status_code == 404 and Case.objects.count() == 0
    assert Client().post(f"{REQUESTS}?jurisdiction_id=110107", arguments(key)).status_code == 200


def _published(key, count: int) -> list[str]:
    client = Client()
    numbers = [client.post(REQUESTS, arguments(key)).json()[0]["service_request_id"] for _ in range(count)]
    Case.objects.update(publication=Publication.PUBLISHED, public_description="路口垃圾堆积")
    return numbers


def test_get_requests_pages_by_100(key):
    numbers = _published(key, 105)
    first = Client().get(REQUESTS)
    assert len(first.json()) == 100 and [r["service_request_id"] for r in first.json()] == numbers[::-1][:100]
    link = first["Link"]
    assert link.endswith('>; rel="next"') and "page=2" in link
    second = Client().get(link[1:link.index(">")])
    assert [r["service_request_id"] for r in second.json()] == numbers[::-1][100:] and "Link" not in second
    small = Client().get(REQUESTS, {"page_size": 10, "page": 3})
    assert [r["service_request_id"] for r in small.json()] == numbers[::-1][20:30] and "page=4" in small["Link"]
    for bad in ({"page_size": 0}, {"page_size": 1001}, {"page": "x"}):
        assert Client().get(REQUESTS, bad).status_code == 400


def test_the_date_window_narrows_a_page(key):
    _published(key, 3)
    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(
        reported_at=timezone.now() - timezone.timedelta(days=10))
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    assert len(Client().get(REQUESTS, {"start_date": since}).json()) == 2
    # an unencoded "+" of the offset arrives as a space
    plain = Client().get(f"{REQUESTS}?start_date={since.replace('+', '%20')}")
    assert plain.status_code == 200 and len(plain.json()) == 2


def test_a_single_read_is_one_query(key):
    """The case row with its category and unit names; community names come from a per-process map."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    [number] = _published(key, 1)
    client = Client()
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(f"/open311/v2/requests/{number}.json")
    assert answer.json()[0]["address"] == "社区a"
    assert len(captured.captured_queries) == 1, captured.captured_queries
    with CaptureQueriesContext(connection) as captured:
        assert len(client.get(REQUESTS).json()) == 1
    assert len(captured.captured_queries) == 1, captured.captured_queries
