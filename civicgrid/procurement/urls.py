from django.urls import path

from civicgrid.procurement import portal_views, views

app_name = "procurement"
urlpatterns = [
    path("", views.board, name="board"),
    path("budget/", views.budget, name="budget"),
    path("budget/new/", views.add_budget_line, name="add_budget_line"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.add_catalogue_item, name="add_catalogue_item"),
    path("new/", views.start, name="start"),
    path("purchases/<int:purchase_id>/", views.purchase, name="purchase"),
    path("purchases/<int:purchase_id>/call/", views.publish_call, name="publish_call"),
    path("purchases/<int:purchase_id>/close/", views.close_call, name="close_call"),
    path("purchases/<int:purchase_id>/cancel/", views.cancel, name="cancel"),
    path("purchases/<int:purchase_id>/reviewers/", views.add_reviewer, name="add_reviewer"),
    path("purchases/<int:purchase_id>/declare/", views.declare, name="declare"),
    path("purchases/<int:purchase_id>/award/", views.award, name="award"),
    path("purchases/<int:purchase_id>/contract/", views.sign_contract, name="sign_contract"),
    path("purchases/<int:purchase_id>/bid/", portal_views.bid, name="bid"),
    path("bids/<int:bid_id>/score/", views.score, name="score"),
    path("contracts/<int:contract_id>/", portal_views.contract, name="contract"),
    path("contracts/<int:contract_id>/reports/", portal_views.report, name="report"),
    path("contracts/<int:contract_id>/changes/", portal_views.request_change, name="request_change"),
    path("contracts/<int:contract_id>/evaluation/", views.evaluate, name="evaluate"),
    path("contracts/<int:contract_id>/accept/", views.accept, name="accept"),
    path("changes/<int:change_id>/decide/", views.decide_change, name="decide_change"),
    path("milestones/<int:milestone_id>/done/", portal_views.milestone_done, name="milestone_done"),
    path("instalments/<int:instalment_id>/invoice/", portal_views.invoice, name="invoice"),
    path("instalments/<int:instalment_id>/pay/", views.pay, name="pay"),
    path("evidence/<int:evidence_id>/", portal_views.evidence, name="evidence"),
    path("portal/", portal_views.portal, name="portal"),
    path("export.xlsx", views.export, name="export"),
    path("disclosure/", portal_views.disclosure_page, name="disclosure"),
    path("disclosure/<int:purchase_id>/", portal_views.public_purchase, name="public_purchase"),
    path("disclosure/360giving.json", portal_views.giving_json, name="giving_json"),
    path("survey/<str:token>/", portal_views.survey, name="survey"),
]

PUBLIC_ROUTES = {
    "disclosure": "信息公开 (财政部令第102号): published calls, awards with their reasons and performance evaluations",
    "public_purchase": "one published purchase: its call, award, contract period and evaluation; 404 before the "
                       "call is published",
    "giving_json": "open data: awarded purchases in the 360Giving JSON layout (organizations by credit code, "
                   "no personal data)",
    "survey": "the beneficiaries' anonymous satisfaction survey behind a contract's phone link (an unguessable "
              "token); it shows the service's title and a form, nothing else",
}
