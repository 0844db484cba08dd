"""Import residents from an xlsx sheet: validate every row first, then write all rows in one transaction.

The first row holds the headers, in Chinese (the template's) or English. A report lists every problem with
its row number (as Excel shows it), column header and a message; when there is any problem nothing is written.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from civicgrid.core import audit, crypto, uploads
from civicgrid.core.errors import DomainError
from civicgrid.core.scoping import area_of
from civicgrid.people import services
from civicgrid.people.models import Resident, SpecialGroup
from civicgrid.territory.models import RESIDENTIAL_KINDS, Place

MAX_ROWS = 20000

# field → (Chinese header of the template, accepted aliases)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("name",)),
    "id_number": ("身份证号", ("公民身份号码", "身份证号码", "id_number", "id number")),
    "phone": ("手机号", ("联系电话", "电话", "phone")),
    "place": ("小区", ("小区名称", "place", "compound")),
    "unit_label": ("楼栋单元户", ("门牌", "住址", "unit", "unit_label")),
    "groups": ("人员类别", ("特殊人群", "groups", "special groups")),
    "residence": ("户籍状态", ("residence",)),
    "is_party_member": ("是否党员", ("党员", "party member", "is_party_member")),
    "moved_in_on": ("入住日期", ("moved in on", "moved_in_on")),
    "health_note": ("备注", ("健康状况", "health note", "health_note", "note")),
}
REQUIRED = ("name", "id_number", "place", "unit_label")

GROUP_NAMES = {
    "独居老人": SpecialGroup.ELDERLY_ALONE, "空巢老人": SpecialGroup.EMPTY_NEST, "残疾人": SpecialGroup.DISABILITY,
    "低收入家庭": SpecialGroup.LOW_INCOME, "低保": SpecialGroup.LOW_INCOME, "流动人口": SpecialGroup.FLOATING,
    "新市民": SpecialGroup.NEW_RESIDENT, "新居民": SpecialGroup.NEW_RESIDENT, "未成年人": SpecialGroup.MINOR,
    "退役军人": SpecialGroup.VETERAN, "优抚对象": SpecialGroup.SPECIAL_CARE,
}
RESIDENCE_NAMES = {"户籍": Resident.Residence.REGISTERED, "户籍人口": Resident.Residence.REGISTERED,
                   "流动": Resident.Residence.FLOATING, "流动人口": Resident.Residence.FLOATING,
                   "非户籍": Resident.Residence.FLOATING}
YES = {"是", "yes", "y", "true", "1", "党员"}
NO = {"否", "no", "n", "false", "0", ""}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    dry_run: bool = True
    problems: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int, column: str, problem, code: str) -> None:
        self.problems.append({"row": row, "column": column, "problem": str(problem), "code": code})


class _CellError(Exception):
    def __init__(self, message, code):
        super().__init__(str(message))
        self.message, self.code = message, code


# --- header and cell parsing ------------------------------------------------------------------------------

def _header_map(header_row) -> tuple[dict[str, int], dict[str, str]]:
    """field → column index and field → header text as written in the file."""
    lookup = {}
    for key, (chinese, aliases) in COLUMNS.items():
        for name in (chinese, key, *aliases):
            lookup[name.strip().lower()] = key
    positions, headers = {}, {}
    for index, cell in enumerate(header_row):
        text = str(cell or "").strip()
        found = lookup.get(text.lower())
        if found and found not in positions:
            positions[found], headers[found] = index, text
    return positions, headers


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_groups(value) -> list[str]:
    text = _text(value)
    for sep in "、，;；/":
        text = text.replace(sep, ",")
    groups = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        code = GROUP_NAMES.get(part) or (part if part in SpecialGroup.values else None)
        if code is None:
            raise _CellError(_("Unknown special group: %(group)s.") % {"group": part}, "invalid_group")
        groups.append(str(code))
    return groups


def _parse_residence(value) -> str:
    text = _text(value)
    if not text:
        return Resident.Residence.REGISTERED
    code = RESIDENCE_NAMES.get(text) or (text.lower() if text.lower() in Resident.Residence.values else None)
    if code is None:
        raise _CellError(_("Write 户籍 (registered) or 流动 (non-registered)."), "invalid_residence")
    return code


def _parse_bool(value) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise _CellError(_("Write 是 (yes) or 否 (no)."), "invalid_boolean")


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _CellError(_("Write the date as YYYY-MM-DD."), "invalid_date") from None


# --- validation -------------------------------------------------------------------------------------------

class _Validator:
    """Turns sheet rows into ResidentData, collecting every problem in the report."""

    def __init__(self, *, actor, report: ImportReport, headers: dict[str, str]):
        self.report, self.headers = report, headers
        places = Place.objects.visible_to(actor).filter(kind__in=RESIDENTIAL_KINDS)
        self.places: dict[str, list[Place]] = {}
        for place in places:
            self.places.setdefault(place.name, []).append(place)
        self.seen_ids: dict[str, int] = {}

    def problem(self, row: int, key: str, message, code: str) -> None:
        self.report.add(row, self.headers.get(key, COLUMNS[key][0]), message, code)

    def place(self, row: int, name: str) -> Place | None:
        matches = self.places.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            self.problem(row, "place", _("Several compounds in your jurisdiction have this name."),
                         "ambiguous_place")
        else:
            self.problem(row, "place", _("No residential compound with this name in your jurisdiction."),
                         "unknown_place")
        return None

    def parse(self, row: int, values: dict):
        raw = {key: values.get(key) for key in COLUMNS}
        before = len(self.report.problems)
        for key in REQUIRED:
            if not _text(raw[key]):
                self.problem(row, key, _("This column is required."), "required")
        parsed = {}
        for key, parser in _PARSERS:
            try:
                parsed[key] = parser(raw[key])
            except _CellError as exc:
                self.problem(row, key, exc.message, exc.code)
            except DomainError as exc:
                self.problem(row, key, exc.message, exc.code)
        place = self.place(row, _text(raw["place"])) if _text(raw["place"]) else None
        if len(self.report.problems) > before or place is None:
            return None
        return self._clean(row, parsed, place)

    def _clean(self, row, parsed, place):
        data = services.clean_resident(place=place, **parsed)
        first = self.seen_ids.setdefault(data.id_number, row)
        if first != row:
            self.problem(row, "id_number", _("The same ID number is on row %(row)s.") % {"row": first},
                         "duplicate_in_file")
            return None
        return row, data


def _optional(cleaner):
    return lambda value: cleaner(_text(value)) if _text(value) else ""


_PARSERS = (
    ("name", lambda v: services.clean_name(_text(v)) if _text(v) else ""),
    ("id_number", _optional(services.clean_id_number)),
    ("phone", _optional(services.clean_phone)),
    ("unit_label", _optional(services.clean_unit_label)),
    ("health_note", _optional(services.clean_health_note)),
    ("groups", _parse_groups),
    ("residence", _parse_residence),
    ("is_party_member", _parse_bool),
    ("moved_in_on", _parse_date),
)


def validate_rows(*, actor, file, report: ImportReport) -> list:
    """The valid rows; a file refused as a whole (size, zip bomb, row count) leaves one problem on row 1."""
    try:
        return _validate_rows(actor, file, report)
    except DomainError as exc:
        report.problems.clear()
        report.add(1, "", exc.message, exc.code)
        return []


def _validate_rows(actor, file, report: ImportReport) -> list:
    rows = uploads.xlsx_rows(file, max_rows=MAX_ROWS)
    try:
        header = next(rows, None)
    except DomainError:
        raise
    except Exception:  # openpyxl raises many kinds of errors for a file that is not xlsx
        report.add(1, "", _("The file is not an Excel workbook (.xlsx)."), "invalid_file")
        return []
    positions, headers = _header_map(header or ())
    for key in REQUIRED:
        if key not in positions:
            report.add(1, COLUMNS[key][0], _("The header row lacks this column."), "missing_column")
    if report.problems:
        return []
    validator, valid = _Validator(actor=actor, report=report, headers=headers), []
    for number, row in enumerate(rows, start=2):
        if not any(_text(v) for v in row):
            continue
        report.rows += 1
        values = {key: row[index] if index < len(row) else None for key, index in positions.items()}
        parsed = validator.parse(number, values)
        if parsed:
            valid.append(parsed)
    _check_database_duplicates(valid, validator)
    return valid


def _check_database_duplicates(valid: list, validator: _Validator) -> None:
    by_index = {}
    for row, data in valid:
        for candidate in crypto.blind_index_candidates(data.id_number):
            by_index[candidate] = row
    found = Resident.objects.filter(id_number_index__in=list(by_index)).values_list("id_number_index", flat=True)
    for index in found:
        validator.problem(by_index[index], "id_number", _("A resident with this ID number is already registered."),
                          "duplicate_id_number")


def import_residents_xlsx(*, actor, file, dry_run: bool, filename: str = "") -> ImportReport:
    """Validate every row; unless dry_run or any problem, create all residents in one transaction."""
    report = ImportReport(dry_run=dry_run)
    if area_of(actor) is None:
        report.add(1, "", _("Your account has no jurisdiction to import residents into."), "no_jurisdiction")
        return report
    valid = validate_rows(actor=actor, file=file, report=report)
    report.problems.sort(key=lambda p: (p["row"], p["column"]))
    if dry_run or report.problems or not valid:
        return report
    with transaction.atomic():
        for _row, data in valid:
            services.create_resident(data)
        report.created = len(valid)
        audit.record(actor=actor, action="people.resident.import", region_code=area_of(actor) or "",
                     detail={"count": report.created, "filename": filename[:100]})
    return report


TEMPLATE_EXAMPLE = ("张三", "110107199003071231", "13800138000", "示例小区", "1号楼2单元301室", "独居老人、残疾人",
                    "户籍", "否", "2020-05-01", "")
TEMPLATE_NOTE = gettext_lazy("Special groups: 独居老人 空巢老人 残疾人 低收入家庭 流动人口 新市民 未成年人 退役军人 "
                             "优抚对象, separated by 、 or commas. Residence: 户籍 or 流动. Delete this example row.")


def template_xlsx() -> bytes:
    """An empty import sheet with the headers and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民"
    sheet.append([chinese for chinese, _aliases in COLUMNS.values()])
    sheet.append(list(TEMPLATE_EXAMPLE))
    for column, width in zip("ABCDEFGHIJ", (10, 22, 14, 16, 18, 20, 10, 10, 12, 20), strict=True):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet("说明")
    notes.append([str(TEMPLATE_NOTE)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
