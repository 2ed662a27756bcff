"""Work out the public base URL of a request, trusting only known proxies."""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from simpul.nodeconfig import IPNetwork

LOGGER = logging.getLogger(__name__)

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_PREFIX = re.compile(r"^(/[A-Za-z0-9._~\-]+)*/?$")


def is_trusted(client_host: str | None, proxies: Iterable[IPNetwork]) -> bool:
    """Tell whether *client_host* lies in one of the trusted proxy networks."""
    if not client_host:
        return False
    try:
        address = ipaddress.ip_address(client_host)
    except ValueError:
        return False
    return any(address in network for network in proxies)


def public_base_url(
    configured: str,
    headers: Mapping[str, str],
    client_host: str | None,
    proxies: Iterable[IPNetwork],
) -> str:
    """Return *configured*, overridden by X-Forwarded-* from a trusted proxy."""
    configured = configured.rstrip("/")
    if not is_trusted(client_host, proxies):
        return configured

    scheme, netloc, path, _, _ = urlsplit(configured)
    proto = _first(headers.get("x-forwarded-proto"))
    host = _first(headers.get("x-forwarded-host"))
    prefix = _first(headers.get("x-forwarded-prefix"))

    if proto is not None and proto.lower() in ("http", "https"):
        scheme = proto.lower()
    if host is not None and _HOST.match(host):
        netloc = host
    if prefix is not None and _PREFIX.match(prefix):
        path = prefix
    return urlunsplit((scheme, netloc, path.rstrip("/"), "", ""))


def _first(value: str | None) -> str | None:
    """Return the first of a comma-separated header's values (the outermost hop)."""
    if value is None:
        return None
    first = value.split(",")[0].strip()
    return first or None
