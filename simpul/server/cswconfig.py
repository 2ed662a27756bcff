"""pycsw's configuration, derived from the node's own for one public base URL."""

from __future__ import annotations

from typing import Any

from simpul.catalogue.node import Node, text
from simpul.catalogue.repository import TABLE, database_url

#: The largest page a CSW client gets, whatever maxRecords it asks for.
MAX_RECORDS = 100
#: The contact fields pycsw's capabilities read, all of which must be present.
CONTACT_KEYS = (
    "name position address city stateorprovince postalcode country phone fax "
    "email url hours instructions role"
).split()


def pycsw_config(config: dict[str, Any], node: Node, base_url: str) -> dict[str, Any]:
    """Return the pycsw configuration serving the catalogue at *base_url*/csw."""
    metadata = config.get("metadata") or {}
    identification = metadata.get("identification") or {}
    keywords = identification.get("keywords") or []
    if isinstance(keywords, dict):
        keywords = keywords.get("id") or next(iter(keywords.values()), [])
    given = metadata.get("contact") or {}
    contact = {key: text(given.get(key)) for key in CONTACT_KEYS}
    contact["role"] = contact["role"] or "pointOfContact"
    return {
        "server": {
            "url": f"{base_url.rstrip('/')}/csw",
            "mimetype": "application/xml; charset=UTF-8",
            "encoding": "UTF-8",
            # pycsw's own messages are English, and it knows no code for Indonesian.
            "language": "en-US",
            "maxrecords": MAX_RECORDS,
            "pretty_print": False,
        },
        "logging": {"level": "ERROR"},
        "profiles": ["apiso"],
        # Transactions and Harvest stay off: the catalogue changes only by publishing.
        "manager": {"transactions": False, "allowed_ips": []},
        "metadata": {
            "identification": {
                "title": text(identification.get("title")),
                "description": text(identification.get("description")),
                "keywords": [str(k) for k in keywords],
                "keywords_type": identification.get("keywords_type", "theme"),
                "fees": "None",
                "accessconstraints": "None",
                "terms_of_service": text(identification.get("terms_of_service")),
                "url": text(identification.get("url")),
            },
            "license": dict(metadata.get("license") or {}),
            "provider": {
                "name": node.organisasi
                or text((metadata.get("provider") or {}).get("name")),
                "url": text((metadata.get("provider") or {}).get("url")),
            },
            "contact": contact,
            "inspire": {"enabled": False},
        },
        "repository": {"database": database_url(node.database), "table": TABLE},
    }
