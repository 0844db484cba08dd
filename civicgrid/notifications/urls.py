from django.urls import path

from civicgrid.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# Reachable without signing in, on purpose (url name, reason).
PUBLIC_ROUTES = (
    ("unsubscribe", "the link in every e-mail stops that kind of e-mail; the signed token names user and kind"),
)
