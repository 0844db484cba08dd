"""Pages: the office's registry, detail, hubs, board, cohort, incubation and training pages; the organization's
portal; other people's records answer 404; the export is an xlsx file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicgrid.organizations import services
from civicgrid.organizations.models import IncubationApplication
from tests.conftest import DISTRICT, SUB_A

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, org, org_user, sub_org, cohort, incubation):
    hub = services.designate_hub(actor=users["sub_a"], organization_id=sub_org.pk, subdistrict_code=SUB_A,
                                 field="community_governance", designated_on="2025-01-01")
    services.add_member(actor=users["sub_a"], hub_id=hub.pk, member_id=org.pk, joined_on="2025-02-01")
    now = timezone.now()
    session = services.create_session(actor=users["district"], title="财务培训", region_code=DISTRICT,
                                      starts_at=now, ends_at=now + timedelta(hours=2))
    milestone = services.add_milestone(actor=users["district"], incubation_id=incubation.pk, title="制度建设",
                                       due_on=timezone.localdate() + timedelta(days=30))
    return {"hub": hub, "session": session, "milestone": milestone}


def _get(client, name, *args):
    return client.get(reverse(f"organizations:{name}", args=args), HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_office_pages(login, users, org, cohort, incubation, world):
    client = login(users["district"])
    for name, args in (("registry", ()), ("register", ()), ("detail", (org.pk,)), ("hubs", ()),
                       ("hub", (world["hub"].pk,)), ("board", ()), ("cohort", (cohort.pk,)),
                       ("incubation", (incubation.pk,)), ("trainings", ()), ("training", (world["session"].pk,)),
                       ("training_qr", (world["session"].pk,))):
        response = _get(client, name, *args)
        assert response.status_code == 200, name
    board = _get(client, "board").content.decode()
    assert "2026年第一期" in board and "孵化" in board
    export = _get(client, "export")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_portal_pages_show_only_the_own_organization(login, org, org_user, sub_org, filed_org, world):
    client = login(org_user)
    assert _get(client, "home").url == reverse("organizations:portal")
    for name in ("portal", "portal_staff", "portal_projects", "portal_reports", "portal_incubation", "hubs",
                 "trainings"):
        response = _get(client, name)
        assert response.status_code == 200, name
        assert filed_org.name not in response.content.decode()
    assert _get(client, "detail", sub_org.pk).status_code == 404
    assert _get(client, "registry").status_code == 404
    assert _get(client, "board").status_code == 404
    assert _get(client, "hub", world["hub"].pk).status_code == 200  # a member sees its hub


def test_other_communities_get_404(login, users, org, sub_org, filed_org, incubation, world):
    client = login(users["community_b"])
    assert _get(client, "detail", filed_org.pk).status_code == 404
    assert _get(client, "hub", world["hub"].pk).status_code == 404
    assert _get(client, "incubation", incubation.pk).status_code == 404
    response = client.post(reverse("organizations:milestone_done", args=[world["milestone"].pk]))
    assert response.status_code == 404


def test_the_journey_through_forms(login, users, org, org_user, cohort):
    org_client, office = login(org_user), login(users["district"])
    response = org_client.post(reverse("organizations:portal_incubation"), {"cohort": cohort.pk, "needs": "项目设计"})
    assert response.status_code == 302
    application = IncubationApplication.objects.get(organization=org)
    response = office.post(reverse("organizations:decide", args=[application.pk]), {"decision": "admit"})
    application.refresh_from_db()
    incubation = application.incubation
    assert response.url == reverse("organizations:incubation", args=[incubation.pk])
    today = timezone.localdate().isoformat()
    office.post(reverse("organizations:log_service", args=[incubation.pk]),
                {"kind": "consulting", "delivered_on": today, "hours": "3"})
    office.post(reverse("organizations:add_milestone", args=[incubation.pk]), {"title": "注册登记", "due_on": today})
    milestone = incubation.milestones.get()
    office.post(reverse("organizations:milestone_done", args=[milestone.pk]), {"evidence": "登记证书"})
    page = _get(office, "cohort", cohort.pk).content.decode()
    assert org.name in page
    assert incubation.services.count() == 1 and incubation.milestones.filter(done_on__isnull=False).count() == 1
    refused = org_client.post(reverse("organizations:log_service", args=[incubation.pk]),
                              {"kind": "consulting", "delivered_on": today, "hours": "3"})
    assert refused.status_code == 403
