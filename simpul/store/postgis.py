"""The PostgreSQL/PostGIS store: reading for serving, writing for publishing."""

from .postgis_read import PostGISStore
from .postgis_write import PostGISWriter

__all__ = ["PostGISStore", "PostGISWriter"]
