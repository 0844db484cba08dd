from django.urls import path

from civicgrid.servicecircle import views

app_name = "servicecircle"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/recommend/", views.recommend, name="recommend"),
    path("runs/<int:run_id>/places/<int:place_id>/", views.place_panel, name="place_panel"),
    path("runs/<int:run_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("runs/<int:run_id>/export.geojson", views.export_geojson, name="export_geojson"),
    path("recommendations/<int:recommendation_id>/", views.recommendation_detail, name="recommendation"),
    path("places/<int:place_id>/isochrone.json", views.isochrone_json, name="isochrone"),
    path("facilities/", views.facility_list, name="facilities"),
    path("check/", views.compound_check_page, name="check"),
]
