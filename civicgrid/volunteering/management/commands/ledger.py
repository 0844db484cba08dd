"""`civicgrid ledger reconcile`: prove the points books balance; exit 1 and list every difference if not."""

from django.core.management.base import BaseCommand, CommandError

from civicgrid.volunteering.reconcile import reconcile


class Command(BaseCommand):
    help = "Points ledger maintenance. `reconcile`: check entries, cached balances, holds and stock."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reconcile"])

    def handle(self, *args, **options):
        report = reconcile()
        for problem in report.problems:
            self.stderr.write(problem)
        summary = f"{report.transfers} transfers, {report.accounts} accounts, {len(report.problems)} problems"
        if not report.ok:
            raise CommandError(f"ledger does not reconcile: {summary}")
        self.stdout.write(f"ledger reconciles: {summary}")
