"""civicgrid new_data_key [ID]: print one new personal-data key in CIVICGRID_DATA_KEYS format (`ID:<64 hex>`).

Nothing is stored: put the line into your secret store. For a first installation it is the whole value of
CIVICGRID_DATA_KEYS; to rotate, put it in front of the current keys (see `civicgrid reencrypt`)."""

from django.core.management.base import BaseCommand, CommandError

from civicgrid.core import crypto
from civicgrid.core.errors import ConfigurationError
from civicgrid.core.secrets import new_data_key_entry


class Command(BaseCommand):
    help = "Print a new personal-data key (ID:<64 hex digits>) for CIVICGRID_DATA_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("key_id", nargs="?", default="k1", help="a short id for the key, e.g. k2")

    def handle(self, *args, key_id, **options):
        entry = new_data_key_entry(key_id)
        try:
            crypto.parse_keys(entry)
        except ConfigurationError as exc:
            raise CommandError(f"not a usable key id {key_id!r}: {exc}") from None
        self.stdout.write(entry)
