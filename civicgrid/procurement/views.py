"""Pages of the buying offices and the expert panel: the pipeline board, budget lines, the catalogue, a purchase
from its need to its payment, the panel's declaration and scores, the evaluation form and the xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core.scoping import area_of, managed_area_of, manages
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404
from civicgrid.procurement import exporting, orgs, selectors, services
from civicgrid.procurement.models import Indicator, NeedKind, ServiceField, Stage
from civicgrid.procurement.webutil import dated, day, number, pairs, prefixed


def _staff(request):
    if area_of(request.user) is None:
        raise Http404
    return request.user


@login_required
@require_GET
def board(request):
    """The purchase pipeline by stage (kanban). Organizations go to their portal."""
    if area_of(request.user) is None:
        if orgs.organization_of(request.user) is not None:
            return redirect("procurement:portal")
        return redirect("procurement:disclosure")
    return render(request, "procurement/board.html", {
        "columns": selectors.board(actor=request.user), "manager": managed_area_of(request.user) is not None,
        "reviews": request.user.procurement_reviews.select_related("purchase").exclude(
            purchase__stage=Stage.CANCELLED)[:50]})


@login_required
@require_GET
def budget(request):
    user = _staff(request)
    lines = selectors.budget_lines(actor=user)
    return render(request, "procurement/budget.html", {
        "lines": lines, "rate": selectors.execution_rate(lines), "manager": managed_area_of(user) is not None,
        "area": managed_area_of(user) or ""})


@login_required
@require_POST
@acting("procurement:budget")
def add_budget_line(request):
    services.add_budget_line(actor=request.user, region_code=request.POST.get("region_code", ""),
                             year=number(request, "year"), department=request.POST.get("department", ""),
                             amount=request.POST.get("amount", ""))
    messages.success(request, _("The budget line was added."))
    return redirect("procurement:budget")


@login_required
@require_GET
def catalogue(request):
    _staff(request)
    return render(request, "procurement/catalogue.html", {
        "items": selectors.catalogue(active_only=False), "fields": ServiceField.choices,
        "natures": [("service", _("Public service")), ("goods", _("Goods")), ("works", _("Construction works")),
                    ("staffing", _("Labour dispatch (staffing)"))]})


@login_required
@require_POST
@acting("procurement:catalogue")
def add_catalogue_item(request):
    services.add_catalogue_item(actor=request.user, code=request.POST.get("code", ""),
                                name=request.POST.get("name", ""), field=request.POST.get("field", ""),
                                nature=request.POST.get("nature", "service"),
                                priority=request.POST.get("priority") == "on",
                                description=request.POST.get("description", ""))
    messages.success(request, _("The catalogue item was added."))
    return redirect("procurement:catalogue")


@login_required
def start(request):
    """A new purchase, prefilled from a measured need (?need=gap&category=…&regions=…)."""
    user = _staff(request)
    if request.method == "POST":
        return _start(request)
    need = {"kind": request.GET.get("need", ""), "category": request.GET.get("category", ""),
            "regions": request.GET.get("regions", "")}
    return render(request, "procurement/start.html", {
        "lines": selectors.budget_lines_managed(actor=user),
        "items": selectors.catalogue(), "need": need, "kinds": NeedKind.choices[1:]})


@acting("procurement:start")
def _start(request):
    purchase = services.start_purchase(
        actor=request.user, budget_line_id=number(request, "budget_line"), item_id=number(request, "item"),
        title=request.POST.get("title", ""), description=request.POST.get("description", ""),
        ceiling=request.POST.get("ceiling", ""), recurring=request.POST.get("recurring") == "on",
        need_kind=request.POST.get("need_kind", ""), need_category=request.POST.get("need_category", ""),
        need_regions=request.POST.get("need_regions", "").replace("，", ",").split(","),
        nature=request.POST.get("nature", "service"))
    messages.success(request, _("The purchase was started."))
    return redirect("procurement:purchase", purchase_id=purchase.pk)


def _contract_context(user, purchase) -> dict:
    contract = getattr(purchase, "contract", None)
    if contract is None:
        return {"contract": None}
    return {"contract": contract, "milestones": contract.milestones.all(), "instalments": contract.instalments.all(),
            "reports": contract.reports.prefetch_related("evidence"), "changes": contract.changes.all(),
            "evaluation": getattr(contract, "evaluation", None), "value": selectors.value_for_money(contract),
            "feedback_count": contract.feedback.count()}


@login_required
@require_GET
def purchase(request, purchase_id):
    found = found_or_404(selectors.get_purchase, actor=request.user, purchase_id=purchase_id)
    buyer = selectors.is_buyer(request.user, found)
    if not buyer and selectors.seat_of(actor=request.user, purchase=found) is None:
        return redirect("procurement:bid", purchase_id=found.pk)  # a bidder's own page
    context = {"purchase": found, "buyer": buyer, "manager": manages(request.user, found.region_code),
               "criteria": found.criteria.all(), "bids": selectors.bids_for(actor=request.user, purchase=found),
               "ranking": selectors.ranking(found) if buyer else [],
               "reviewers": found.reviewers.select_related("user"),
               "need": selectors.need_now(found), "seat": selectors.seat_of(actor=request.user, purchase=found)}
    context.update(_contract_context(request.user, found))
    if context["contract"] is not None:
        context["survey_url"] = request.build_absolute_uri(f"/procurement/survey/{context['contract'].survey_token}/")
    return render(request, "procurement/purchase.html", context)


@login_required
@require_POST
@acting("procurement:board")
def publish_call(request, purchase_id):
    services.publish_call(actor=request.user, purchase_id=purchase_id, call_text=request.POST.get("call_text", ""),
                          bid_deadline=day(request, "bid_deadline"),
                          criteria=[(name, int(w) if w.isdigit() else 0)
                                    for name, w in pairs(request, "criterion", "weight")],
                          min_rating=number(request, "min_rating", 3), clean_years=number(request, "clean_years", 3))
    messages.success(request, _("The call was published."))
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def close_call(request, purchase_id):
    services.close_call(actor=request.user, purchase_id=purchase_id)
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def cancel(request, purchase_id):
    services.cancel_purchase(actor=request.user, purchase_id=purchase_id, reason=request.POST.get("reason", ""))
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def add_reviewer(request, purchase_id):
    services.add_reviewer(actor=request.user, purchase_id=purchase_id, username=request.POST.get("username", ""))
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def declare(request, purchase_id):
    services.declare(actor=request.user, purchase_id=purchase_id, conflict=request.POST.get("conflict") == "yes",
                     note=request.POST.get("note", ""))
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def score(request, bid_id):
    values = {int(k): v for k, v in prefixed(request, "c").items() if k.isdigit()}
    services.score_bid(actor=request.user, bid_id=bid_id, values=values)
    messages.success(request, _("Your scores were saved."))
    purchase_id = request.POST.get("purchase", "")
    return redirect("procurement:purchase", purchase_id=purchase_id) if purchase_id.isdigit() else redirect(
        "procurement:board")


@login_required
@require_POST
@acting("procurement:board")
def award(request, purchase_id):
    services.award(actor=request.user, purchase_id=purchase_id, bid_id=number(request, "bid"),
                   reason=request.POST.get("reason", ""))
    messages.success(request, _("The purchase was awarded."))
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def sign_contract(request, purchase_id):
    services.sign_contract(
        actor=request.user, purchase_id=purchase_id, starts_on=day(request, "starts_on"),
        ends_on=day(request, "ends_on"), deliverables=request.POST.get("deliverables", ""),
        kpis=[{"name": name, "target": target} for name, target in pairs(request, "kpi", "target")],
        instalments=dated(request, "instalment", "due_on"), milestones=dated(request, "milestone", "milestone_due"),
        beneficiaries_target=number(request, "beneficiaries_target"))
    messages.success(request, _("The contract was signed."))
    return redirect("procurement:purchase", purchase_id=purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def decide_change(request, change_id):
    change = services.decide_change(actor=request.user, change_id=change_id,
                                    approve=request.POST.get("decision") == "approve",
                                    note=request.POST.get("note", ""))
    return redirect("procurement:purchase", purchase_id=change.contract.purchase_id)


@login_required
def evaluate(request, contract_id):
    """The performance-evaluation form: the template's indicators, the beneficiaries' survey beside them."""
    contract = found_or_404(selectors.contract_of, actor=request.user, contract_id=contract_id)
    if not selectors.is_buyer(request.user, contract.purchase):
        raise Http404
    if request.method == "POST":
        return _evaluate(request, contract)
    from civicgrid.procurement.services.evaluation import beneficiary_score, pass_mark

    return render(request, "procurement/evaluate.html", {
        "contract": contract, "indicators": Indicator.objects.filter(active=True),
        "survey": beneficiary_score(contract), "pass_mark": pass_mark(), "value": selectors.value_for_money(contract),
        "evaluation": getattr(contract, "evaluation", None)})


@acting("procurement:board")
def _evaluate(request, contract):
    services.evaluate(actor=request.user, contract_id=contract.pk, scores=prefixed(request, "buyer_"),
                      third_party_scores=prefixed(request, "third_"), third_party=request.POST.get("third_party", ""),
                      comment=request.POST.get("comment", ""))
    messages.success(request, _("The evaluation was saved."))
    return redirect("procurement:purchase", purchase_id=contract.purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def accept(request, contract_id):
    services.accept(actor=request.user, contract_id=contract_id, note=request.POST.get("note", ""))
    contract = selectors.contract_of(actor=request.user, contract_id=contract_id)
    return redirect("procurement:purchase", purchase_id=contract.purchase_id)


@login_required
@require_POST
@acting("procurement:board")
def pay(request, instalment_id):
    paid = services.pay(actor=request.user, instalment_id=instalment_id)
    messages.success(request, _("The instalment was paid."))
    return redirect("procurement:purchase", purchase_id=paid.contract.purchase_id)


@login_required
@require_GET
def export(request):
    user = _staff(request)
    return exporting.workbook_response(purchases=selectors.purchases(actor=user),
                                       lines=selectors.budget_lines(actor=user))
