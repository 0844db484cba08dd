from datetime import date

import pytest
from django.db import connection
from django.test import override_settings

from civicgrid.core import crypto, rotation
from civicgrid.core.encrypted import unseal
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.people import services
from civicgrid.people.models import Household, Resident, SpecialGroup, StaffBody
from tests.people.conftest import make_id

NEW_KEY = "t2:" + "22" * 32


def test_register_encrypts_and_masks(register):
    number = make_id(birth=date(1950, 3, 8), seq="124")
    resident = register(id_number=number, phone="138 1234 5678", health_note="高血压")
    assert resident.id_number_masked == "110107********" + number[-4:]
    assert resident.phone_masked == "138****5678"
    assert resident.birth_date == date(1950, 3, 8)
    assert resident.gender == "female"  # 17th digit 4 is even
    assert unseal(resident, "id_number") == number
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_resident WHERE id = %s", [resident.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert number not in row and number[:14] not in row
    assert "13812345678" not in row and "高血压" not in row
    event = AuditEvent.objects.get(action="people.resident.create")
    assert event.target_id == str(resident.pk) and number not in str(event.detail)


def test_register_derives_groups_and_reuses_household(register):
    child = register(id_number=make_id(birth=date(2015, 1, 1), seq="111"), residence="floating")
    parent = register(id_number=make_id(birth=date(1985, 1, 1), seq="113"), groups=[SpecialGroup.DISABILITY])
    assert set(child.groups.values_list("group", flat=True)) == {SpecialGroup.MINOR, SpecialGroup.FLOATING}
    assert list(parent.groups.values_list("group", flat=True)) == [SpecialGroup.DISABILITY]
    assert child.household_id == parent.household_id
    assert Household.objects.count() == 1


@pytest.mark.parametrize(("number", "code"), [
    ("110107198005171234", "invalid_id_number"),  # wrong check digit
    ("11010719800230123X", "invalid_id_number"),  # 30 February
    ("1101071980", "invalid_id_number"),
])
def test_invalid_id_number_rejected_with_code(register, number, code):
    with pytest.raises(ValidationFailed) as info:
        register(id_number=number)
    assert info.value.code == code and info.value.field == "id_number"
    assert not Resident.objects.exists()


def test_invalid_phone_and_shop_rejected(register):
    with pytest.raises(ValidationFailed) as info:
        register(phone="12345")
    assert info.value.code == "invalid_phone"
    with pytest.raises(ValidationFailed) as info:
        register(place_key="shop_a")
    assert info.value.code == "not_residential"


def test_duplicate_id_number_rejected(register):
    number = make_id(seq="555")
    register(id_number=number)
    with pytest.raises(ValidationFailed) as info:
        register(id_number=number.lower(), place_key="b")
    assert info.value.code == "duplicate_id_number"
    assert Resident.objects.count() == 1


def test_register_outside_jurisdiction_is_not_found(users, places):
    with pytest.raises(NotFound):
        services.register_resident(actor=users["community_a"], place=places["b"], unit_label="1-1-101",
                                   name="李四", id_number=make_id())
    with pytest.raises(NotFound):
        services.register_resident(actor=users["resident"], place=places["a"], unit_label="1-1-101",
                                   name="李四", id_number=make_id())


def test_find_by_id_number_across_key_rotation(register, users):
    number = make_id(seq="777")
    resident = register(id_number=number)
    assert services.find_by_id_number(actor=users["community_a"], id_number=number).pk == resident.pk
    with override_settings(DATA_KEYS=f"{NEW_KEY},t1:{'11' * 32}"):
        assert services.find_by_id_number(actor=users["grid_a"], id_number=number).pk == resident.pk
        first = {r.column: r for r in rotation.reencrypt_all(batch=1)}
        assert first["people_resident.id_number_cipher"].done == 1
        again = {r.column: r for r in rotation.reencrypt_all()}
        assert again["people_resident.id_number_cipher"].done == 0  # idempotent
        assert again["people_resident.id_number_cipher"].current == 1
        resident.refresh_from_db()
        assert crypto.key_id_of(resident.id_number_cipher) == "t2"
        assert crypto.key_id_of(resident.phone_cipher) == "t2"
        assert resident.id_number_index == crypto.blind_index(number)
        assert services.find_by_id_number(actor=users["district"], id_number=number).pk == resident.pk
    with override_settings(DATA_KEYS=NEW_KEY):  # the old key is gone
        assert services.find_by_id_number(actor=users["district"], id_number=number).pk == resident.pk
        resident.refresh_from_db()
        assert unseal(resident, "phone") == "13812345678"


def test_find_by_id_number_scoped(register, users):
    number = make_id(seq="778")
    register(id_number=number, place_key="b")
    with pytest.raises(NotFound):
        services.find_by_id_number(actor=users["community_a"], id_number=number)
    with pytest.raises(NotFound):
        services.find_by_id_number(actor=users["resident"], id_number=number)
    wrong_check = number[:-1] + ("1" if number[-1] == "0" else "0")
    with pytest.raises(ValidationFailed) as info:
        services.find_by_id_number(actor=users["community_b"], id_number=wrong_check)
    assert info.value.code == "invalid_id_number"


