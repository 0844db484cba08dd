"""Generated (not real) residents and staff for the demo district.

`generate_residents` spreads households over the residential places the territory demo builder created,
weighted by their population, with plausible names, valid GB 11643 ID numbers, mobile numbers and special
groups. It writes with bulk_create in batches: encryption costs a few microseconds per value, the rest is
Python object building and inserts.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from civicgrid.core import audit
from civicgrid.core.encrypted import seal
from civicgrid.core.personal import id_check_digit, mask_id_number, mask_phone
from civicgrid.people import demo_data as data
from civicgrid.people.models import Household, Resident, ResidentGroup, SpecialGroup, StaffBody, StaffMember
from civicgrid.territory.models import RESIDENTIAL_KINDS, Level, Place, Region

G = SpecialGroup


@dataclass
class Person:
    age: int
    gender: str
    surname: str
    groups: set = field(default_factory=set)


@dataclass
class Family:
    kind: str
    floating: bool
    members: list[Person]
    low_income: bool = False
    moved_in: date | None = None


class PeopleFactory:
    """Random but reproducible people: names, ID numbers, phones, households."""

    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.surnames = [s for s, _w in data.SURNAMES]
        self.surname_weights = [w for _s, w in data.SURNAMES]
        self.provinces = [c for c, _w in data.OTHER_PROVINCES]
        self.province_weights = [w for _c, w in data.OTHER_PROVINCES]
        self.used_ids: set[str] = set()
        kinds = data.HOUSEHOLD_TYPES
        self.kinds, self.kind_weights = [k[0] for k in kinds], [k[1] for k in kinds]
        self.floating_share = {k[0]: k[2] for k in kinds}

    # names and numbers
    def surname(self) -> str:
        return self.rng.choices(self.surnames, self.surname_weights)[0]

    def name(self, surname: str, gender: str, birth_year: int) -> str:
        return surname + self.rng.choice(data.GIVEN_NAMES[(data.era(birth_year), gender)])

    def area_code(self, floating: bool) -> str:
        draw = self.rng.random()
        if floating or draw > 0.96:
            return self.rng.choices(self.provinces, self.province_weights)[0]
        return "110107" if draw < data.HOME_DISTRICT_SHARE else self.rng.choice(data.OTHER_BEIJING)

    def birth_date(self, age: int) -> date:
        anchor = self.today - timedelta(days=int(age * 365.2425))
        return anchor - timedelta(days=self.rng.randrange(365))

    def id_number(self, area: str, birth: date, gender: str) -> str:
        while True:
            third = self.rng.randrange(1 if gender == "male" else 0, 10, 2)
            first17 = f"{area}{birth:%Y%m%d}{self.rng.randrange(100):02d}{third}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + id_check_digit(first17)

    def phone(self, age: int) -> str:
        has_phone = 0.6 if age < 18 else 0.5 if age >= 85 else 0.97
        if age < 14 or self.rng.random() > has_phone:
            return ""
        return self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    # households
    def family(self) -> Family:
        kind = self.rng.choices(self.kinds, self.kind_weights)[0]
        floating = self.rng.random() < self.floating_share[kind]
        members = getattr(self, f"_{kind}")(self.surname())
        return Family(kind, floating, members)

    def _person(self, surname, low, high, gender=None):
        return Person(self.rng.randint(low, high), gender or self.rng.choice(("male", "female")), surname)

    def _couple(self, surname, low, high):
        husband = self._person(surname, low, high, "male")
        wife_age = max(low - 2, min(high, husband.age + self.rng.randint(-5, 2)))
        return [husband, Person(wife_age, "female", self.surname())]

    def _single_elderly(self, surname):
        person = self._person(surname, 65, 96, self.rng.choice(("female", "female", "male")))
        person.groups.add(G.ELDERLY_ALONE)
        return [person]

    def _single_young(self, surname):
        return [self._person(surname, 19, 45)]

    def _elderly_couple(self, surname):
        couple = self._couple(surname, 62, 92)
        if max(p.age for p in couple) >= 65:
            for person in couple:
                person.groups.add(G.EMPTY_NEST)
        return couple

    def _young_couple(self, surname):
        return self._couple(surname, 24, 40)

    def _children(self, surname, parent_age, count, max_age):
        return [self._person(surname, max(0, parent_age - 40), min(max_age, parent_age - 22)) for _ in range(count)]

    def _nuclear(self, surname):
        parents = self._couple(surname, 28, 52)
        kids = self._children(surname, parents[0].age, 1 if self.rng.random() < 0.7 else 2, 25)
        return parents + kids

    def _three_generation(self, surname):
        elders = self._couple(surname, 58, 86) if self.rng.random() < 0.6 else [self._person(surname, 60, 90)]
        parents = self._couple(surname, 30, min(50, elders[0].age - 22))
        return elders + parents + self._children(surname, parents[0].age, 1, 17)

    def _parents_adult_child(self, surname):
        parents = self._couple(surname, 48, 65)
        return parents + self._children(surname, parents[0].age, 1, 35)


# --- placing households -----------------------------------------------------------------------------------

def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), summing exactly to total."""
    weight_sum = sum(weights) or 1.0
    raw = [total * w / weight_sum for w in weights]
    counts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[index] += 1
    return counts


