from django.urls import path

from civicgrid.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.browser, name="browser"),
    path("<str:code>/", views.region_page, name="region"),
]
