"""The district office edits reference data in the admin; the edit goes through the audited service."""

import pytest

from civicgrid.core.models import AuditEvent
from civicgrid.servicecircle.models import Category

pytestmark = pytest.mark.xdist_group("servicecircle")


def test_category_edit_in_admin_is_audited(admin_client, categories):
    category = Category.objects.get(code="elderly_daycare")
    assert admin_client.get("/admin/servicecircle/category/").status_code == 200
    response = admin_client.post(f"/admin/servicecircle/category/{category.pk}/change/", {
        "name": category.name, "name_en": category.name_en, "level": category.level, "walk_distance_m": 500,
        "source": category.source + "；2026 年区社会办调整为 500 米", "active": "on",
        "sort_order": category.sort_order})
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    assert category.walk_distance_m == 500 and "500 米" in category.source
    event = AuditEvent.objects.get(action="servicecircle.category.update")
    assert event.detail["before"]["walk_distance_m"] == 300 and event.detail["after"]["walk_distance_m"] == 500
