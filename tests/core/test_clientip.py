"""Forwarded headers are believed only from trusted proxies: in the client address (audit, axes, the
follow-page throttle) and in the scheme."""

import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.test import Client, RequestFactory

from civicgrid.core.clientip import TrustedProxyMiddleware, client_ip
from civicgrid.core.errors import ConfigurationError
from civicgrid.core.models import AuditEvent
from tests.conftest import PASSWORD

PROXY, CLIENT, SPOOFED = "10.0.0.2", "198.51.100.7", "192.0.2.66"


def _ip(remote_addr, forwarded=None) -> str:
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers))


def test_without_trusted_proxies_forwarded_for_is_ignored():
    assert _ip(PROXY, CLIENT) == PROXY


def test_an_untrusted_peer_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert _ip("203.0.113.5", CLIENT) == "203.0.113.5"


def test_a_trusted_proxy_gives_the_right_most_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.8.0.0/16"]
    assert _ip(PROXY, CLIENT) == CLIENT
    assert _ip(PROXY, f"{SPOOFED}, {CLIENT}, 10.8.4.1") == CLIENT  # the client's own header is left of ours
    assert _ip("10.8.9.9", CLIENT) == CLIENT  # CIDR
    assert _ip(PROXY, "") == PROXY and _ip(PROXY, "not-an-address") == PROXY
    assert _ip(PROXY, f"{SPOOFED}, garbage, 10.8.4.1") == "10.8.4.1"


def test_ipv6_networks(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    assert _ip("fd00::1", "2001:db8::5") == "2001:db8::5"


def test_a_malformed_setting_is_a_configuration_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ConfigurationError):
        _ip(PROXY, CLIENT)


def _scheme(remote_addr) -> tuple[str, str]:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr,
                                   headers={"x-forwarded-proto": "https", "x-forwarded-for": CLIENT})
    response = TrustedProxyMiddleware(lambda r: HttpResponse(r.scheme))(request)
    return response.content.decode(), request.META.get("HTTP_X_FORWARDED_FOR", "")


def test_forwarded_proto_is_believed_only_from_a_trusted_proxy(settings):
    assert _scheme(PROXY) == ("http", "")
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _scheme("203.0.113.5") == ("http", "")
    assert _scheme(PROXY) == ("https", CLIENT)


def _sign_in(users, remote_addr, forwarded, password=PASSWORD):
    Client(REMOTE_ADDR=remote_addr).post("/accounts/login/", {"username": users["resident"].username,
                                                              "password": password},
                                         headers={"x-forwarded-for": forwarded})


@pytest.mark.django_db
def test_audit_events_record_the_real_client_address(users, settings):
    _sign_in(users, "203.0.113.5", SPOOFED)
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    _sign_in(users, PROXY, f"{SPOOFED}, {CLIENT}")
    _sign_in(users, "203.0.113.6", SPOOFED)
    ips = list(AuditEvent.objects.filter(action="accounts.login").order_by("id").values_list("ip", flat=True))
    assert ips == ["203.0.113.5", CLIENT, "203.0.113.6"]


@pytest.mark.django_db
def test_failed_sign_ins_are_recorded_against_the_real_client_address(users, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    _sign_in(users, "203.0.113.5", SPOOFED, password="wrong")
    _sign_in(users, PROXY, CLIENT, password="wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5", CLIENT}


def _follow(remote_addr, forwarded, attempt):
    client = Client(REMOTE_ADDR=remote_addr)
    return client.get("/cases/follow/", {"number": f"C{attempt:09d}", "last4": "0000"},
                      headers={"x-forwarded-for": forwarded}).status_code


@pytest.mark.django_db
def test_the_follow_throttle_counts_the_real_client(settings):
    from civicgrid.cases.selectors import FOLLOW_THROTTLE_PER_CLIENT

    limit = FOLLOW_THROTTLE_PER_CLIENT.limit
    # an untrusted peer changing X-Forwarded-For on every guess is still one client
    assert {_follow("203.0.113.5", f"192.0.2.{n}", n) for n in range(limit)} == {200}
    assert _follow("203.0.113.5", "192.0.2.250", limit) == 429
    # behind a trusted proxy, each client is counted apart and the proxy itself is never locked out
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert {_follow(PROXY, CLIENT, 1000 + n) for n in range(limit)} == {200}
    assert _follow(PROXY, CLIENT, 2000) == 429
    assert _follow(PROXY, SPOOFED, 2001) == 200
