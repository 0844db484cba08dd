"""Build a district's walking network: from an OSM extract or generated inside the district's stored outline
(marked as generated: a jittered street grid, not real streets).

Every connected component is kept (homes on an island are flagged "not connected", never moved to another
street). An extract that does not overlap the district's outline is refused unless ``--force`` is given, and
then the warning is recorded on the network. Any reader error is one line on stderr and exit code 2."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civicgrid.core.errors import DomainError
from civicgrid.servicecircle import engine, services
from civicgrid.servicecircle.engine.names import street_names_from_osm
from civicgrid.servicecircle.engine.osm import NetworkFileError, graph_from_osm
from civicgrid.territory import geometry
from civicgrid.territory.models import Region

FAILED = 2


class Command(BaseCommand):
    help = "Import an OSM file into a district's walking network, or generate the demo network (--synthetic)."

    def add_arguments(self, parser):
        parser.add_argument("--district", default="110107", help="district code (6 digits)")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--osm", help="OSM file: .osm, .xml, .osm.pbf, .osm.gz or .osm.bz2 (format read from "
                                          "the content)")
        source.add_argument("--synthetic", action="store_true", help="generate a street grid inside the outline")
        parser.add_argument("--nodes", type=int, default=30_000, help="approximate nodes of a generated network")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--compress", action="store_true", help="contract chains of degree-2 OSM vertices")
        parser.add_argument("--force", action="store_true",
                            help="store an extract that does not overlap the district's outline (recorded)")

    def handle(self, *args, **options):
        district = options["district"]
        try:
            if options["osm"]:
                network = self._from_osm(district, options)
            else:
                region = Region.objects.filter(code=district).first()
                if region is None or not region.boundary:
                    raise CommandError(f"district {district} has no stored outline: load the territory first",
                                       returncode=FAILED)
                graph = engine.synthetic_street_grid(n_nodes=options["nodes"], seed=options["seed"],
                                                     boundary=geometry.from_geojson(region.boundary))
                network = services.store_network(
                    actor=None, district_code=district, graph=graph, generated=True,
                    source=f"synthetic:seed={options['seed']},nodes={options['nodes']}")
        except (DomainError, ValueError, OSError) as exc:
            message = str(exc.message) if isinstance(exc, DomainError) else str(exc)
            raise CommandError(message.splitlines()[0] if message else type(exc).__name__,
                               returncode=FAILED) from None
        for warning in network.warnings:
            self.stderr.write(f"warning: {warning}")
        parts = network.components.get("count", 1)
        self.stdout.write(f"network {district} v{network.version}: {network.n_nodes} nodes, {network.n_edges} edges"
                          f"{' (generated)' if network.generated else ''}"
                          f"{f', {parts} components kept' if parts > 1 else ''}")

    def _from_osm(self, district: str, options):
        rules = engine.WalkRules.from_dict(getattr(settings, "SERVICECIRCLE_WALK_RULES", {}).get(district))
        try:
            graph = graph_from_osm(path=options["osm"], compress=options["compress"], rules=rules)
            names = street_names_from_osm(path=options["osm"], rules=rules)
        except NetworkFileError as exc:
            raise CommandError(str(exc), returncode=FAILED) from None
        return services.store_network(actor=None, district_code=district, graph=graph, source=f"osm:{options['osm']}",
                                      generated=False, rules=rules.to_dict(), force=options["force"],
                                      street_names=names)
