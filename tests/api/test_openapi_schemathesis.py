"""schemathesis generates requests from our OpenAPI document and checks every response against it:
status codes must be declared, bodies must match their schemas, and nothing may answer 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from civicgrid.accounts.services import issue_token
from civicgrid.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(users):
    return issue_token(user=users["community_a"], name="schemathesis")


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
