from django.urls import path

from civicgrid.basemap import views

app_name = "basemap"
urlpatterns = [
    path("tiles/<int:z>/<int:x>/<int:y>.geojson", views.tile, name="tile"),
    path("where/", views.where, name="where"),
]

# Reachable without signing in, on purpose (url name, reason).
PUBLIC_ROUTES = (
    ("tile", "base-map tiles: public streets, compound outlines without names, and division names; no record data"),
    ("where", "names the grid, community and subdistrict of a point: public administrative divisions only"),
)
