from django.urls import path

from civicgrid.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<str:code>/", views.region_page, name="region"),
    path("rankings/", views.rankings, name="rankings"),
    path("brief/", views.brief, name="brief"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:report_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("targets/", views.set_target, name="set_target"),
]
