"""The store's errors as pygeoapi provider errors, which carry the HTTP status."""

from __future__ import annotations

from http import HTTPStatus

from pygeoapi.provider.base import ProviderConnectionError, ProviderGenericError

from simpul.store.base import StoreError, StoreUnavailable


class StoreUnavailableError(ProviderGenericError):
    """The store cannot answer now (unreachable, or a query ran out of time)."""

    ogc_exception_code = "ServiceUnavailable"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_msg = "the data store is not available now; try again later"


def provider_error(err: StoreError) -> ProviderGenericError:
    """Return the provider error answering a store error: 503 when transient."""
    if isinstance(err, StoreUnavailable):
        return StoreUnavailableError(str(err), user_msg=str(err))
    return ProviderConnectionError(str(err))
