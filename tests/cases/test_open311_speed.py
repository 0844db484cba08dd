"""What an Open311 request costs, held so that it cannot silently grow (issue 13's speed goal): statements per
request for every operation, SQL built once per process (core.prepared) giving the same answers and rows as the
ORM, and page middleware (sessions, sign-in, CSP) skipped for the machine interface but not for pages."""

import json
import uuid

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client

from civicgrid.cases import open311
from civicgrid.cases.models import Case, CaseEvent, Open311Client, Publication
from civicgrid.cases.services import issue_open311_key
from civicgrid.core.models import AuditEvent
from civicgrid.core.page_middleware import pages_only
from civicgrid.core.prepared import Prepared, insert
from tests.cases.conftest import IN_A

pytestmark = pytest.mark.django_db
REQUESTS = "/open311/v2/requests.json"


@pytest.fixture
def key(regions):
    return issue_open311_key(actor=None, name="speed client")[1]


def _post(client, key, **extra):
    return client.post(REQUESTS, {"api_key": key, "service_code": "0101", "lat": str(IN_A[1]),
                                  "long": str(IN_A[0]), "description": "路口垃圾堆积", "phone": "13800001234",
                                  **extra})


def _published(key, count: int) -> list[str]:
    client = Client()
    numbers = [_post(client, key).json()[0]["service_request_id"] for _ in range(count)]
    Case.objects.update(publication=Publication.PUBLISHED, public_description="路口垃圾堆积")
    return numbers


def test_a_creation_is_at_most_six_statements(key, django_assert_max_num_queries):
    """api_key, case, event, audit head and audit event (PostgreSQL: event and head in one statement; SQLite: the
    head update apart), plus the SAVEPOINT and RELEASE that the test's own transaction turns BEGIN and COMMIT
    into."""
    client = Client()
    assert _post(client, key).status_code == 200  # fills the per-process service map
    with django_assert_max_num_queries(2 + (5 if connection.vendor == "postgresql" else 6)):
        assert _post(client, key).status_code == 200
    assert Case.objects.count() == 2 and AuditEvent.objects.filter(action="cases.report").count() == 2


def test_every_read_is_one_statement(key, django_assert_max_num_queries):
    numbers = _published(key, 3)
    client = Client()
    assert client.get(REQUESTS).status_code == 200  # fills the per-process community names
    for path in (f"/open311/v2/requests/{numbers[0]}.json", f"/open311/v2/requests/{numbers[0]}.xml",
                 f"{REQUESTS}?service_request_id={','.join(numbers)}", REQUESTS, f"{REQUESTS}?page_size=2&page=2"):
        with django_assert_max_num_queries(1):
            assert client.get(path).status_code == 200, path


def test_a_read_with_a_key_adds_only_the_key_lookup(key, django_assert_max_num_queries):
    [number] = _published(key, 1)
    client = Client()
    client.get(REQUESTS)
    with django_assert_max_num_queries(2):
        assert client.get(f"/open311/v2/requests/{number}.json", {"api_key": key}).status_code == 200


def test_the_prepared_single_read_keeps_the_publication_rule(key):
    """An unpublished case is not found through the prepared query, a published one is, and its row equals what
    the queryset it was built from gives."""
    [number] = _published(key, 1)
    hidden = _post(Client(), key).json()[0]["service_request_id"]
    assert Client().get(f"/open311/v2/requests/{hidden}.json").status_code == 404
    answer = Client().get(f"/open311/v2/requests/{number}.json")
    assert answer.status_code == 200 and answer.json()[0]["service_request_id"] == number
    pk = Case.objects.get(publication=Publication.PUBLISHED).pk
    assert open311._ONE_PUBLIC.run(pk=pk) == list(open311._one_case(pk, None))


def test_a_granting_key_reads_its_own_unpublished_case_through_the_prepared_query(regions):
    client, raw = issue_open311_key(actor=None, name="reading client")
    Open311Client.objects.filter(pk=client.pk).update(may_read_own_private=True)
    other = issue_open311_key(actor=None, name="other client")[1]
    number = _post(Client(), raw).json()[0]["service_request_id"]
    assert Client().get(f"/open311/v2/requests/{number}.json", {"api_key": raw}).json()[0]["description"] == \
        "路口垃圾堆积"
    assert Client().get(f"/open311/v2/requests/{number}.json", {"api_key": other}).status_code == 404
    assert Client().get(f"/open311/v2/requests/{number}.json").status_code == 404


