from django.core.management.base import BaseCommand

from civicgrid.cases import rollup


class Command(BaseCommand):
    help = "Refresh the daily case statistics rollup (--full rebuilds every day)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true")

    def handle(self, *args, **options):
        self.stdout.write(f"rows={rollup.refresh(full=options['full'])}")
