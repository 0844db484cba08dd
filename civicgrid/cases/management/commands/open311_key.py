"""`civicgrid open311-key --name NAME` issues an Open311 api_key (shown once, stored hashed);
`--revoke PREFIX` revokes one; `--list` lists them. `open311_key` is the same command."""

from django.core.management.base import BaseCommand, CommandError

from civicgrid.cases.models import Open311Client
from civicgrid.cases.services import issue_open311_key, revoke_open311_key
from civicgrid.core.errors import NotFound


class Command(BaseCommand):
    help = "Issue, revoke or list Open311 api_keys."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="client name for a new key")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the key with this prefix")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args, **options):
        if options["list"]:
            for client in Open311Client.objects.order_by("created_at"):
                state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "active"
                self.stdout.write(f"{client.prefix}  {client.name}  {state}")
        elif options["revoke"]:
            try:
                revoke_open311_key(actor=None, prefix=options["revoke"])
            except NotFound:
                raise CommandError("no active key with that prefix") from None
            self.stdout.write("revoked")
        elif options["name"]:
            client, raw = issue_open311_key(actor=None, name=options["name"])
            self.stdout.write(raw)
        else:
            raise CommandError("give --name NAME, --revoke PREFIX or --list")
