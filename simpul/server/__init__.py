"""The node's ASGI server: OGC APIs over pygeoapi, reloading as data is published."""
