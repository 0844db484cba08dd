"""CSV export of confirmed service records for the national volunteer service information system.

Layout (UTF-8 with BOM, one row per record, header row in Chinese as the import template expects):

| column | content |
|---|---|
| 记录编号 | our record id |
| 志愿者姓名 | full name |
| 证件号码 | ID number, MASKED (the national system matches by its own account; we never export full numbers) |
| 服务日期 | YYYY-MM-DD (Asia/Shanghai) |
| 开始时间 / 结束时间 | HH:MM |
| 服务时长(小时) | hours, one decimal |
| 服务地点 | place |
| 服务内容 | content |
| 服务对象 | target groups, comma-separated codes |
| 组织名称 | team that organized and recorded the service (谁组织谁记录) |
| 所属社区 | community code |
| 培训情况 / 表彰奖励 / 服务评价 | training, commendation, evaluation |
| 记录状态 | confirmed |
| 修订次数 | revision number (corrections raise it) |
"""

import csv
import io

from django.utils import timezone

from civicgrid.core.exports import safe_row
from civicgrid.volunteering.hours import hours_value
from civicgrid.volunteering.models import ServiceRecord
from civicgrid.volunteering.selectors import records_for

HEADER = ["记录编号", "志愿者姓名", "证件号码", "服务日期", "开始时间", "结束时间", "服务时长(小时)", "服务地点",
          "服务内容", "服务对象", "组织名称", "所属社区", "培训情况", "表彰奖励", "服务评价", "记录状态", "修订次数"]


def _row(record: ServiceRecord) -> list:
    start, end = timezone.localtime(record.started_at), timezone.localtime(record.ended_at)
    return safe_row([record.pk, record.volunteer.name, record.volunteer.id_number_masked, f"{record.service_date}",
                     f"{start:%H:%M}", f"{end:%H:%M}", f"{hours_value(record.minutes):.1f}", record.place_name,
                     record.content, ",".join(record.target_groups), record.team.name, record.region_code,
                     record.training, record.commendation, record.evaluation, record.status, record.revision])


def records_csv(*, actor) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for record in records_for(actor=actor, status=ServiceRecord.Status.CONFIRMED).order_by("service_date", "pk"):
        writer.writerow(_row(record))
    return buffer.getvalue()
