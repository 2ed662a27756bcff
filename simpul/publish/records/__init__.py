"""Catalogue records built at publishing: derived facts, operator metadata, node."""

from simpul.publish.records.collection import ensure_catalogue_collection
from simpul.publish.records.record import publish_record, remove_record

__all__ = ["ensure_catalogue_collection", "publish_record", "remove_record"]
