"""The node's catalogue: records built at publishing, served by Records and CSW."""

from simpul.catalogue.collection import ensure_catalogue_collection
from simpul.catalogue.publish import publish_record, remove_record

__all__ = ["ensure_catalogue_collection", "publish_record", "remove_record"]
