from django.core.management.base import BaseCommand, CommandError

from civicgrid.territory import locate


class Command(BaseCommand):
    help = "Print the grid that contains a point (WGS-84 longitude and latitude)."

    def add_arguments(self, parser):
        parser.add_argument("lon", type=float)
        parser.add_argument("lat", type=float)

    def handle(self, *args, lon, lat, **options):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CommandError("longitude must be within ±180 and latitude within ±90")
        grid = locate.locate(lon, lat)
        if grid is None:
            raise CommandError(f"no grid contains ({lon}, {lat})")
        self.stdout.write(f"{grid.code}\t{grid.name}")
