import os
from collections import OrderedDict

from django.core.management.base import BaseCommand

from civicgrid.demo.accounts import login_file


class Command(BaseCommand):
    help = "Print the demo logins: one example account and the password of each role."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="print every account")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                            help="the port the platform is served on (default: $PORT or 8000)")

    def handle(self, *args, all=False, port=8000, **options):
        path = login_file()
        if not path.exists():
            self.stdout.write("no demo accounts in this data directory (run `civicgrid demo`)")
            return
        rows = [line.split("\t") for line in path.read_text().splitlines() if line and not line.startswith("#")]
        shown = rows if all else list(OrderedDict((row[0], row) for row in reversed(rows)).values())[::-1]
        self.stdout.write(f"演示账号 / demo logins (http://127.0.0.1:{port}/accounts/login/):")
        for role, username, password, name in shown:
            self.stdout.write(f"  {role:<14} {username:<28} {password:<18} {name}")
        if not all:
            self.stdout.write(f"  … {len(rows)} accounts in all: every subdistrict, community and grid has one "
                              f"(subdistrict-<9 digits>, community-<12 digits>, grid-<15 digits>); "
                              f"full list: civicgrid demo_logins --all, or {path}")
