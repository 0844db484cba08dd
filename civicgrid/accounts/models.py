from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT = "district", _("District office")
    SUBDISTRICT = "subdistrict", _("Subdistrict office")
    COMMUNITY = "community", _("Community worker")
    GRID = "grid", _("Grid worker")
    HANDLING_UNIT = "handling_unit", _("Handling unit")
    SOCIAL_ORG = "social_org", _("Social organization")
    PARTNER_SHOP = "partner_shop", _("Partner shop")
    RESIDENT = "resident", _("Resident")


STAFF_ROLES = {Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY, Role.GRID}
MANAGER_ROLES = {Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY}  # grid workers watch their grids, manage nothing


class User(AbstractUser):
    """A person who signs in. `region_code` is the jurisdiction: the user sees that Region's subtree."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.RESIDENT)
    region_code = models.CharField(_("jurisdiction code"), max_length=15, blank=True, db_index=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def area_code(self) -> str | None:
        """The region subtree this user sees ('' for a superuser, None for people without an area).
        Read through `civicgrid.core.scoping`, never compared by hand."""
        if self.is_superuser:
            return ""
        return self.region_code if self.role in STAFF_ROLES and self.region_code else None

    @property
    def manages_area(self) -> bool:
        return self.is_superuser or self.role in MANAGER_ROLES


class ApiToken(models.Model):
    """A bearer token for machine clients. Only its SHA-256 is stored; the prefix identifies it in lists."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def expires(self, lifetime: timedelta) -> datetime:
        """When the token stops working: `expires_at`, or (tokens issued before expiry existed) `lifetime` after
        it was created."""
        return self.expires_at or self.created_at + lifetime
