"""Import street assets from CSV or GeoJSON; any row error refuses the whole file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicgrid.accounts.models import User
from civicgrid.assets import services
from civicgrid.core.errors import DomainError


class Command(BaseCommand):
    help = "Import street assets (CSV or GeoJSON: code,kind,name,owner_unit,owner_name,lon,lat,address,state)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as-user", required=True, help="username of the staff member the import is made as")

    def handle(self, *args, **options):
        path = Path(options["path"])
        actor = User.objects.filter(username=options["as_user"]).first()
        if actor is None:
            raise CommandError("unknown user")
        try:
            report = services.import_assets(actor=actor, name=path.name, data=path.read_bytes())
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from error
        for problem in report["errors"][:100]:
            self.stderr.write(f"line {problem['line']}: {problem['field']}: {problem['code']}: {problem['message']}")
        if report["errors"]:
            raise CommandError(f"{len(report['errors'])} bad rows: nothing imported")
        self.stdout.write(f"created {report['created']}, updated {report['updated']}, unchanged {report['unchanged']}")
