"""Public by decision: only a resident's report that its reporter asked to publish and staff approved appears in
any public answer (Open311 JSON/XML list and detail, the public pages), with the moderated text and a rounded
point; hotline and patrol cases never do. A granting api_key reads the private fields of its own cases only."""

import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from civicgrid.cases import open311_urls, services, urls
from civicgrid.cases.errors import NotPublishable
from civicgrid.cases.models import Case, Channel, Open311Client, Publication
from civicgrid.cases.services import issue_open311_key
from tests.cases.conftest import report, to_state
from tests.cases.test_open311 import from_xml, validate

pytestmark = pytest.mark.django_db
EXACT = (116.15637, 39.90462)  # inside grid a; public: (116.156, 39.905)
NUMBER = re.compile(r"C\d{8}")
SECRETS = ("赵六", "王小明", "13912345678", "13800138000", "138****8000", "116.15637", "39.90462")


def published(users, description="小区门口有暴露垃圾", **extra) -> Case:
    case = report(users, where=EXACT, publish=True, description=description, **extra)
    return services.moderate_publication(actor=users["community_a"], case_id=case.pk, decision="publish")


def hotline(users, **extra) -> Case:
    return services.report_case(actor=users["district"], channel=Channel.HOTLINE, description="热线：楼道堆物",
                                lon=EXACT[0], lat=EXACT[1], external_id="H-2026-1", publish=True, **extra)


def listed(client: Client, query: dict | None = None) -> dict[str, set[str]]:
    """Case numbers in every public list: Open311 JSON, Open311 XML, the public page."""
    as_json = client.get("/open311/v2/requests.json", query or {}).json()
    as_xml = from_xml(ET.fromstring(client.get("/open311/v2/requests.xml", query or {}).content))
    page = client.get("/cases/public/").content.decode()
    return {"json": {r["service_request_id"] for r in as_json}, "xml": {r["service_request_id"] for r in as_xml},
            "page": set(NUMBER.findall(page))}


def detail_statuses(client: Client, number: str) -> list[int]:
    return [client.get(f"/open311/v2/requests/{number}.json").status_code,
            client.get(f"/open311/v2/requests/{number}.xml").status_code,
            client.get(f"/cases/public/{number}/").status_code]


def assert_nowhere(client: Client, case: Case) -> None:
    assert all(case.number not in numbers for numbers in listed(client).values())
    assert detail_statuses(client, case.number) == [404, 404, 404]


def test_hotline_and_patrol_cases_are_never_public_even_if_marked(users, unit):
    call = hotline(users)
    patrol = services.report_case(actor=users["grid_a"], channel=Channel.PATROL, description="巡查：井盖缺失",
                                  lon=EXACT[0], lat=EXACT[1], publish=True)
    assert call.publication == patrol.publication == Publication.PRIVATE  # the publish wish is ignored
    for case in (call, patrol):
        with pytest.raises(NotPublishable):
            services.moderate_publication(actor=users["district"], case_id=case.pk, decision="publish")
        with pytest.raises(IntegrityError), transaction.atomic():  # someone marks it behind the service's back
            Case.objects.filter(pk=case.pk).update(publication=Publication.PUBLISHED, public_description="热线")
    published(users)  # the public answers are not simply empty
    client = Client()
    for case in (call, patrol):
        assert_nowhere(client, case)


def test_private_pending_and_refused_web_cases_are_not_public(users, unit):
    private = report(users, where=EXACT)
    pending = report(users, where=EXACT, publish=True)
    refused = report(users, where=EXACT, publish=True)
    services.moderate_publication(actor=users["community_a"], case_id=refused.pk, decision="refuse")
    withdrawn = published(users)
    services.moderate_publication(actor=users["community_a"], case_id=withdrawn.pk, decision="refuse")
    assert (private.publication, pending.publication) == (Publication.PRIVATE, Publication.PENDING)
    shown = published(users)
    client = Client()
    for case in (private, pending, refused, withdrawn):
        assert_nowhere(client, case)
    assert all(numbers == {shown.number} for numbers in listed(client).values())


def test_published_case_shows_moderated_text_and_rounded_point_only(users, unit, garbage):
    users["resident"].display_name = "赵六"
    users["resident"].save()
    original = "我是赵六，楼下垃圾三天没人清运，联系人王小明，电话13912345678"
    case = published(users, description=original, category=garbage, phone="13800138000")
    client = Client()
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{case.number}"):
            answer = client.get(f"/open311/v2/{path}.{fmt}")
            body = answer.json() if fmt == "json" else from_xml(ET.fromstring(answer.content))
            validate(body, "requests.json")
            (shown,) = body
            assert (shown["lat"], shown["long"]) == (39.905, 116.156)
            assert shown["description"] == case.public_description
            assert shown["address"] == "社区a" and shown["media_url"] is None and shown["status_notes"] == "已收到"
            assert not any(secret in answer.content.decode() for secret in SECRETS)
    for url in ("/cases/public/", f"/cases/public/{case.number}/"):
        page = client.get(url).content.decode()
        assert case.public_description in page and "116.156" in page
        assert not any(secret in page for secret in SECRETS)


