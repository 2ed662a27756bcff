"""Public base URL from the configuration and trusted X-Forwarded-* headers."""

from __future__ import annotations

import ipaddress

import pytest

from simpul.server.baseurl import is_trusted, public_base_url

CONFIGURED = "http://localhost:5000"
PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


@pytest.mark.parametrize(
    ("client", "trusted"),
    [
        ("10.1.2.3", True),
        ("::1", True),
        ("11.0.0.1", False),
        ("127.0.0.1", False),
        ("not-an-ip", False),
        (None, False),
    ],
)
def test_trust_follows_the_configured_networks(client, trusted):
    assert is_trusted(client, PROXIES) is trusted


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, CONFIGURED),
        ({"x-forwarded-proto": "https"}, "https://localhost:5000"),
        ({"x-forwarded-host": "geo.go.id"}, "http://geo.go.id"),
        ({"x-forwarded-prefix": "/simpul/"}, "http://localhost:5000/simpul"),
        (
            {"x-forwarded-proto": "https, http", "x-forwarded-host": "a.id, b.local"},
            "https://a.id",
        ),
        ({"x-forwarded-proto": "gopher"}, CONFIGURED),
        ({"x-forwarded-host": "a.id/evil?x="}, CONFIGURED),
        ({"x-forwarded-prefix": "/a b"}, CONFIGURED),
    ],
)
def test_trusted_proxy_headers_override_parts(headers, expected):
    assert public_base_url(CONFIGURED, headers, "10.0.0.5", PROXIES) == expected


def test_untrusted_client_gets_the_configured_url():
    headers = {"x-forwarded-proto": "https", "x-forwarded-host": "evil.example"}

    assert public_base_url(CONFIGURED + "/", headers, "8.8.8.8", PROXIES) == CONFIGURED
