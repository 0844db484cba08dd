"""Moderating a case's publication: the proposed text hides phone numbers, ID numbers and names; only dispatch
staff of the case's area decide (another community's worker gets 404); every decision is audited."""

import pytest

from civicgrid.cases import services
from civicgrid.cases.errors import NotPublishable
from civicgrid.cases.models import Case, Publication
from civicgrid.cases.redaction import HIDDEN_ID_NUMBER, HIDDEN_NAME, HIDDEN_PHONE, public_point, redact
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from tests.cases.conftest import report

pytestmark = pytest.mark.django_db
WRITTEN = "联系人：王小明，手机138 0013 8000，座机010-68881234，身份证号11010519900307123X，3号楼垃圾堆积"


@pytest.mark.parametrize(("text", "expected"), [
    ("电话13800138000", f"电话{HIDDEN_PHONE}"),
    ("打+86 139-1234-5678找我", f"打{HIDDEN_PHONE}找我"),
    ("座机(010)68881234转12", f"座机{HIDDEN_PHONE}"),
    ("身份证110105199003071234。", f"身份证{HIDDEN_ID_NUMBER}。"),
    ("联系人张三电话", f"联系人{HIDDEN_NAME}电话"),
    ("姓名：欧阳小明，", f"姓名：{HIDDEN_NAME}，"),
    ("请找李女士", f"请找{HIDDEN_NAME}"),
    ("2026年3月1日，3号楼12单元，拨打12345", "2026年3月1日，3号楼12单元，拨打12345"),
])
def test_redaction_hides_numbers_and_names_and_keeps_the_rest(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected


def test_known_names_are_hidden_with_or_without_spaces():
    assert redact("张三说张 三家门口漏水", names=["张 三"]) == f"{HIDDEN_NAME}说{HIDDEN_NAME}家门口漏水"


def test_public_point_is_rounded_to_about_100_m():
    assert public_point(116.15637, 39.90462) == (116.156, 39.905)


def test_proposal_removes_phone_id_and_contact_name(users, unit):
    case = report(users, description=WRITTEN, publish=True)
    proposal = services.propose_public_text(case)
    assert proposal == (f"联系人：{HIDDEN_NAME}，手机{HIDDEN_PHONE}，座机{HIDDEN_PHONE}，身份证号{HIDDEN_ID_NUMBER}，"
                        "3号楼垃圾堆积")
    case = services.moderate_publication(actor=users["community_a"], case_id=case.pk, decision="publish")
    assert case.public_description == proposal and case.description == WRITTEN


def test_moderator_edits_the_text_and_a_retyped_number_is_hidden_again(users, unit):
    case = report(users, description=WRITTEN, publish=True)
    edited = services.moderate_publication(actor=users["sub_a"], case_id=case.pk, decision="publish",
                                           public_description="3号楼门口垃圾堆积，可打13800138000")
    assert edited.public_description == f"3号楼门口垃圾堆积，可打{HIDDEN_PHONE}"
    assert (edited.publication, edited.moderated_by, edited.moderated_at is not None) == \
        (Publication.PUBLISHED, users["sub_a"], True)
    with pytest.raises(ValidationFailed) as short:
        services.moderate_publication(actor=users["sub_a"], case_id=case.pk, decision="publish",
                                      public_description="x")
    assert short.value.code == "invalid_public_description"


def test_only_dispatch_staff_of_the_area_moderate(users, unit):
    case = report(users, publish=True)
    with pytest.raises(NotFound):
        services.moderate_publication(actor=users["community_b"], case_id=case.pk, decision="publish")
    with pytest.raises(PermissionDenied):
        services.moderate_publication(actor=users["grid_a"], case_id=case.pk, decision="publish")
    with pytest.raises(PermissionDenied):
        services.moderate_publication(actor=users["resident"], case_id=case.pk, decision="publish")
    assert Case.objects.get(pk=case.pk).publication == Publication.PENDING


def test_a_case_its_reporter_kept_private_cannot_be_published(users, unit):
    case = report(users)
    with pytest.raises(NotPublishable) as refused:
        services.moderate_publication(actor=users["community_a"], case_id=case.pk, decision="publish")
    assert refused.value.status == 409 and refused.value.code == "not_publishable"


def test_moderation_is_audited_with_before_and_after(users, unit):
    case = report(users, description="联系人王小明反映路灯不亮", publish=True)
    services.moderate_publication(actor=users["community_a"], case_id=case.pk, decision="publish")
    services.moderate_publication(actor=users["community_a"], case_id=case.pk, decision="refuse")
    first, second = AuditEvent.objects.filter(action="cases.moderate", target_id=str(case.pk)).order_by("seq")
    assert first.actor_id == users["community_a"].pk and first.region_code == case.region_code
    assert first.detail["before"] == {"publication": "pending", "public_description": ""}
    assert first.detail["after"] == {"publication": "published",
                                     "public_description": f"联系人{HIDDEN_NAME}反映路灯不亮"}
    assert (second.detail["decision"], second.detail["after"]["publication"]) == ("refuse", "refused")
    assert list(case.events.values_list("kind", flat=True)) == ["report", "publication", "publication"]


def test_case_page_offers_the_proposal_and_publishes(users, unit, login):
    case = report(users, description=WRITTEN, publish=True)
    staff = login(users["community_a"])
    page = staff.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="moderation"' in page and HIDDEN_PHONE in page
    desk = staff.get("/cases/desk/", {"publication": "pending"}).content.decode()
    assert f'data-testid="desk-row-{case.pk}"' in desk
    staff.post(f"/cases/{case.pk}/moderate/", {"decision": "publish", "public_description": "3号楼垃圾堆积"})
    assert Case.objects.get(pk=case.pk).public_description == "3号楼垃圾堆积"
    assert login(users["community_b"]).post(f"/cases/{case.pk}/moderate/", {"decision": "refuse"}).status_code == 404
    assert 'data-testid="moderation"' not in login(users["grid_a"]).get(f"/cases/{case.pk}/").content.decode()
    assert Case.objects.get(pk=case.pk).publication == Publication.PUBLISHED
