from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.encrypted import encrypted_fields
from civicgrid.core.scoping import ScopedManager
from civicgrid.territory.models import Place, Region


class SpecialGroup(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly")
    DISABILITY = "disability", _("Person with disability")
    LOW_INCOME = "low_income", _("Low-income family")
    FLOATING = "floating", _("Floating population")
    NEW_RESIDENT = "new_resident", _("New resident")
    MINOR = "minor", _("Minor")
    VETERAN = "veteran", _("Veteran")
    SPECIAL_CARE = "special_care", _("Special-care recipient")


class Household(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="household_set")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    unit_label = models.CharField(_("building / unit / room"), max_length=50, blank=True)
    is_rental = models.BooleanField(_("rented"), default=False)


    objects = ScopedManager()
    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["place", "unit_label"], condition=~models.Q(unit_label=""),
                                    name="unique_household_unit"),
        ]

    def __str__(self):
        return f"{self.place.name} {self.unit_label}"

    def save(self, *args, **kwargs):
        self.region_code = self.place.region_code
        super().save(*args, **kwargs)


@encrypted_fields("id_number", "phone", "health_note", indexed=("id_number", "phone"))
class Resident(models.Model):
    """A registered resident. ID number and phone are stored only encrypted, with a blind index for exact
    lookup and a masked copy for lists; the full values are shown only through an audited reveal."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Residence(models.TextChoices):
        REGISTERED = "registered", _("Registered (户籍)")
        FLOATING = "floating", _("Non-registered (流动)")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="residents")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    residence = models.CharField(_("residence status"), max_length=16, choices=Residence.choices,
                                 default=Residence.REGISTERED)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # binds its ciphertexts
    id_number_cipher = models.TextField(editable=False)
    id_number_index = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    health_note_cipher = models.TextField(blank=True, editable=False)
    is_party_member = models.BooleanField(_("party member"), default=False)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


    objects = ScopedManager()
    class Meta:
        ordering = ["region_code", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        permissions = [("reveal_personal_data", _("Can reveal full ID numbers and phone numbers"))]
        indexes = [models.Index(fields=["region_code", "birth_date"])]
        constraints = [models.UniqueConstraint(fields=["id_number_index"], name="unique_resident_id_number")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.place.region_code
        super().save(*args, **kwargs)


class ResidentGroup(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("special group"), max_length=32, choices=SpecialGroup.choices, db_index=True)


    objects = ScopedManager(through="resident")
    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "group"], name="unique_resident_group")]
        verbose_name = _("special group membership")
        verbose_name_plural = _("special group memberships")

    def __str__(self):
        return self.get_group_display()


class StaffBody(models.TextChoices):
    PARTY_ORGANIZATION = "party_org", _("Community party organization")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    SERVICE_STATION = "service_station", _("Community service station")
    GRID = "grid", _("Grid worker")
    SUBDISTRICT = "subdistrict", _("Subdistrict office")


@encrypted_fields("phone")
class StaffMember(models.Model):
    """The community workforce roster: who works where, in which body, on which grids."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="staff_profile")
    body = models.CharField(_("body"), max_length=32, choices=StaffBody.choices)
    position = models.CharField(_("position"), max_length=50, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="staff")
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    grids = models.ManyToManyField(Region, blank=True, related_name="grid_workers",
                                   limit_choices_to={"level": "grid"})
    is_party_member = models.BooleanField(_("party member"), default=False)
    row_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # binds its ciphertexts
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    started_on = models.DateField(_("started on"), null=True, blank=True)


    objects = ScopedManager()
    class Meta:
        ordering = ["region_code", "body", "name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)
