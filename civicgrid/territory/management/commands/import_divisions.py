from django.core.management.base import BaseCommand

from civicgrid.core.errors import DomainError
from civicgrid.territory import services
from civicgrid.territory.management.commands._common import fail


class Command(BaseCommand):
    help = "Import regions from a CSV with columns code,name,level,parent_code (levels district/street/community/grid)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            summary = services.import_divisions(actor=None, source=path)
        except DomainError as exc:
            raise fail(exc) from exc
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}={v}" for k, v in summary.items())))
