"""The organization portal (open calls, its bids, contracts, reports and invoices), evidence downloads, and the
public pages: the disclosure page, one published purchase, the beneficiaries' survey and the 360Giving export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core.errors import DomainError
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404
from civicgrid.procurement import disclosure, orgs, selectors, services
from civicgrid.procurement.models import Evidence, Purchase, Stage
from civicgrid.procurement.webutil import day, number


@login_required
@require_GET
def portal(request):
    context = selectors.portal(actor=request.user)
    if context["organization"] is None:
        raise Http404
    return render(request, "procurement/portal.html", context)


def _call(purchase_id: int) -> Purchase:
    found = selectors.open_calls().filter(pk=purchase_id).first() or Purchase.objects.filter(
        pk=purchase_id, published_at__isnull=False).first()
    if found is None:
        raise Http404
    return found


@login_required
def bid(request, purchase_id):
    """An organization reads a published call, sees whether it is eligible, and bids; later, its own bid."""
    organization = orgs.organization_of(request.user)
    if organization is None:
        raise Http404
    if request.method == "POST":
        return _bid(request, purchase_id)
    call = _call(purchase_id)
    from civicgrid.procurement.services.selection import eligibility_problems

    return render(request, "procurement/bid.html", {
        "call": call, "criteria": call.criteria.all(), "organization": organization,
        "mine": call.bids.filter(organization=organization).first(),
        "problems": eligibility_problems(organization, call) if call.stage == Stage.CALL else []})


@acting("procurement:portal")
def _bid(request, purchase_id):
    services.submit_bid(actor=request.user, purchase_id=purchase_id, amount=request.POST.get("amount", ""),
                        proposal=request.POST.get("proposal", ""),
                        beneficiaries_planned=number(request, "beneficiaries_planned"))
    messages.success(request, _("Your bid was submitted."))
    return redirect("procurement:portal")


@login_required
@require_GET
def contract(request, contract_id):
    """The provider's contract page: milestones, reports with evidence, change requests, invoices."""
    found = found_or_404(selectors.contract_of, actor=request.user, contract_id=contract_id)
    if not orgs.is_member(request.user, found.organization):
        return redirect("procurement:purchase", purchase_id=found.purchase_id)
    return render(request, "procurement/contract.html", {
        "contract": found, "milestones": found.milestones.all(), "reports": found.reports.prefetch_related("evidence"),
        "changes": found.changes.all(), "instalments": found.instalments.all(),
        "evaluation": getattr(found, "evaluation", None), "executing": found.purchase.stage == Stage.CONTRACTED,
        "survey_url": request.build_absolute_uri(f"/procurement/survey/{found.survey_token}/")})


@login_required
@require_POST
@acting("procurement:portal")
def report(request, contract_id):
    services.submit_report(actor=request.user, contract_id=contract_id, text=request.POST.get("text", ""),
                           beneficiaries=number(request, "beneficiaries"),
                           service_hours=request.POST.get("service_hours", "0") or "0",
                           milestone_id=number(request, "milestone") or None, files=request.FILES.getlist("files"))
    messages.success(request, _("Your report was submitted."))
    return redirect("procurement:contract", contract_id=contract_id)


@login_required
@require_POST
@acting("procurement:portal")
def milestone_done(request, milestone_id):
    done = services.complete_milestone(actor=request.user, milestone_id=milestone_id)
    if request.POST.get("back") == "purchase":
        return redirect("procurement:purchase", purchase_id=done.contract.purchase_id)
    return redirect("procurement:contract", contract_id=done.contract_id)


@login_required
@require_POST
@acting("procurement:portal")
def request_change(request, contract_id):
    services.request_change(actor=request.user, contract_id=contract_id, reason=request.POST.get("reason", ""),
                            new_ends_on=day(request, "new_ends_on"),
                            new_deliverables=request.POST.get("new_deliverables", ""))
    messages.success(request, _("Your change request was sent."))
    return redirect("procurement:contract", contract_id=contract_id)


@login_required
@require_POST
@acting("procurement:portal")
def invoice(request, instalment_id):
    sent = services.invoice(actor=request.user, instalment_id=instalment_id,
                            invoice_no=request.POST.get("invoice_no", ""))
    messages.success(request, _("Your invoice was recorded."))
    return redirect("procurement:contract", contract_id=sent.contract_id)


@login_required
@require_GET
def evidence(request, evidence_id):
    """An evidence file, for the contract's buyer and provider only."""
    found = Evidence.objects.select_related("report").filter(pk=evidence_id).first()
    if found is None:
        raise Http404
    found_or_404(selectors.contract_of, actor=request.user, contract_id=found.report.contract_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


# --- public ---------------------------------------------------------------------------------------------------

@require_GET
def disclosure_page(request):
    return render(request, "procurement/disclosure.html", {
        "calls": selectors.published().filter(stage=Stage.CALL),
        "awards": selectors.published().filter(awarded_at__isnull=False),
        "evaluations": selectors.evaluations_published().order_by("-evaluated_at")[:100]})


@require_GET
def public_purchase(request, purchase_id):
    found = found_or_404(selectors.get_published, purchase_id=purchase_id)
    contract = getattr(found, "contract", None)
    return render(request, "procurement/public_purchase.html", {
        "purchase": found, "criteria": found.criteria.all(), "contract": contract,
        "evaluation": getattr(contract, "evaluation", None) if contract else None,
        "value": selectors.value_for_money(contract) if contract else None, "need": selectors.need_now(found)})


def survey(request, token):
    """The beneficiaries' satisfaction survey, opened from a phone link or QR code: no account, no name."""
    from civicgrid.procurement.models import Contract

    contract = Contract.objects.select_related("purchase").filter(survey_token=token).first()
    if contract is None or contract.purchase.stage not in (Stage.CONTRACTED, Stage.EVALUATED):
        raise Http404
    if request.method == "POST":
        try:
            services.give_feedback(token=token, satisfaction=request.POST.get("satisfaction", ""),
                                   comment=request.POST.get("comment", ""))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("procurement:survey", token=token)
        return render(request, "procurement/survey.html", {"contract": contract, "thanks": True})
    return render(request, "procurement/survey.html", {"contract": contract, "thanks": False})


@require_GET
def giving_json(request):
    """Awarded purchases in the 360Giving Data Standard's JSON layout (open data)."""
    response = JsonResponse(disclosure.package(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="civicgrid-360giving.json"'
    return response
