from django.core.management.base import BaseCommand, CommandError

from civicgrid.core import audit


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or purge events past the retention period."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "purge"])

    def handle(self, *args, action, **options):
        if action == "purge":
            deleted = audit.purge()
            self.stdout.write(f"purged {deleted} audit events")
            return
        result = audit.verify()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"audit chain is broken ({len(result.problems)} problems, {result.checked} events read)")
        self.stdout.write(self.style.SUCCESS(f"audit chains intact: {result.checked} events in {result.chains} chains"))
