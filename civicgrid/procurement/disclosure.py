"""Open data: awarded purchases in the 360Giving Data Standard's JSON layout (a package `{"grants": [...]}`).

Recipients carry the org-id `CN-USCC-` + their unified social credit code; the funder is the buying office,
named by its administrative division code (GB/T 2260). Only published, awarded purchases are exported."""

from __future__ import annotations

from django.utils import timezone

from civicgrid.procurement.models import Purchase
from civicgrid.procurement.selectors import published

PREFIX = "360G-civicgrid"


def _region_names(codes: set[str]) -> dict[str, str]:
    from civicgrid.territory.models import Region

    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _recipient(organization) -> dict:
    identifier = (f"CN-USCC-{organization.credit_code}" if organization.credit_code
                  else f"XI-CIVICGRID-ORG-{organization.pk}")
    recipient = {"id": identifier, "name": organization.name}
    if organization.credit_code:
        recipient["companyNumber"] = organization.credit_code
    return recipient


def _day(day) -> str:
    """A date as a full date-time at midnight in Beijing: the schema takes either form, but a validator without a
    date-time format checker finds a bare date valid under both branches of its `oneOf` and refuses it."""
    return f"{day.isoformat()}T00:00:00+08:00"


def grant(purchase: Purchase, names: dict[str, str]) -> dict:
    bid = purchase.awarded_bid
    assert bid is not None and purchase.awarded_at is not None and purchase.award_amount is not None
    contract = getattr(purchase, "contract", None)
    office = names.get(purchase.region_code, purchase.region_code)
    out = {
        "id": f"{PREFIX}-{purchase.region_code}-{purchase.pk}",
        "title": purchase.title,
        "description": purchase.description,
        "currency": "CNY",
        "amountAwarded": float(purchase.award_amount),
        "awardDate": timezone.localtime(purchase.awarded_at).isoformat(timespec="seconds"),
        "recipientOrganization": [_recipient(bid.organization)],
        "fundingOrganization": [{"id": f"CN-GB2260-{purchase.region_code}", "name": office,
                                 "department": purchase.budget_line.department}],
        "beneficiaryLocation": [{"name": names.get(code, code), "countryCode": "CN", "geoCode": code,
                                 "geoCodeType": "GB/T 2260"} for code in purchase.beneficiary_regions],
        "fromOpenCall": "Yes",
        "dateModified": timezone.now().isoformat(timespec="seconds"),
    }
    if contract is not None:
        out["plannedDates"] = [{"startDate": _day(contract.starts_on), "endDate": _day(contract.ends_on)}]
        paid = sum((i.amount for i in contract.instalments.all() if i.state == "paid"), start=0)
        if paid:
            out["amountDisbursed"] = float(paid)
    return out


def package() -> dict:
    purchases = list(published().filter(awarded_at__isnull=False).select_related("budget_line")
                     .prefetch_related("contract__instalments"))
    codes = {p.region_code for p in purchases} | {code for p in purchases for code in p.beneficiary_regions}
    names = _region_names(codes)
    return {"version": "1.4", "title": "civicgrid purchases of services", "license":
            "https://creativecommons.org/licenses/by/4.0/",
            "grants": [grant(purchase, names) for purchase in purchases]}
