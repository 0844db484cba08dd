app_name = "volunteering"
urlpatterns: list = []
