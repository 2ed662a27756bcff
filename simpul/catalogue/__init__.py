"""The node's catalogue: records built at publishing, served by Records and CSW."""

from simpul.catalogue.publish import publish_record, remove_record

__all__ = ["publish_record", "remove_record"]
