from django.core.management.base import BaseCommand

from civicgrid.core.errors import DomainError
from civicgrid.territory import services
from civicgrid.territory.management.commands._common import fail


class Command(BaseCommand):
    help = "Record compound gates from a CSV with columns place_id,lon,lat (a place's rows replace its gates)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            summary = services.import_place_gates(actor=None, source=path)
        except DomainError as exc:
            raise fail(exc) from exc
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}={v}" for k, v in summary.items())))
