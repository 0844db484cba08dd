from django.core.management.base import BaseCommand

from civicgrid.cases import suggest


class Command(BaseCommand):
    help = "Accuracy of the suggested category on held-out past dispatch decisions."

    def add_arguments(self, parser):
        parser.add_argument("--holdout", type=float, default=0.2)

    def handle(self, *args, **options):
        result = suggest.accuracy(holdout=options["holdout"])
        self.stdout.write(f"history={result.samples} held_out={result.held_out} keywords={result.keywords:.3f} "
                          f"learned={result.learned:.3f} combined={result.combined:.3f}")
