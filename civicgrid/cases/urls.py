from django.urls import path

from civicgrid.cases import duplicate_views, public_views, report_views, stats_views, views, views_loop

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", report_views.report, name="report"),
    path("report/nearby/", duplicate_views.nearby, name="nearby"),
    path("mine/", views.mine, name="mine"),
    path("follow/", views.follow, name="follow"),
    path("public/", public_views.public_list, name="public_list"),
    path("public/<str:number>/", public_views.public_detail, name="public_detail"),
    path("desk/", views.desk, name="desk"),
    path("desk/bulk/", views.bulk, name="bulk"),
    path("unit/", views.unit_desk, name="unit_desk"),
    path("patrol/", views.patrol, name="patrol"),
    path("import/", views.hotline_import, name="import"),
    path("import/results.csv", views_loop.export_csv, name="hotline_export_csv"),
    path("import/results.xlsx", views_loop.export_xlsx, name="hotline_export_xlsx"),
    path("callbacks/", views_loop.callbacks, name="callbacks"),
    path("statistics/", stats_views.statistics, name="statistics"),
    path("statistics.xlsx", stats_views.export, name="export"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("photos/<int:photo_id>/thumb/", views.photo, {"size": "thumb"}, name="photo_thumb"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/act/", views.act, name="act"),
    path("<int:case_id>/join/", duplicate_views.join, name="join"),
    path("<int:case_id>/moderate/", views.moderate, name="moderate"),
    path("<int:case_id>/callback/", views_loop.callback_screen, name="callback"),
    path("<int:case_id>/explanation/", views_loop.explanation, name="explanation"),
    path("<int:case_id>/requests/", views_loop.request_ask, name="request_ask"),
    path("<int:case_id>/requests/decide/", views_loop.request_decide, name="request_decide"),
]

# Reachable without signing in, on purpose (url name, reason).
PUBLIC_ROUTES = (
    ("public_list", "published cases only (reporter asked, staff approved), moderated text, points rounded to ~100 m"),
    ("public_detail", "one published case, same public fields; any other number is 404"),
    ("follow", "a reporter follows his case by number and the last 4 digits of his phone (throttled)"),
)
