"""The registry: credit codes (published ones pass, a typo is refused), registration rules, the grade, annual
reports, eligibility, the masked legal representative with an audited reveal, the masked export, jurisdiction."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.organizations import exporting, selectors, services
from civicgrid.organizations.errors import DuplicateOrganization, WrongState
from civicgrid.organizations.models import AnnualReport, Organization
from tests.conftest import COMM_A, DISTRICT, SUB_A
from tests.organizations.conftest import PUBLISHED, code_for, file_report, register
from tests.volunteering.conftest import make_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_credit_codes_are_accepted_and_normalized(users, code):
    spaced = " ".join([code[:6].lower(), code[6:]])
    org = register(users["district"], credit_code=spaced)
    assert org.credit_code == code


def test_one_wrong_character_is_refused_with_the_stable_code(users):
    code = PUBLISHED[0]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as refused:
        register(users["district"], credit_code=wrong)
    assert refused.value.code == "credit_code_invalid" and refused.value.field == "credit_code"
    assert not Organization.objects.exists()


def test_a_registered_organization_needs_a_code_a_filed_one_does_not(users):
    with pytest.raises(ValidationFailed):
        register(users["district"], credit_code="")
    filed = register(users["community_a"], region_code=COMM_A, registration="filed")
    assert filed.credit_code == "" and filed.region_code == COMM_A


def test_the_same_code_twice_is_a_duplicate(users):
    register(users["district"], credit_code=PUBLISHED[1])
    with pytest.raises(DuplicateOrganization):
        register(users["district"], credit_code=PUBLISHED[1])


def test_registration_office_levels_and_jurisdiction(users):
    with pytest.raises(ValidationFailed) as refused:  # registered organizations are not kept by a community
        register(users["community_a"], region_code=COMM_A)
    assert refused.value.code == "invalid_office"
    with pytest.raises(NotFound):  # a community worker cannot register for the subdistrict above
        register(users["community_a"], region_code=SUB_A, registration="filed")
    with pytest.raises(PermissionDenied):  # a grid worker manages nothing
        register(users["grid_a"], region_code=COMM_A, registration="filed")


def test_the_legal_representative_is_encrypted_masked_and_revealed_with_audit(users):
    number = make_id(321)
    org = register(users["district"], rep_id_number=number, rep_phone="13812345678")
    row = Organization.objects.get(pk=org.pk)
    assert number not in row.rep_id_number_cipher and row.rep_id_number_masked == f"{number[:6]}********{number[-4:]}"
    assert row.rep_phone_masked == "138****5678"
    with pytest.raises(PermissionDenied):  # no reveal permission: refused and recorded as denied
        services.reveal(actor=users["district"], organization_id=org.pk, field="rep_id_number", purpose="核对身份")
    assert AuditEvent.objects.filter(action="organizations.reveal", outcome="denied").count() == 1
    users["district"].user_permissions.add(Permission.objects.get(codename="reveal_org_personal_data"))
    actor = type(users["district"]).objects.get(pk=users["district"].pk)
    with pytest.raises(ValidationFailed):
        services.reveal(actor=actor, organization_id=org.pk, field="rep_id_number", purpose="")
    assert services.reveal(actor=actor, organization_id=org.pk, field="rep_id_number", purpose="核对身份") == number
    event = AuditEvent.objects.filter(action="organizations.reveal", outcome="success").get()
    assert event.detail == {"field": "rep_id_number", "purpose": "核对身份"}


def test_rating_needs_dates_in_order_and_is_audited(users, org):
    with pytest.raises(ValidationFailed):
        services.set_rating(actor=users["district"], organization_id=org.pk, rating=6, rated_on="2025-01-01",
                            expires_on="2030-01-01")
    with pytest.raises(ValidationFailed):
        services.set_rating(actor=users["district"], organization_id=org.pk, rating=4, rated_on="2025-01-01",
                            expires_on="2024-01-01")
    services.set_rating(actor=users["district"], organization_id=org.pk, rating=4, rated_on="2025-01-01",
                        expires_on="2030-01-01")
    org.refresh_from_db()
    assert org.rating_label == "4A" and AuditEvent.objects.filter(action="organizations.rate").exists()


def test_the_organization_cannot_grade_itself(org, org_user):
    with pytest.raises(PermissionDenied):
        services.set_rating(actor=org_user, organization_id=org.pk, rating=5, rated_on="2025-01-01",
                            expires_on="2030-01-01")


def _eligible_setup(users, org, *, rating=4, expires=None):
    services.set_rating(actor=users["district"], organization_id=org.pk, rating=rating, rated_on=date(2024, 1, 1),
                        expires_on=expires or date(2030, 1, 1))
    org.refresh_from_db()
    return org


def test_eligibility_rules(users, org, filed_org):
    year = timezone.localdate().year
    problems = selectors.eligibility_problems(org, min_rating=3, year=year)
    assert len(problems) == 2  # no grade, no report
    _eligible_setup(users, org)
    file_report(org, year - 1)
    assert selectors.eligibility_problems(org, min_rating=3, year=year) == []
    assert len(selectors.eligibility_problems(org, min_rating=5, year=year)) == 1  # 4A < 5A
    assert len(selectors.eligibility_problems(org, min_rating=3, year=year + 1)) == 1  # this year's report missing
    expired = _eligible_setup(users, org, expires=timezone.localdate() - timedelta(days=1))
    assert len(selectors.eligibility_problems(expired, min_rating=3, year=year)) == 1
    assert selectors.eligibility_problems(expired, min_rating=3, year=year, on=date(2025, 6, 1)) == []
    # a filed (备案) organization is not registered; a deregistered one is not active
    assert any("filed" in p or "备案" in p for p in selectors.eligibility_problems(filed_org, min_rating=0,
                                                                                   year=year))
    _eligible_setup(users, org)
    services.set_status(actor=users["district"], organization_id=org.pk, status="deregistered", reason="注销登记")
    org.refresh_from_db()
    assert len(selectors.eligibility_problems(org, min_rating=3, year=year)) == 1


def test_annual_report_submit_review_resubmit(users, org, org_user):
    year = timezone.localdate().year - 1
    report = services.submit_annual_report(actor=org_user, organization_id=org.pk, year=year, income="12000.50",
                                           expenditure=9000, activities=12, beneficiaries=340, summary="年度工作")
    with pytest.raises(WrongState):
        services.submit_annual_report(actor=org_user, organization_id=org.pk, year=year)
    with pytest.raises(PermissionDenied):  # the organization does not review its own report
        services.review_annual_report(actor=org_user, report_id=report.pk, accept=True)
    with pytest.raises(ValidationFailed):  # returning needs a note
        services.review_annual_report(actor=users["district"], report_id=report.pk, accept=False)
    services.review_annual_report(actor=users["district"], report_id=report.pk, accept=False, note="缺少审计报告")
    again = services.submit_annual_report(actor=org_user, organization_id=org.pk, year=year, income=12000)
    assert again.pk == report.pk and again.status == AnnualReport.Status.SUBMITTED
    services.review_annual_report(actor=users["district"], report_id=report.pk, accept=True)
    assert selectors.report_status_by_year(org=org, years=[year, year - 1]) == {year: "accepted", year - 1: ""}
    with pytest.raises(ValidationFailed):
        services.submit_annual_report(actor=org_user, organization_id=org.pk, year=year + 2)


def test_an_organization_sees_and_keeps_only_its_own_records(users, org, org_user, sub_org):
    assert list(Organization.objects.visible_to(org_user)) == [org]
    with pytest.raises(NotFound):
        services.update_profile(actor=org_user, organization_id=sub_org.pk, address="别人的地址")
    with pytest.raises(NotFound):
        services.add_staff(actor=org_user, organization_id=sub_org.pk, name="张三")
    member = services.add_staff(actor=org_user, organization_id=org.pk, name="张三", phone="13900001111")
    assert member.phone_masked == "139****1111" and "13900001111" not in member.phone_cipher
    services.update_profile(actor=org_user, organization_id=org.pk, staff_count=8, party_organization="联合党支部")
    org.refresh_from_db()
    assert org.staff_count == 8
    with pytest.raises(ValidationFailed):  # the grade and the credit code are not the organization's to change
        services.update_profile(actor=org_user, organization_id=org.pk, rating=5)


def test_jurisdiction_of_the_registry(users, org, sub_org, sub_b_org, filed_org):
    district = set(Organization.objects.visible_to(users["district"]))
    assert district == {org, sub_org, sub_b_org, filed_org}
    # subdistrict A: its own, its community's, and the district-level registry (shared down); never subdistrict B's
    assert set(Organization.objects.visible_to(users["sub_a"])) == {org, sub_org, filed_org}
    assert set(Organization.objects.visible_to(users["community_b"])) == {org, sub_b_org}
    with pytest.raises(NotFound):
        selectors.organization_detail(actor=users["community_b"], organization_id=filed_org.pk)
    with pytest.raises(PermissionDenied):  # a district-level record is seen below, managed only by the district
        services.set_rating(actor=users["sub_a"], organization_id=org.pk, rating=3, rated_on="2025-01-01",
                            expires_on="2028-01-01")
    assert not Organization.objects.visible_to(users["resident"]).exists()


def test_registry_filters(users, org, sub_org, filed_org):
    _eligible_setup(users, org)
    file_report(org, timezone.localdate().year - 1)
    found = selectors.organizations_for
    actor = users["district"]
    assert list(found(actor=actor, min_rating=3)) == [org]
    assert set(found(actor=actor, registration="filed")) == {filed_org}
    assert set(found(actor=actor, region_code=SUB_A)) == {sub_org, filed_org}
    assert list(found(actor=actor, q=org.credit_code)) == [org]
    last = timezone.localdate().year - 1
    assert list(found(actor=actor, report_year=last, report_filed=True)) == [org]
    assert set(found(actor=actor, report_year=last, report_filed=False)) == {sub_org, filed_org}


def test_the_export_is_masked_and_audited(users):
    number = make_id(654)
    register(users["district"], name="=HYPERLINK(1)", rep_name="王建国", rep_id_number=number,
             rep_phone="13812345678", credit_code=code_for(900))
    content, count = exporting.export_registry_xlsx(actor=users["district"], filters={})
    assert count == 1
    sheet = load_workbook(io.BytesIO(content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert number not in text and "13812345678" not in text and "王建国" not in text
    assert "王**" in text and "138****5678" in text and "'=HYPERLINK(1)" in text
    assert AuditEvent.objects.filter(action="organizations.export", detail__count=1).exists()
    with pytest.raises(PermissionDenied):
        exporting.export_registry_xlsx(actor=users["resident"], filters={})


def test_linking_accounts(users, org):
    from tests.conftest import make_user

    other = make_user("org-x", "social_org")
    resident = make_user("not-an-org", "resident")
    with pytest.raises(ValidationFailed):
        services.link_account(actor=users["district"], organization_id=org.pk, username=resident.username)
    account = services.link_account(actor=users["district"], organization_id=org.pk, username=other.username)
    assert account.organization == org
    with pytest.raises(ValidationFailed):
        services.link_account(actor=users["district"], organization_id=org.pk, username=other.username)
    assert org.region_code == DISTRICT
