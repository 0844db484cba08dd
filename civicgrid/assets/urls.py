from django.urls import path

from civicgrid.assets import views

app_name = "assets"

urlpatterns = [
    path("import/", views.import_page, name="import"),
]
PUBLIC_ROUTES: dict[str, str] = {}