@pytest.fixture
def clients(regions):
    """owner and other may read their own private fields; plain may not."""
    made = {}
    for name, grant in (("owner", True), ("other", True), ("plain", False)):
        client, raw = issue_open311_key(actor=None, name=name)
        Open311Client.objects.filter(pk=client.pk).update(may_read_own_private=grant)
        made[name] = raw
    return made


def _post(key: str, publish: bool) -> Case:
    data = {"api_key": key, "service_code": "0101", "lat": EXACT[1], "long": EXACT[0],
            "description": "路口垃圾堆积，电话13800001234"}
    if publish:
        data["attribute[publish]"] = "true"
    number = Client().post("/open311/v2/requests.json", data).json()[0]["service_request_id"]
    return Case.objects.get(pk=int(number[1:]))


def _read(key: str, number: str) -> tuple[int, dict | None]:
    answer = Client().get(f"/open311/v2/requests/{number}.json", {"api_key": key})
    return answer.status_code, answer.json()[0] if answer.status_code == 200 else None


def test_api_key_reads_private_fields_of_its_own_cases_only(users, clients):
    own_published = _post(clients["owner"], publish=True)
    assert own_published.publication == Publication.PENDING
    services.moderate_publication(actor=users["community_a"], case_id=own_published.pk, decision="publish")
    own_private = _post(clients["owner"], publish=False)
    plain_published = _post(clients["plain"], publish=True)
    services.moderate_publication(actor=users["community_a"], case_id=plain_published.pk, decision="publish")

    status, own = _read(clients["owner"], own_published.number)
    assert (own["lat"], own["description"]) == (EXACT[1], "路口垃圾堆积，电话13800001234")  # type: ignore[index]
    status, own = _read(clients["owner"], own_private.number)
    assert status == 200 and own["long"] == EXACT[0]  # type: ignore[index]
    owner_list = Client().get("/open311/v2/requests.json", {"api_key": clients["owner"]}).json()
    assert {r["service_request_id"] for r in owner_list} == {c.number for c in (own_published, own_private,
                                                                                plain_published)}

    for key, number in ((clients["owner"], plain_published.number), (clients["other"], own_published.number),
                        (clients["plain"], plain_published.number)):  # another's case, or no grant: public only
        status, shown = _read(key, number)
        assert status == 200 and shown["lat"] == 39.905 and "13800001234" not in json.dumps(shown)
    assert _read(clients["other"], own_private.number)[0] == 404
    assert _read("o311_unknown", own_private.number)[0] == 404


def test_public_list_filters_by_stage_and_category_and_pages(users, unit, garbage):
    done = to_state(users, published(users, description="垃圾已清运", category=garbage), "closed")
    fresh = published(users, description="路灯不亮")
    client = Client()
    page = client.get("/cases/public/", {"stage": "done"}).content.decode()
    assert done.number in page and fresh.number not in page and "已办结" in page
    page = client.get("/cases/public/", {"category": garbage.parent_id}).content.decode()
    assert done.number in page and fresh.number not in page
    for _ in range(20):
        published(users)
    first, second = client.get("/cases/public/"), client.get("/cases/public/", {"page": 2})
    assert len(set(NUMBER.findall(first.content.decode()))) == 20
    assert len(set(NUMBER.findall(second.content.decode()))) == 2
    assert 'data-testid="public-map"' in first.content.decode()


def test_reporter_chooses_publication_on_the_form_the_api_and_open311(users, unit, login, clients):
    resident = login(users["resident"])
    resident.post("/cases/report/", {"description": "楼道灯坏了", "lon": EXACT[0], "lat": EXACT[1], "publish": "on"})
    resident.post("/cases/report/", {"description": "楼道灯又坏了", "lon": EXACT[0], "lat": EXACT[1]})
    via_api = resident.post("/api/v1/cases", {"description": "垃圾没人收", "lon": EXACT[0], "lat": EXACT[1],
                                              "publish": True}, content_type="application/json")
    assert via_api.status_code == 201 and via_api.json()["publication"] == "pending"
    grid = login(users["grid_a"])
    grid.post("/cases/report/", {"description": "巡查发现", "lon": EXACT[0], "lat": EXACT[1], "publish": "on"})
    by_text = dict(Case.objects.values_list("description", "publication"))
    assert by_text == {"楼道灯坏了": "pending", "楼道灯又坏了": "private", "垃圾没人收": "pending",
                       "巡查发现": "private"}
    assert _post(clients["plain"], publish=True).publication == "pending"
    assert _post(clients["plain"], publish=False).publication == "private"


def test_public_routes_are_declared_with_a_reason(regions):
    for module in (urls, open311_urls):
        for name, reason in module.PUBLIC_ROUTES:
            assert reason and reverse(name if module is open311_urls else f"cases:{name}", kwargs=_kwargs(name))
    assert {"public_list", "public_detail"} <= {name for name, _reason in urls.PUBLIC_ROUTES}
    assert Client().get("/cases/public/").status_code == 200  # no sign-in


def _kwargs(name: str) -> dict:
    return {"public_detail": {"number": "C00000001"}, "open311-service": {"fmt": "json", "code": "0101"},
            "open311-request": {"fmt": "json", "number": "C1"}, "open311-token": {"fmt": "json", "token_id": "t"},
            "open311-root": {}, "open311-unknown": {"rest": "nothing.json"},
            "follow": {}, "public_list": {}}.get(name, {"fmt": "json"})
