"""civicgrid reencrypt: re-encrypt every registered personal-data column under the active key.

How to rotate the personal-data key:

1. Generate a new 32-byte key, e.g. `python -c "import secrets; print(secrets.token_hex(32))"`.
2. Prepend it with a new id to CIVICGRID_DATA_KEYS (or the `data_keys` file in the data dir), keeping the
   old key after it: `CIVICGRID_DATA_KEYS="k2:<new hex>,k1:<old hex>"`. Restart the app servers and workers.
   From now on new values are encrypted with k2; old values still decrypt with k1, and lookups by ID number
   try the blind index under both keys, so nothing stops working during the rotation.
3. Run `civicgrid reencrypt`. It walks every column in `core.encrypted`'s registry, re-encrypts every value
   under the first key, bound to its row and column, and recomputes the blind indexes, batch by batch (one
   transaction per batch). Run it again after an interruption: it skips what is already current.
   It refuses (exit 2) when a value uses a key that is not configured.
4. Remove the old key from CIVICGRID_DATA_KEYS and restart. Keep a copy of it offline for old backups.
"""

from django.core.management.base import BaseCommand, CommandError

from civicgrid.core import rotation
from civicgrid.core.errors import ConfigurationError

MISSING_KEY_EXIT = 2


class Command(BaseCommand):
    help = "Re-encrypt every encrypted personal-data column under the active key and recompute blind indexes."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch, **options):
        try:
            _refuse_missing_keys()
            reports = rotation.reencrypt_all(batch=batch)
        except ConfigurationError as exc:
            raise CommandError(f"reencrypt refused: {exc}", returncode=MISSING_KEY_EXIT) from None
        for report in reports:
            self.stdout.write(f"{report.column}: {report.done} re-encrypted, {report.current} already current, "
                              f"{report.failed} failed")
        failed = sum(report.failed for report in reports)
        if failed:
            raise CommandError(f"{failed} values do not decrypt where they are stored (tampered or copied "
                               "between rows); they were left unchanged")


def _refuse_missing_keys() -> None:
    missing = rotation.missing_keys()
    if missing:
        key_ids = ", ".join(sorted(set(missing.values())))
        raise ConfigurationError(f"personal-data key(s) {key_ids} not configured (used in "
                                 f"{', '.join(sorted(missing))}); add them after the active key in "
                                 "CIVICGRID_DATA_KEYS and run again")
