import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civicgrid.demo.loader import DEMO_DISTRICT, SCALES, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the Shijingshan demo district (real divisions, generated geometry and people)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="default",
                            help="default: about 20,000 residents; full: about 560,000")
        parser.add_argument("--residents", type=int, help="override the number of residents")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the district is loaded")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, residents, if_empty, seed, **options):
        if demo_loaded():
            if if_empty:
                self.stdout.write(f"demo district {DEMO_DISTRICT} already loaded")
                return
            raise CommandError(f"district {DEMO_DISTRICT} already exists; use a fresh data directory")
        started = time.monotonic()
        with transaction.atomic():
            summary = load_demo(scale=scale, residents=residents, seed=seed, progress=self.stdout.write)
        summary["seconds"] = round(time.monotonic() - started, 1)
        self.stdout.write(self.style.SUCCESS(
            "demo loaded: " + ", ".join(f"{key}={value}" for key, value in summary.items())))
