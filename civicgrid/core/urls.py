from django.urls import path

from civicgrid.core import audit_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", audit_views.audit_page, name="audit"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
]