def unit_labels(rng: random.Random, kind: str, needed: int) -> list[str]:
    """`needed` distinct `x号楼y单元z室` labels from a plausible compound layout."""
    floors = 6 if kind in ("old_compound", "unit_compound", "bungalow") else rng.choice((6, 11, 18, 24))
    units, rooms = rng.choice((2, 3, 4)), rng.choice((2, 3))
    per_building = floors * units * rooms
    buildings = max(1, -(-int(needed * 1.15) // per_building))
    slots = rng.sample(range(buildings * per_building), needed)
    labels = []
    for slot in slots:
        building, rest = divmod(slot, per_building)
        unit, rest = divmod(rest, floors * rooms)
        floor, room = divmod(rest, rooms)
        labels.append(f"{building + 1}号楼{unit + 1}单元{floor + 1}{room + 1:02d}室")
    return labels


class ResidentWriter:
    """Turns Families into rows and bulk-inserts them batch by batch."""

    def __init__(self, factory: PeopleFactory, rng: random.Random, batch: int):
        self.factory, self.rng, self.batch = factory, rng, batch
        self.pending: list[tuple[Household, Family]] = []
        self.pending_people = 0
        self.residents = self.households = 0
        self.groups: Counter[str] = Counter()

    def add(self, household: Household, family: Family) -> None:
        self.pending.append((household, family))
        self.pending_people += len(family.members)
        if self.pending_people >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with transaction.atomic():
            Household.objects.bulk_create([h for h, _f in self.pending], batch_size=500)
            residents, groups = [], []
            for household, family in self.pending:
                for person in family.members:
                    residents.append(self._resident(household, family, person))
                    groups.append(person.groups)
            Resident.objects.bulk_create(residents, batch_size=500)
            links = [ResidentGroup(resident=r, group=g) for r, gs in zip(residents, groups, strict=True) for g in gs]
            ResidentGroup.objects.bulk_create(links, batch_size=1000)
        self.groups.update(str(link.group) for link in links)
        self.residents += len(residents)
        self.households += len(self.pending)
        self.pending, self.pending_people = [], 0

    def _resident(self, household: Household, family: Family, person: Person) -> Resident:
        factory, rng = self.factory, self.rng
        birth = factory.birth_date(person.age)
        number = factory.id_number(factory.area_code(family.floating), birth, person.gender)
        phone = factory.phone(person.age)
        tag_person(rng, person, family, factory.today)
        moved_in = max(family.moved_in, birth) if family.moved_in else None
        note = rng.choice(data.HEALTH_NOTES) if person.age >= 65 and rng.random() < 0.15 else ""
        resident = Resident(
            name=factory.name(person.surname, person.gender, birth.year), gender=person.gender, birth_date=birth,
            household=household, place_id=household.place_id, region_code=household.region_code,
            residence=Resident.Residence.FLOATING if family.floating else Resident.Residence.REGISTERED,
            id_number_masked=mask_id_number(number), phone_masked=mask_phone(phone) if phone else "",
            is_party_member=person.age >= 18 and rng.random() < (0.10 if person.age >= 60 else 0.06),
            moved_in_on=moved_in,
        )
        seal(resident, "id_number", number)
        seal(resident, "phone", phone)
        seal(resident, "health_note", note)
        return resident


def tag_person(rng: random.Random, person: Person, family: Family, today: date) -> None:
    age = person.age
    if age < 18:
        person.groups.add(G.MINOR)
    if family.floating:
        person.groups.add(G.FLOATING)
    disability = 0.005 if age < 18 else 0.015 if age < 60 else 0.035 if age < 80 else 0.07
    if rng.random() < disability:
        person.groups.add(G.DISABILITY)
    if person.gender == "male" and age >= 40 and rng.random() < 0.025:
        person.groups.add(G.VETERAN)
    if rng.random() < 0.002:
        person.groups.add(G.SPECIAL_CARE)
    if family.low_income:
        person.groups.add(G.LOW_INCOME)
    if family.moved_in and (today - family.moved_in).days < 365:
        person.groups.add(G.NEW_RESIDENT)


def household_moved_in(rng: random.Random, family: Family, today: date) -> date:
    """Floating households came within the last five years; about 3% of the others within the last year."""
    if family.floating:
        return today - timedelta(days=rng.randrange(5 * 365))
    if rng.random() < 0.03:
        return today - timedelta(days=rng.randrange(365))
    head_age = max(p.age for p in family.members)
    return today - timedelta(days=365 + rng.randrange(max(1, min(head_age - 20, 40)) * 365))


# --- entry points -----------------------------------------------------------------------------------------

def _residential_places(district_code: str) -> list[Place]:
    return list(Place.objects.within(district_code).filter(kind__in=RESIDENTIAL_KINDS)
                .only("id", "kind", "region_code", "population", "households").order_by("id"))


def _clear(district_code: str) -> None:
    """Delete the district's residents without loading them (demo data only: no signals, no audit per row)."""
    with transaction.atomic():
        for queryset in (ResidentGroup.objects.within(district_code),
                         Resident.objects.within(district_code),
                         Household.objects.within(district_code)):
            queryset._raw_delete(queryset.db)


def generate_residents(*, count: int, seed: int = 2026, district_code: str = "110107", batch: int = 20000,
                       clear_existing: bool = False, today: date | None = None) -> dict:
    """Create `count` generated residents in households over the district's residential places.

    Refuses to run when the district already has residents, unless `clear_existing` (which deletes them).
    Returns counts: residents, households, places and residents per special group.
    """
    if Resident.objects.within(district_code).exists():
        if not clear_existing:
            raise ValueError(f"district {district_code} already has residents (pass clear_existing=True)")
        _clear(district_code)
    places = _residential_places(district_code)
    if not places or count <= 0:
        return {"residents": 0, "households": 0, "places": len(places), "groups": {}}
    rng = random.Random(seed)
    factory = PeopleFactory(rng, today or date.today())
    writer = ResidentWriter(factory, rng, batch)
    targets = allocate(count, [float(p.population or p.households or 1) for p in places])
    for place, target in zip(places, targets, strict=True):
        _fill_place(writer, factory, rng, place, target)
    writer.flush()
    result = {"residents": writer.residents, "households": writer.households, "groups": dict(writer.groups),
              "places": len(places), "seed": seed}
    with transaction.atomic():
        audit.record(actor=None, action="people.demo.generate", region_code=district_code,
                     detail={k: result[k] for k in ("residents", "households", "places", "seed")})
    return result


def _fill_place(writer: ResidentWriter, factory: PeopleFactory, rng: random.Random, place: Place, target: int):
    families, people = [], 0
    while people < target:
        family = factory.family()
        family.members = family.members[: target - people]
        family.low_income = not family.floating and rng.random() < 0.011
        family.moved_in = household_moved_in(rng, family, factory.today)
        families.append(family)
        people += len(family.members)
    for label, family in zip(unit_labels(rng, place.kind, len(families)), families, strict=True):
        household = Household(place_id=place.pk, region_code=place.region_code, unit_label=label,
                              is_rental=family.floating)
        writer.add(household, family)


# --- staff ------------------------------------------------------------------------------------------------

def _staff(factory: PeopleFactory, rng, *, region, body, position, party_share) -> StaffMember:
    gender = rng.choice(("male", "female", "female"))
    age = rng.randint(26, 56)
    phone = factory.phone(30)
    member = StaffMember(
        name=factory.name(factory.surname(), gender, factory.today.year - age), body=body, position=position,
        region=region, region_code=region.code, is_party_member=rng.random() < party_share,
        phone_masked=mask_phone(phone) if phone else "",
        started_on=factory.today - timedelta(days=rng.randrange(30, 15 * 365)),
    )
    seal(member, "phone", phone)
    return member


def generate_staff(*, seed: int = 2026, district_code: str = "110107", clear_existing: bool = True) -> dict:
    """Roster for every subdistrict, community (party org, residents' committee, service station) and grid."""
    rng = random.Random(seed + 1)
    factory = PeopleFactory(rng, date.today())
    levels = [Level.SUBDISTRICT, Level.COMMUNITY, Level.GRID]
    regions = list(Region.objects.within(district_code).filter(level__in=levels))
    members, grid_links = [], []
    for region in regions:
        if region.level == Level.SUBDISTRICT:
            members.append(_staff(factory, rng, region=region, body=StaffBody.SUBDISTRICT,
                                  position="社区建设办公室主任", party_share=0.9))
        elif region.level == Level.COMMUNITY:
            for body, position, how_many, share in data.COMMUNITY_STAFF:
                members.extend(_staff(factory, rng, region=region, body=body, position=position, party_share=share)
                               for _ in range(how_many))
        else:
            member = _staff(factory, rng, region=region, body=StaffBody.GRID, position="专职网格员",
                            party_share=0.6)
            members.append(member)
            grid_links.append((member, region))
    with transaction.atomic():
        if clear_existing:
            StaffMember.objects.within(district_code).delete()
        StaffMember.objects.bulk_create(members, batch_size=500)
        through = StaffMember.grids.through
        through.objects.bulk_create([through(staffmember_id=m.pk, region_id=g.pk) for m, g in grid_links],
                                    batch_size=1000)
        audit.record(actor=None, action="people.demo.staff", region_code=district_code,
                     detail={"staff": len(members)})
    return {"staff": len(members), "grid_workers": len(grid_links)}


# Which roster entry a demo account stands for: username prefix → (body, position or "" for any)
_ACCOUNT_ROLES = {
    "subdistrict": (StaffBody.SUBDISTRICT, ""),
    "community": (StaffBody.RESIDENTS_COMMITTEE, "居委会主任"),
    "grid": (StaffBody.GRID, ""),
}


def link_staff_users(*, mapping: dict[str, int] | None = None) -> int:
    """Link roster entries to user accounts and return how many were linked.

    With `mapping` ({username: staff member id}) exactly those; otherwise by the demo naming convention:
    `subdistrict-<9 digits>`, `community-<12 digits>` (the residents' committee director) and `grid-<15 digits>`.
    """
    users = get_user_model().objects.filter(staff_profile__isnull=True)
    linked = 0
    with transaction.atomic():
        for user in users.filter(username__in=list(mapping)) if mapping else users:
            member = _staff_for_username(user.username, mapping)
            if member is not None:
                member.user = user
                member.save(update_fields=["user"])
                linked += 1
    return linked


def _staff_for_username(username: str, mapping: dict[str, int] | None) -> StaffMember | None:
    unlinked = StaffMember.objects.filter(user__isnull=True)
    if mapping:
        return unlinked.filter(pk=mapping[username]).first()
    prefix, _sep, code = username.partition("-")
    if prefix not in _ACCOUNT_ROLES or not code.isdigit():
        return None
    body, position = _ACCOUNT_ROLES[prefix]
    candidates = unlinked.filter(region_code=code, body=body)
    return (candidates.filter(position=position).first() if position else None) or candidates.order_by("pk").first()
