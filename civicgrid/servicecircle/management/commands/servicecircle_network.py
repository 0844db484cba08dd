"""Build a district's walking network: from an OSM extract (XML or PBF) or generated inside the district's
stored outline (marked as generated: a jittered street grid, not real streets)."""

from django.core.management.base import BaseCommand, CommandError

from civicgrid.core.errors import DomainError
from civicgrid.servicecircle import engine, services
from civicgrid.servicecircle.engine.osm import graph_from_osm
from civicgrid.territory import geometry
from civicgrid.territory.models import Region


class Command(BaseCommand):
    help = "Import an OSM file into a district's walking network, or generate the demo network (--synthetic)."

    def add_arguments(self, parser):
        parser.add_argument("--district", default="110107", help="district code (6 digits)")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--osm", help="OSM XML (.osm) or PBF (.osm.pbf) file")
        source.add_argument("--synthetic", action="store_true", help="generate a street grid inside the outline")
        parser.add_argument("--nodes", type=int, default=30_000, help="approximate nodes of a generated network")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--compress", action="store_true", help="contract chains of degree-2 OSM vertices")

    def handle(self, *args, **options):
        district = options["district"]
        try:
            if options["osm"]:
                graph = engine.largest_component(graph_from_osm(path=options["osm"], compress=options["compress"]))
                source, generated = f"osm:{options['osm']}", False
            else:
                region = Region.objects.filter(code=district).first()
                if region is None or not region.boundary:
                    raise CommandError(f"district {district} has no stored outline: load the territory first")
                graph = engine.synthetic_street_grid(n_nodes=options["nodes"], seed=options["seed"],
                                                     boundary=geometry.from_geojson(region.boundary))
                source, generated = f"synthetic:seed={options['seed']},nodes={options['nodes']}", True
            network = services.store_network(actor=None, district_code=district, graph=graph, source=source,
                                             generated=generated)
        except (DomainError, ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"network {district} v{network.version}: {network.n_nodes} nodes, {network.n_edges} edges"
                          f"{' (generated)' if generated else ''}")
