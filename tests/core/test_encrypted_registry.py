"""The registry of encrypted columns: completeness, ciphertexts bound to their place, rotation over every column."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import override_settings

from civicgrid.accounts.models import Role
from civicgrid.cases import services as cases
from civicgrid.cases.models import Channel, Follower
from civicgrid.core import crypto, rotation
from civicgrid.core.encrypted import field_of, registered, unseal
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.management.commands.reencrypt import Command as ReencryptCommand
from civicgrid.core.models import AuditEvent
from civicgrid.notifications import services as notifications
from civicgrid.people import services as people
from civicgrid.people.models import Resident, StaffBody
from civicgrid.territory.models import Place, PlaceKind
from civicgrid.volunteering import services as volunteering
from civicgrid.volunteering.errors import DuplicateRequest
from civicgrid.volunteering.models import Volunteer
from tests.conftest import COMM_A, make_user
from tests.core.test_crypto import legacy_token
from tests.people.conftest import make_id

K1 = "k1:" + "31" * 32
K2 = "k2:" + "32" * 32
IN_A = (116.155, 39.905)


def test_every_cipher_column_is_registered():
    declared = {(f.model, f.cipher_field) for f in registered()}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name.endswith("_cipher"):
                assert (model, field.name) in declared, f"{model._meta.label}.{field.name} is not registered"
    assert len(declared) >= 9


def test_an_undeclared_name_is_refused():
    with pytest.raises(LookupError):
        field_of(Resident, "name")


@pytest.fixture
def place(regions):
    made = Place(name="阳光小区", kind=PlaceKind.COMMODITY_HOUSING, grid=regions["grid_a"], lon=116.155, lat=39.905)
    made.save()
    return made


def _resident(users, place, seq: str, phone="13812345678", note=""):
    return people.register_resident(actor=users["district"], place=place, unit_label="1号楼1单元101室", name="张三",
                                    id_number=make_id(seq=seq), phone=phone, health_note=note)


def _onestop_booking(users):
    from civicgrid.communityaffairs import services as affairs
    from tests.communityaffairs.conftest import next_slot

    item = affairs.create_item(actor=users["district"], region="110107", code="ENC-1", name="居住证明开具",
                               who_may_apply="居民", documents="身份证", steps="受理", time_limit_days=1, fee="免费")
    affairs.book(actor=users["resident"], community=COMM_A, item_id=item.pk, starts_at=next_slot(), applicant="王五",
                 phone="13400004444")


@pytest.fixture
def one_of_each(users, regions, place):
    """One row of every registered model, written through the services under key k1."""
    with override_settings(DATA_KEYS=K1):
        resident = _resident(users, place, "301", note="高血压")
        people.register_staff_member(actor=users["district"], region=regions["grid_a"], name="周强",
                                     body=StaffBody.GRID, phone="13700001111")
        first = cases.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=IN_A[0], lat=IN_A[1],
                                  description="小区门口有暴露垃圾", phone="13911110001")
        second = cases.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=IN_A[0], lat=IN_A[1],
                                   description="门口垃圾没人清", phone="13911110002")
        cases.merge(actor=users["community_a"], case_id=first.pk, into_id=second.pk)  # a follower with a phone
        cases.perform(actor=users["community_a"], case_id=second.pk, action="register")
        notifications.set_contact(actor=users["grid_a"], phone="13500003333")
        volunteer = volunteering.register_volunteer(
            actor=make_user("vol-1", Role.RESIDENT), name="李四", id_number=make_id(seq="302"),
            phone="13600002222", region_code=COMM_A, consent=True)
        from civicgrid.organizations import services as orgs

        org = orgs.register_organization(
            actor=users["district"], name="乐龄养老服务中心", kind="private_non_enterprise", field="elderly",
            registration="registered", registration_authority="石景山区民政局", registered_on="2020-01-01",
            region_code="110107", rep_name="王五", rep_id_number=make_id(seq="303"), rep_phone="13700004444",
            credit_code="53100000500021676K")
        orgs.add_staff(actor=users["district"], organization_id=org.pk, name="赵六", phone="13700005555")
        _onestop_booking(users)
    rows = {field.model: list(field.model.objects.exclude(**{field.cipher_field: ""})) for field in registered()}
    assert all(rows.values()), "every registered model needs a row here"
    return {"resident": resident, "volunteer": volunteer, "rows": rows}


def _plaintexts(rows) -> dict:
    return {(field.label, row.pk): unseal(row, field.name)
            for field in registered() for row in rows[field.model] if getattr(row, field.cipher_field)}


def _make_legacy(model, fields) -> None:
    """Rewrite a model's rows as before this change: tokens without a place, no row key."""
    for row in model.objects.all():
        values = {f.cipher_field: legacy_token(unseal(row, f.name)) for f in fields if getattr(row, f.cipher_field)}
        model.objects.filter(pk=row.pk).update(row_key=None, **values)


