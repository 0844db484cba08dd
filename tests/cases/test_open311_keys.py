"""Revoking an Open311 api_key (in the admin) holds on the very next request, in every process: no process
remembers a key's validity."""

import pytest
from django.test import Client

from civicgrid.cases.models import Open311Client
from civicgrid.cases.services import issue_open311_key
from civicgrid.core.models import AuditEvent
from tests.cases.test_open311 import post_request

pytestmark = pytest.mark.django_db


def test_a_key_revoked_in_the_admin_is_refused_on_the_very_next_request(regions, admin_client):
    client, raw = issue_open311_key(actor=None, name="city app")
    assert post_request(Client(), raw).status_code == 200  # accepted (and, before, remembered for 30 s)
    response = admin_client.post("/admin/cases/open311client/", {"action": "revoke", "_selected_action": [client.pk]})
    assert response.status_code == 302
    refused = post_request(Client(), raw)
    assert refused.status_code == 403 and "revoked" in refused.json()[0]["description"]
    event = AuditEvent.objects.get(action="cases.open311_key.revoke")
    assert event.actor_name == "admin" and event.target_id == str(client.pk)
    assert Open311Client.objects.get(pk=client.pk).revoked_at is not None


def test_revoking_one_key_leaves_the_others_working(regions, admin_client):
    first, first_raw = issue_open311_key(actor=None, name="first")
    _, second_raw = issue_open311_key(actor=None, name="second")
    admin_client.post("/admin/cases/open311client/", {"action": "revoke", "_selected_action": [first.pk]})
    assert post_request(Client(), first_raw).status_code == 403
    assert post_request(Client(), second_raw).status_code == 200
