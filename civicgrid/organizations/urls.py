from django.urls import path  # noqa: F401 - the pages come with the views

app_name = "organizations"
urlpatterns: list = []

PUBLIC_ROUTES: dict[str, str] = {}