def test_rotation_rewrites_every_column_and_lookups_keep_working(one_of_each, users, place):
    with override_settings(DATA_KEYS=K1):
        expected = _plaintexts(one_of_each["rows"])
        for model in (Resident, Follower):
            _make_legacy(model, [f for f in registered() if f.model is model])
    with override_settings(DATA_KEYS=f"{K2},{K1}"):
        resident_number = unseal(Resident.objects.get(), "id_number")  # legacy still decrypts
        call_command("reencrypt", "--batch", "2")
    with override_settings(DATA_KEYS=K2):  # the old key is gone
        for field in registered():
            for row in field.model.objects.exclude(**{field.cipher_field: ""}):
                token = getattr(row, field.cipher_field)
                assert crypto.is_bound(token) and crypto.key_id_of(token) == "k2", field.label
                assert unseal(row, field.name) == expected[(field.label, row.pk)]
                if field.index_field:
                    assert getattr(row, field.index_field) == crypto.blind_index(expected[(field.label, row.pk)])
        found = people.find_by_id_number(actor=users["district"], id_number=resident_number)
        assert found.pk == one_of_each["resident"].pk
        volunteer_number = unseal(Volunteer.objects.get(pk=one_of_each["volunteer"].pk), "id_number")
        assert Volunteer.objects.get(id_number_index__in=crypto.blind_index_candidates(volunteer_number)).pk == \
            one_of_each["volunteer"].pk
        with pytest.raises(DuplicateRequest):
            volunteering.register_volunteer(actor=make_user("vol-2", Role.RESIDENT), name="李四",
                                            id_number=volunteer_number, phone="13600003333", region_code=COMM_A,
                                            consent=True)
        with pytest.raises(ValidationFailed) as duplicate:
            _resident(users, place, resident_number[14:17])
        assert duplicate.value.code == "duplicate_id_number"


def test_swapped_or_copied_ciphertexts_do_not_decrypt(users, place):
    a, b = _resident(users, place, "311", phone="13800000001"), _resident(users, place, "312", phone="13800000002")
    Resident.objects.filter(pk=a.pk).update(id_number_cipher=b.id_number_cipher)
    Resident.objects.filter(pk=b.pk).update(id_number_cipher=a.id_number_cipher, phone_cipher=a.phone_cipher)
    a.refresh_from_db()
    b.refresh_from_db()
    for row in (a, b):
        with pytest.raises(crypto.DecryptionFailed):
            unseal(row, "id_number")
    with pytest.raises(crypto.DecryptionFailed):
        unseal(b, "phone")
    assert unseal(a, "phone") == "13800000001"
    Resident.objects.filter(pk=a.pk).update(id_number_cipher=a.phone_cipher)  # phone copied into the ID column
    a.refresh_from_db()
    with pytest.raises(crypto.DecryptionFailed):
        unseal(a, "id_number")
    with pytest.raises(CommandError, match="do not decrypt"):
        call_command("reencrypt")
    report = {r["column"]: r for r in AuditEvent.objects.get(action="core.reencrypt").detail["columns"]}
    assert report["people_resident.id_number_cipher"]["failed"] == 2
    assert Resident.objects.get(pk=a.pk).id_number_cipher == a.id_number_cipher  # left as it was


def test_missing_key_exits_2_with_one_line(users, place, capsys, monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # run_from_argv closes them: keep the test's
    with override_settings(DATA_KEYS=K1):
        _resident(users, place, "321")
    with override_settings(DATA_KEYS=K2), pytest.raises(SystemExit) as exited:
        ReencryptCommand().run_from_argv(["civicgrid", "reencrypt"])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "k1" in err and "people_resident.id_number_cipher" in err
    assert "Traceback" not in err
    assert not AuditEvent.objects.filter(action__startswith="core.reencrypt").exists()


def test_second_run_reports_everything_current(one_of_each, capsys):
    with override_settings(DATA_KEYS=f"{K2},{K1}"):
        call_command("reencrypt")
        capsys.readouterr()
        call_command("reencrypt")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(registered())
    for line in lines:
        match = re.fullmatch(r"\S+: 0 re-encrypted, (\d+) already current, 0 failed", line)
        assert match and int(match[1]) > 0, line


def test_interrupted_run_resumes(users, place):
    for seq in ("331", "332", "333"):
        _resident(users, place, seq)
    with override_settings(DATA_KEYS=f"{K2},t1:{'11' * 32}"):  # t1: the test settings' key
        fields = [f for f in registered() if f.model is Resident]
        batches = rotation._reencrypt_model(Resident, fields, batch=1, actor=None)
        next(batches)  # one batch committed, then the run stops
        batches.close()
        report = {r.column: r for r in rotation.reencrypt_all(batch=1)}
    assert (report["people_resident.id_number_cipher"].done, report["people_resident.id_number_cipher"].current) \
        == (2, 1)
    assert AuditEvent.objects.filter(action="core.reencrypt.batch", detail__table="people_resident").count() == 3
