from django.core.management.base import BaseCommand

from civicgrid.core.errors import DomainError
from civicgrid.territory import services
from civicgrid.territory.management.commands._common import fail


class Command(BaseCommand):
    help = "Set region boundaries from a GeoJSON FeatureCollection whose features carry the property `code`."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--generated", action="store_true", help="flag the boundaries as generated")
        parser.add_argument("--skip-unknown", action="store_true", help="ignore features whose code is not a region")

    def handle(self, *args, path, generated, skip_unknown, **options):
        try:
            summary = services.import_boundaries(actor=None, geojson=path, generated=generated,
                                                 skip_unknown=skip_unknown)
        except DomainError as exc:
            raise fail(exc) from exc
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}={v}" for k, v in summary.items())))
