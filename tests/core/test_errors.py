import pytest
from django.test import Client, override_settings
from django.urls import include, path


def _boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", _boom), path("", include("civicgrid.urls"))]
handler500 = "civicgrid.core.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_unexpected_error_shows_a_generic_page_with_a_correlation_id(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    correlation_id = response["X-Correlation-ID"]
    assert correlation_id in body and "kaboom" not in body
    assert any(correlation_id in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_unknown_page_is_a_404_page():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
