"""Open311 list reads as prepared queries (core.prepared): the SQL of each shape of `GET requests` is built by the
ORM once per process, so a list costs the query's run and the answers, not the building of its SQL (about a
quarter of a list of 100's CPU before).

A list of ids or of service codes is one JSON string argument unpacked by the database (SQLite `json_each`,
PostgreSQL `jsonb_array_elements_text`), so one SQL text serves any number of them. The rules stay in the
querysets: published cases, plus a granting client's own (selectors.open311_cases)."""

import json
from datetime import UTC, datetime

from django.db import connection
from django.db.models.expressions import RawSQL

from civicgrid.cases import selectors
from civicgrid.cases.models import OPEN_STATES, Open311Client
from civicgrid.cases.open311_answers import ROW_FIELDS
from civicgrid.core.prepared import Prepared

_EXAMPLE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def _json_list(cast: str) -> str:
    """A subquery of the values of a JSON list given as one parameter."""
    if connection.vendor == "postgresql":
        return f"SELECT (jsonb_array_elements_text(%s::jsonb))::{cast}"
    return "SELECT value FROM json_each(%s)"


def _readable(client):
    reader = Open311Client(pk=client, may_read_own_private=True) if client is not None else None
    return selectors.open311_cases(client=reader)


def _by_ids(ids, client=None):
    return (_readable(client).filter(pk__in=RawSQL(_json_list("bigint"), [ids]))  # noqa: S611 - fixed SQL
            .order_by("-reported_at").values(*ROW_FIELDS))


_BY_IDS = Prepared(_by_ids, ids="")
_BY_IDS_WITH_OWN = Prepared(_by_ids, ids="", client=0)


def rows_by_ids(pks: list[int], client_id: int | None) -> list[dict]:
    """The readable cases among `pks`, newest first."""
    if client_id is None:
        return _BY_IDS.run(ids=json.dumps(pks))
    return _BY_IDS_WITH_OWN.run(ids=json.dumps(pks), client=client_id)


def _page(status: str, start, end, codes=None, client=None):
    cases = _readable(client).filter(reported_at__range=(start, end))
    if codes is not None:
        cases = cases.filter(category__code__in=RawSQL(_json_list("text"), [codes]))  # noqa: S611 - fixed SQL
    if status == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif status == "closed":
        cases = cases.exclude(state__in=OPEN_STATES)
    return cases.order_by("-reported_at", "-pk").values(*ROW_FIELDS)


_PAGES: dict[tuple[str, bool, bool], Prepared] = {}


def _page_query(status: str, with_codes: bool, with_client: bool) -> Prepared:
    shape = (status, with_codes, with_client)
    prepared = _PAGES.get(shape)
    if prepared is None:
        examples: dict = {"start": _EXAMPLE_TIME, "end": _EXAMPLE_TIME}
        if with_codes:
            examples["codes"] = ""
        if with_client:
            examples["client"] = 0
        prepared = _PAGES[shape] = Prepared(lambda **markers: _page(status, **markers), **examples)
    return prepared


def page_rows(*, start: datetime, end: datetime, codes: list[str] | None, status: str, client_id: int | None,
              limit: int, offset: int) -> list[dict]:
    """Cases reported from `start` to `end` (of the service codes, when given; status "open", "closed" or ""
    for both), newest first, `limit` rows from `offset`."""
    arguments: dict = {"start": start, "end": end}
    if codes is not None:
        arguments["codes"] = json.dumps(codes)
    if client_id is not None:
        arguments["client"] = client_id
    query = _page_query(status, codes is not None, client_id is not None)
    return query.run(limit=limit, offset=offset, **arguments)
