"""Whose address a request is: X-Forwarded-For is believed only from TRUSTED_PROXIES."""

from __future__ import annotations

from django.test import RequestFactory

from core.client import client_ip
from core.envsettings import parse_networks


def _request(remote: str, forwarded_for: str):
    return RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_a_proxy_listed_by_its_address_alone_is_trusted(settings):
    settings.TRUSTED_PROXIES = parse_networks("192.0.2.7")
    assert client_ip(_request("192.0.2.7", "198.51.100.1")) == "198.51.100.1"
    assert client_ip(_request("192.0.2.8", "198.51.100.1")) == "192.0.2.8"


def test_an_ipv6_proxy_network_is_trusted_and_an_ipv4_client_is_not_mistaken_for_it(settings):
    settings.TRUSTED_PROXIES = parse_networks("fd00::/8, 10.0.0.0/8")
    assert client_ip(_request("fd00::2", "2001:db8::1, 10.0.0.9")) == "2001:db8::1"
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_with_no_trusted_proxies_the_connections_own_address_counts(settings):
    settings.TRUSTED_PROXIES = parse_networks("")
    assert client_ip(_request("10.0.0.2", "198.51.100.1")) == "10.0.0.2"


def test_a_garbled_x_forwarded_for_falls_back_to_the_proxys_address(settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    assert client_ip(_request("10.0.0.2", "not-an-address")) == "10.0.0.2"