def test_a_revoked_key_is_refused_at_once_through_the_prepared_lookup(regions):
    from civicgrid.cases.services.keys import revoke_open311_key

    client, raw = issue_open311_key(actor=None, name="client")
    assert _post(Client(), raw).status_code == 200
    revoke_open311_key(actor=None, client_id=client.pk)
    assert _post(Client(), raw).status_code == 403


def test_prepared_refuses_an_argument_it_cannot_place():
    twice = Prepared(lambda pk: Case.objects.filter(pk=pk, merged_into_id=pk).values("pk"), pk=0)
    with pytest.raises(ValueError, match="appears 2 times"):
        twice.run(pk=1)
    with pytest.raises(ValueError, match="values"):
        Prepared(lambda pk: Case.objects.filter(pk=pk), pk=0).run(pk=1)


def test_insert_writes_the_row_save_would(key):
    """Same columns as the ORM's save (auto_now fields filled, JSON prepared), the key read back."""
    _post(Client(), key)
    saved = Case.objects.get()
    copy = Case.objects.get()
    copy.pk, copy.row_key = None, uuid.uuid4()  # a new row key: the original's is unique
    copy._state.adding = True
    insert(copy)
    assert copy.pk != saved.pk and not copy._state.adding
    fields = [f.attname for f in Case._meta.concrete_fields if f.attname not in ("id", "updated_at", "row_key")]
    assert Case.objects.filter(pk=copy.pk).values(*fields).get() == Case.objects.filter(pk=saved.pk).values(
        *fields).get()
    assert Case.objects.get(pk=copy.pk).updated_at >= saved.updated_at
    with pytest.raises(ValueError):
        insert(copy)


def test_insert_saves_the_ordinary_way_while_someone_listens(key):
    _post(Client(), key)
    seen = []

    def listener(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    post_save.connect(listener, sender=CaseEvent)
    try:
        event = CaseEvent(case=Case.objects.get(), kind="note", to_state="reported", at=Case.objects.get().reported_at)
        insert(event)
    finally:
        post_save.disconnect(listener, sender=CaseEvent)
    assert seen == [(event.pk, True)]


def test_open311_answers_skip_page_middleware_but_pages_do_not(key):
    open311_answer = Client().get(REQUESTS)
    assert "Content-Security-Policy" not in open311_answer and not open311_answer.cookies
    assert open311_answer["X-Correlation-ID"] and open311_answer["X-Content-Type-Options"] == "nosniff"
    page = Client().get("/accounts/login/")
    assert "Content-Security-Policy" in page and page.wsgi_request.session is not None


def test_middleware_with_view_hooks_cannot_be_skipped():
    from django.middleware.csrf import CsrfViewMiddleware

    with pytest.raises(TypeError, match="process_view"):
        pages_only(CsrfViewMiddleware)


def test_prepared_lists_give_what_the_orm_gives(key):
    """Every shape of the prepared list reads (ids, date window with and without service codes and status, a
    page of it, a granting client's own unpublished cases) against the queryset it was built from."""
    from datetime import timedelta

    from django.utils import timezone

    from civicgrid.cases import open311_reads

    numbers = _published(key, 4)
    client, raw = issue_open311_key(actor=None, name="own reader")
    Open311Client.objects.filter(pk=client.pk).update(may_read_own_private=True)
    _post(Client(), raw)  # unpublished, its own
    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(state="closed")
    pks = [open311.pk_from_number(n) for n in numbers]
    ids = json.dumps(pks[:3])
    end, start = timezone.now() + timedelta(seconds=1), timezone.now() - timedelta(days=1)
    for client_id in (None, client.pk):
        assert open311_reads.rows_by_ids(pks[:3], client_id) == list(
            open311_reads._by_ids(ids, client_id))
        for status in ("", "open", "closed"):
            for codes in (None, ["0101", "0403"], ["9999"]):
                listed = json.dumps(codes) if codes is not None else None
                expected = list(open311_reads._page(status, start, end, listed, client_id))
                got = open311_reads.page_rows(start=start, end=end, codes=codes, status=status, client_id=client_id,
                                              limit=1000, offset=0)
                assert got == expected, (client_id, status, codes)
                assert open311_reads.page_rows(start=start, end=end, codes=codes, status=status,
                                               client_id=client_id, limit=2, offset=1) == expected[1:3]
    assert len(open311_reads.page_rows(start=start, end=end, codes=None, status="", client_id=client.pk,
                                       limit=1000, offset=0)) == 5
    assert open311_reads.rows_by_ids([], None) == []
