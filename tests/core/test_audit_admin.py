"""The audit log in the Django admin: readable by the district superuser, never editable."""

import pytest
from django.db import transaction

from civicgrid.core import audit
from civicgrid.core.models import AuditEvent


@pytest.mark.django_db
def test_admin_lists_events_newest_first_and_refuses_changes(users, login):
    admin_user = users["district"]
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    with transaction.atomic():
        audit.record(actor=admin_user, action="test.first")
        audit.record(actor=admin_user, action="test.second")
    client = login(admin_user)
    page = client.get("/admin/core/auditevent/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("test.second") < html.index("test.first")
    event = AuditEvent.objects.get(action="test.first")
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
