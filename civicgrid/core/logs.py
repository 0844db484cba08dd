"""One clock for every log line: the platform's time zone (settings.TIME_ZONE, Asia/Shanghai) with its offset
written out, whatever the TZ of the process that logs (web server, task worker, management command)."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


class LocalTimeFormatter(logging.Formatter):
    """`2026-03-02 09:15:04.123 +0800`: the same zone and form as gunicorn's log lines under `make run`."""

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        moment = datetime.fromtimestamp(record.created, ZoneInfo(settings.TIME_ZONE))
        return moment.strftime(datefmt) if datefmt else f"{moment:%Y-%m-%d %H:%M:%S}.{int(record.msecs):03d} " \
            f"{moment:%z}"
