from django.urls import path

from civicgrid.people import views

app_name = "people"
urlpatterns = [
    path("residents/", views.resident_list, name="residents"),
    path("residents/export.xlsx", views.resident_export, name="export"),
    path("residents/lookup/", views.resident_lookup, name="lookup"),
    path("residents/import/", views.resident_import, name="import"),
    path("residents/import/template.xlsx", views.import_template, name="import_template"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="reveal"),
    path("staff/", views.staff_list, name="staff"),
]
