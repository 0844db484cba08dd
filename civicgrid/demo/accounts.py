"""Demo accounts for every role. All accounts of a role share one password, hashed once: hashing a
thousand passwords one by one would take minutes, and a demo needs one password per role to hand out."""

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone

from civicgrid.accounts.models import Role, User
from civicgrid.territory.models import Level, Region

RESIDENT_ACCOUNTS = 20
HANDLING_UNITS = ("区城市管理委员会", "区住房和城乡建设委员会", "区民政局", "区市场监督管理局", "区生态环境局")
SOCIAL_ORGS = ("石景山区社会组织服务中心", "乐龄养老服务中心", "阳光助残服务社", "鲁谷街道社会组织联合会")
PARTNER_SHOPS = ("鲁谷便民超市", "古城早餐店", "八角社区药店")


@dataclass
class DemoLogin:
    role: str
    username: str
    name: str


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        core = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.islower() for c in core) and any(c.isupper() for c in core) and any(c.isdigit() for c in core):
            return core + "-" + secrets.choice(string.digits)


def _logins(district: Region) -> list[DemoLogin]:
    logins = [DemoLogin(Role.DISTRICT, f"district-{district.code}", f"{district.name}社会工作办公室")]
    levels = ((Level.SUBDISTRICT, Role.SUBDISTRICT, "subdistrict"), (Level.COMMUNITY, Role.COMMUNITY, "community"),
              (Level.GRID, Role.GRID, "grid"))
    for level, role, prefix in levels:
        regions = Region.objects.within(district.code).filter(level=level)
        logins += [DemoLogin(role, f"{prefix}-{code}", name) for code, name in regions.values_list("code", "name")]
    logins += [DemoLogin(Role.HANDLING_UNIT, f"unit-{i:02d}", n) for i, n in enumerate(HANDLING_UNITS, 1)]
    logins += [DemoLogin(Role.SOCIAL_ORG, f"org-{i:02d}", n) for i, n in enumerate(SOCIAL_ORGS, 1)]
    logins += [DemoLogin(Role.PARTNER_SHOP, f"shop-{i:02d}", n) for i, n in enumerate(PARTNER_SHOPS, 1)]
    logins += [DemoLogin(Role.RESIDENT, f"resident-{i}", f"居民{i}") for i in range(1, RESIDENT_ACCOUNTS + 1)]
    return logins


def _region_code(login: DemoLogin, district: Region) -> str:
    if login.role in (Role.DISTRICT, Role.HANDLING_UNIT, Role.SOCIAL_ORG, Role.PARTNER_SHOP):
        return district.code
    return login.username.rsplit("-", 1)[1] if login.role != Role.RESIDENT else ""


def create_demo_accounts(district: Region) -> dict[str, str]:
    """Create the accounts; return the password of each role."""
    fixed = os.environ.get("CIVICGRID_DEMO_PASSWORD", "")
    passwords = {role: fixed or _random_password() for role in Role.values}
    hashes = {role: make_password(password) for role, password in passwords.items()}
    now = timezone.now()
    logins = _logins(district)
    User.objects.bulk_create([
        User(username=login.username, display_name=login.name, role=login.role,
             region_code=_region_code(login, district), password=hashes[login.role], password_changed_at=now,
             is_staff=login.role == Role.DISTRICT, is_superuser=login.role == Role.DISTRICT)
        for login in logins
    ], batch_size=500)
    reveal = Permission.objects.get(codename="reveal_personal_data", content_type__app_label="people")
    reveal.user_set.add(*User.objects.filter(role__in=[Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY]))
    reveal_org = Permission.objects.get(codename="reveal_org_personal_data", content_type__app_label="organizations")
    reveal_org.user_set.add(*User.objects.filter(role__in=[Role.DISTRICT, Role.SUBDISTRICT]))
    call_back = Permission.objects.get(codename="call_back", content_type__app_label="cases")
    call_back.user_set.add(*User.objects.filter(role__in=[Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY]))
    write_login_file(logins, passwords)
    return passwords


def login_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.txt"


def write_login_file(logins: list[DemoLogin], passwords: dict[str, str]) -> None:
    lines = ["# civicgrid demo accounts: role, username, password, name (kept only in the data dir)"]
    lines += [f"{login.role}\t{login.username}\t{passwords[login.role]}\t{login.name}" for login in logins]
    path = login_file()
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
