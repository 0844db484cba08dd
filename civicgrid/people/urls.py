from django.urls import path

from civicgrid.people import views  # noqa: F401

app_name = "people"
urlpatterns: list = []
