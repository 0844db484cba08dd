"""Import facilities from CSV, GeoJSON or OSM (XML/PBF); any row error refuses the whole file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicgrid.accounts.models import User
from civicgrid.servicecircle import importing, services
from civicgrid.servicecircle.errors import ImportFailed


class Command(BaseCommand):
    help = ("Import facilities (CSV/GeoJSON columns: category,name,lon,lat"
            "[,capacity,opening_hours,operator,external_id]).")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["csv", "geojson", "osm"], help="default: from the file name")
        parser.add_argument("--district", default="110107")
        parser.add_argument("--as-user", required=True, help="username of the staff member the import is made as")

    def handle(self, *args, **options):
        path = Path(options["path"])
        kind = options["format"] or ("csv" if path.suffix == ".csv" else "geojson" if path.suffix in (
            ".geojson", ".json") else "osm")
        actor = User.objects.filter(username=options["as_user"]).first()
        if actor is None:
            raise CommandError("unknown user")
        try:
            rows = (importing.rows_from_osm(path) if kind == "osm" else importing.rows_from_csv(path.read_bytes())
                    if kind == "csv" else importing.rows_from_geojson(path.read_bytes()))
            summary = services.import_facilities(actor=actor, rows=rows, source=kind,
                                                 district_code=options["district"])
        except ImportFailed as exc:
            for problem in exc.details[:50]:
                self.stderr.write(f"row {problem.get('row')}: {problem.get('field')}: {problem.get('message')}")
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"created {summary['created']}, updated {summary['updated']}")
