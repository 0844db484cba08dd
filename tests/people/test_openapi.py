"""schemathesis over the people operations only, with residents in the database and a token for a worker who
may reveal: every response must be declared and match its schema, and nothing may answer 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from civicgrid.accounts.services import issue_token
from civicgrid.wsgi import application
from tests.people.conftest import grant_reveal

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"/(residents|staff)")
CHECKS_EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(users, register):
    for seq in ("101", "102"):
        register(name=f"居民{seq}")
    return issue_token(user=grant_reveal(users["community_a"]), name="schemathesis")


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_people_api_conforms_to_openapi(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=CHECKS_EXCLUDED)
