"""Proof that the books balance: used by `civicgrid ledger reconcile`, the benchmark and the tests."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from civicgrid.volunteering.ledger import SYSTEM_KINDS
from civicgrid.volunteering.models import Account, Entry, Offer, Redemption, Transfer


@dataclass
class Report:
    transfers: int = 0
    accounts: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _transfers(report: Report) -> None:
    report.transfers = Transfer.objects.count()
    bad = Transfer.objects.annotate(n=Count("entries"), total=Sum("entries__amount")).exclude(n=2, total=0)
    for row in bad.values("id", "n", "total")[:100]:
        report.problems.append(f"transfer {row['id']}: {row['n']} entries summing to {row['total']}")
    sides = Entry.objects.exclude(Q(account_id=F("transfer__source_id"), amount=-F("transfer__amount"))
                                  | Q(account_id=F("transfer__target_id"), amount=F("transfer__amount")))
    for entry_id, transfer_id in sides.values_list("id", "transfer_id")[:100]:
        report.problems.append(f"entry {entry_id} of transfer {transfer_id} does not match its transfer")


def _accounts(report: Report) -> None:
    sums = dict(Entry.objects.values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total"))
    report.accounts = 0
    for account_id, kind, cached in Account.objects.values_list("id", "kind", "balance").iterator():
        report.accounts += 1
        derived = sums.get(account_id, 0) or 0
        if kind in SYSTEM_KINDS:
            if cached != 0:
                report.problems.append(f"system account {account_id} ({kind}) has a cached balance {cached}")
        elif derived != cached:
            report.problems.append(f"account {account_id} ({kind}): cached balance {cached} != entries {derived}")
        if kind != Account.Kind.ISSUANCE and derived < 0:
            report.problems.append(f"account {account_id} ({kind}) is negative: {derived}")
    total = sum(v or 0 for v in sums.values())
    if total != 0:
        report.problems.append(f"all entries sum to {total}, not 0")


def _stock_and_holds(report: Report) -> None:
    for offer_id, stock in Offer.objects.filter(stock__lt=0).values_list("id", "stock"):
        report.problems.append(f"offer {offer_id} has negative stock {stock}")
    hold = Entry.objects.filter(account__kind=Account.Kind.HOLD).aggregate(t=Sum("amount"))["t"] or 0
    pending = Redemption.objects.filter(status=Redemption.Status.PENDING).aggregate(t=Sum("points"))["t"] or 0
    if hold != pending:
        report.problems.append(f"held points {hold} != pending redemptions {pending}")


def reconcile() -> Report:
    report = Report()
    _transfers(report)
    _accounts(report)
    _stock_and_holds(report)
    return report
