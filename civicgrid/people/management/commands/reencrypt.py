"""civicgrid reencrypt: re-encrypt personal data under the active key (key rotation).

How to rotate the personal-data key:

1. Generate a new 32-byte key, e.g. `python -c "import secrets; print(secrets.token_hex(32))"`.
2. Prepend it with a new id to CIVICGRID_DATA_KEYS (or the `data_keys` file in the data dir), keeping the
   old key after it: `CIVICGRID_DATA_KEYS="k2:<new hex>,k1:<old hex>"`. Restart the app servers and workers.
   From now on new values are encrypted with k2; old values still decrypt with k1, and lookups by ID number
   try the blind index under both keys, so nothing stops working during the rotation.
3. Run `civicgrid reencrypt`. It re-encrypts every value not under the first key and recomputes the blind
   indexes, batch by batch (one transaction per batch). It is idempotent: run it again after an interruption;
   a second run reports 0 rows.
4. Remove the old key from CIVICGRID_DATA_KEYS and restart. Keep a copy of it offline for old backups.
"""

from django.core.management.base import BaseCommand

from civicgrid.people.services import reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt residents' and staff personal data under the active key and recompute blind indexes."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch, **options):
        result = reencrypt_all(batch=batch)
        self.stdout.write(f"active key {result['key']}: re-encrypted {result['residents']} residents "
                          f"and {result['staff']} staff members")
