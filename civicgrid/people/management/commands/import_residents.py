"""civicgrid import_residents PATH --as USERNAME [--dry-run]: import an xlsx sheet of residents."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from civicgrid.people.importing import import_residents_xlsx


class Command(BaseCommand):
    help = "Import residents from an xlsx file (the template's headers); nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True, help="the user whose jurisdiction applies")
        parser.add_argument("--dry-run", action="store_true", help="only validate and report")

    def handle(self, *args, path, username, dry_run, **options):
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"no user named {username!r}")
        try:
            with open(path, "rb") as handle:
                report = import_residents_xlsx(actor=actor, file=handle, dry_run=dry_run, filename=str(path))
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(f"row {problem['row']} [{problem['column']}] {problem['problem']} ({problem['code']})")
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems in {report.rows} rows: nothing imported")
        verb = "checked (dry run)" if dry_run else "imported"
        self.stdout.write(f"{report.rows} rows {verb}; {report.created} residents created")
