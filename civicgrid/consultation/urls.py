
app_name = "consultation"
urlpatterns: list = []
PUBLIC_ROUTES: dict[str, str] = {}
