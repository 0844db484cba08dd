"""The default adapters for `make run`: one JSON line per message in DATA_DIR/outbox.log, or the log.
Only the masked recipient is written."""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


class FileAdapter:
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "outbox.log"

    def send(self, message, address, content) -> str:
        line = json.dumps({"at": timezone.now().isoformat(), "key": message.key, "channel": message.channel,
                           "kind": message.kind, "to": message.recipient_masked, "text": content.text},
                          ensure_ascii=False)
        with self.path().open("a", encoding="utf-8") as out:  # one write of one line: appends do not interleave
            out.write(line + "\n")
        return message.key[:16]

    def was_sent(self, message) -> bool:
        if not self.path().exists():
            return False
        needle = f'"key": "{message.key}"'
        with self.path().open(encoding="utf-8") as lines:
            return any(needle in line for line in lines)


class ConsoleAdapter:
    def send(self, message, address, content) -> str:
        log.info("notification %s %s to %s: %s", message.channel, message.kind, message.recipient_masked,
                 content.subject)
        return ""

    def was_sent(self, message) -> None:
        return None