def test_reveal_with_permission_is_audited(register, revealer):
    number = make_id(seq="901")
    resident = register(id_number=number, health_note="糖尿病")
    with pytest.raises(ValidationFailed) as info:
        services.reveal(actor=revealer, resident_id=resident.pk, field="id_number", purpose=" x ")
    assert info.value.code == "purpose_required"
    assert services.reveal(actor=revealer, resident_id=resident.pk, field="id_number",
                           purpose="入户走访  核对登记") == number
    assert services.reveal(actor=revealer, resident_id=resident.pk, field="health_note") == "糖尿病"
    events = AuditEvent.objects.filter(action="people.resident.reveal").order_by("seq")
    assert [e.detail for e in events] == [{"field": "id_number", "purpose": "入户走访 核对登记"},
                                          {"field": "health_note"}]
    assert all(e.outcome == "success" and e.actor_name == revealer.username for e in events)
    assert number not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_reveal_without_permission_denied_and_audited(register, users):
    resident = register()
    with pytest.raises(PermissionDenied):
        services.reveal(actor=users["community_a"], resident_id=resident.pk, field="phone")
    event = AuditEvent.objects.get(action="people.resident.reveal")
    assert event.outcome == "denied" and event.detail == {"field": "phone"}


def test_reveal_outside_jurisdiction_not_found(register, revealer):
    resident = register(place_key="b")
    with pytest.raises(NotFound):
        services.reveal(actor=revealer, resident_id=resident.pk, field="id_number")
    with pytest.raises(NotFound):  # out of sight first, whatever the field
        services.reveal(actor=revealer, resident_id=resident.pk, field="name")
    assert not AuditEvent.objects.filter(action="people.resident.reveal").exists()


def test_update_resident(register, users):
    resident = register(groups=[SpecialGroup.VETERAN])
    new_number = make_id(birth=date(2012, 2, 2), seq="321")
    services.update_resident(actor=users["community_a"], resident_id=resident.pk, id_number=new_number,
                             phone="", unit_label="2号楼1单元202室")
    resident.refresh_from_db()
    assert resident.birth_date == date(2012, 2, 2) and resident.phone_masked == "" and resident.phone_index == ""
    assert set(resident.groups.values_list("group", flat=True)) == {SpecialGroup.VETERAN, SpecialGroup.MINOR}
    assert resident.household.unit_label == "2号楼1单元202室"
    assert AuditEvent.objects.get(action="people.resident.update").detail == {
        "fields": ["id_number", "phone", "unit_label"]}
    with pytest.raises(NotFound):
        services.update_resident(actor=users["community_b"], resident_id=resident.pk, name="王五")


def test_register_staff_member(users, regions):
    member = services.register_staff_member(
        actor=users["community_a"], region=regions["community_a"], name="刘芳", body=StaffBody.GRID,
        grids=[regions["grid_a"]], is_party_member=True, phone="13900001111")
    assert member.phone_masked == "139****1111" and "13900001111" not in member.phone_cipher
    assert list(member.grids.all()) == [regions["grid_a"]]
    with pytest.raises(ValidationFailed):
        services.register_staff_member(actor=users["district"], region=regions["community_a"], name="x",
                                       body=StaffBody.GRID, grids=[regions["grid_b"]])
    with pytest.raises(NotFound):
        services.register_staff_member(actor=users["community_a"], region=regions["community_b"], name="x",
                                       body=StaffBody.GRID)


def test_reencrypt_command(register, users, regions):
    from django.core.management import call_command

    resident = register(health_note="糖尿病")
    member = services.register_staff_member(actor=users["district"], region=regions["grid_a"], name="周强",
                                            body=StaffBody.GRID, phone="13700001111")
    with override_settings(DATA_KEYS=f"{NEW_KEY},t1:{'11' * 32}"):
        call_command("reencrypt", "--batch", "10")
        resident.refresh_from_db()
        member.refresh_from_db()
        assert {crypto.key_id_of(t) for t in (resident.id_number_cipher, resident.phone_cipher,
                                              resident.health_note_cipher, member.phone_cipher)} == {"t2"}
    event = AuditEvent.objects.get(action="core.reencrypt")
    columns = {c["column"]: c for c in event.detail["columns"]}
    assert event.detail["key"] == "t2"
    assert columns["people_resident.health_note_cipher"] == {
        "column": "people_resident.health_note_cipher", "done": 1, "current": 0, "failed": 0}
    assert columns["people_staffmember.phone_cipher"]["done"] == 1


def test_id_number_lookups_are_audited_with_the_number_masked(register, users):
    number = make_id(seq="779")
    resident = register(id_number=number)
    assert services.find_by_id_number(actor=users["community_a"], id_number=number).pk == resident.pk
    with pytest.raises(NotFound):
        services.find_by_id_number(actor=users["community_b"], id_number=number)
    found, missed = AuditEvent.objects.filter(action="people.resident.lookup").order_by("id")
    assert (found.actor_id, found.target_id, found.outcome) == (users["community_a"].pk, str(resident.pk), "success")
    assert (missed.actor_id, missed.target_id, missed.outcome) == (users["community_b"].pk, "", "failed")
    for event in (found, missed):
        assert number not in str(event.detail) and event.detail["id_number"].endswith(number[-4:])
