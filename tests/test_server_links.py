"""Links carry the public base URL: configured, or from a trusted proxy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "geoportal.banjarbarukota.go.id",
    "X-Forwarded-Prefix": "/simpul",
}


def trust(*proxies: str) -> Callable[[dict[str, Any]], None]:
    """Return a config edit listing *proxies* as trusted."""

    def edit(config: dict[str, Any]) -> None:
        config["simpul"]["trusted_proxies"] = list(proxies)

    return edit


def hrefs(url: str, **headers: str) -> list[str]:
    """Return every link href of the landing page."""
    response = requests.get(url, headers=headers, timeout=10)
    assert response.status_code == 200
    return [link["href"] for link in response.json()["links"]]


def test_links_use_the_configured_url(node):
    links = [h for h in hrefs(node.url) if "banjarbarukota.go.id" not in h]

    assert links
    assert all(h.startswith(node.url) for h in links)


def test_trusted_proxy_headers_set_scheme_host_and_prefix(start_node):
    node = start_node(trust("127.0.0.0/8"))

    links = hrefs(f"{node.url}/collections", **FORWARDED)

    base = "https://geoportal.banjarbarukota.go.id/simpul"
    assert f"{base}/collections?f=json" in links
    assert all(h.startswith(base) for h in links)


def test_trusted_proxy_also_sets_openapi_server_url(start_node):
    node = start_node(trust("127.0.0.1"))

    document = requests.get(f"{node.url}/openapi", headers=FORWARDED, timeout=10)

    servers = document.json()["servers"]
    assert servers[0]["url"] == "https://geoportal.banjarbarukota.go.id/simpul"


def test_untrusted_client_forwarded_headers_are_ignored(start_node):
    node = start_node(trust("10.9.8.7/32"))

    links = hrefs(f"{node.url}/collections", **FORWARDED)

    assert not any("geoportal" in h or h.startswith("https") for h in links)
    assert f"{node.url}/collections?f=json" in links


def test_bad_forwarded_host_is_ignored_even_from_a_trusted_proxy(start_node):
    node = start_node(trust("127.0.0.1"))

    links = hrefs(node.url, **{**FORWARDED, "X-Forwarded-Host": 'evil"><script>'})

    host = node.url.split("://", 1)[1]
    assert f"https://{host}/simpul/conformance" in links
