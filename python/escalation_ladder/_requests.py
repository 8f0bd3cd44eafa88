"""Python values into the operations' JSON requests, and JSON answers back.

A request is the operation's own (the same one the HTTP service reads from
a body and the C ABI's ``el_call`` takes); this module only writes Python
values as JSON: dicts and lists as they are, dates as ``YYYY-MM-DD``, and
typed objects (dataclasses, pydantic models, named tuples, anything with
``to_dict()``) as their dicts. The library checks every value.
"""

import dataclasses
import datetime
import json
from typing import Any

import numpy as np

from . import _native
from ._registry import iso_date

__all__ = ["call", "dumps", "document"]


def _default(value: Any) -> Any:
    if isinstance(value, (datetime.date, np.datetime64)):
        return iso_date(value, "date")
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    for method in ("to_dict", "model_dump", "_asdict"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise _native.invalid_value(
        "request",
        "expected JSON values (dicts, lists, text, numbers, dates) or typed objects with to_dict()",
        type(value).__name__,
    )


def dumps(value: Any) -> bytes:
    """``value`` as JSON bytes.

    >>> import datetime
    >>> dumps({"on": datetime.date(2026, 12, 21), "n": np.int64(5)})
    b'{"on": "2026-12-21", "n": 5}'
    """
    try:
        return json.dumps(value, default=_default, allow_nan=False).encode("utf-8")
    except ValueError as error:
        if isinstance(error, _native_error_types()):
            raise
        raise _native.invalid_value("request", "expected JSON values", str(error)) from None


def _native_error_types() -> tuple:
    from ._errors import EscalationLadderError

    return (EscalationLadderError,)


def document(value: Any) -> Any:
    """A document the caller gave: JSON text is read, anything else kept
    (it is written with the request)."""
    if isinstance(value, (str, bytes, bytearray)):
        try:
            return json.loads(value)
        except ValueError:
            pass  # the library says what is wrong with it
    return value


def call(
    registry: "_native.Registry",
    operation: str,
    request: Any,
    payload: Any = None,
    route_id: Any = None,
) -> Any:
    """``ops::call_at``: the answer as Python objects (JSON), as text for an
    answer in text (a CSV report, an HTML page, an iCalendar file, JSON
    Lines), or as bytes for the workbook (``format="xlsx"``)."""
    media_type, body = registry.call(operation, dumps(request), payload, route_id)
    if media_type == "application/json":
        return json.loads(body)
    if media_type == _WORKBOOK:
        return body
    return body.decode("utf-8")


# The one binary answer: `report`'s Excel workbook (format ``xlsx``).
_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
