"""Working days over numpy arrays and pandas columns: add, count, the bank
holidays, and why an answer is what it is.

The counting convention is the library's: N working days after D is the
N-th working day strictly after D, the day of receipt being day 0 (so a
receipt on a weekend or bank holiday makes the next working day day 1); 0
gives D if it is a working day, else the next one; a negative N counts back.
The count from FROM to TO is the number of working days in (FROM, TO].

The arrays go to the library whole: no Python loop runs over datetime64
values (text and Python date objects are read into ``datetime64[D]`` first).
"""

import datetime
import json
from typing import Any, Dict, Optional, Tuple, Union

import numpy as np

from . import _native
from ._registry import Days, iso_date, registry

__all__ = ["add_working_days", "count_working_days", "bank_holidays", "explain"]

DAY = np.dtype("datetime64[D]")
_EXPECTED_DATES = "expected dates (datetime64, datetime.date or YYYY-MM-DD text)"

DateLike = Any
"""A date or dates: ``numpy.datetime64`` or an array of them, a
``datetime.date``, ``YYYY-MM-DD`` text, a list of any of these, or a pandas
Series or Index."""


def _is_pandas(value: Any) -> bool:
    module = type(value).__module__
    return (module == "pandas" or module.startswith("pandas.")) and hasattr(value, "to_numpy")


def _is_missing(item: Any) -> bool:
    if item is None:
        return True
    try:
        return bool(item != item)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _as_days(value: Any, field: str) -> np.ndarray:
    """``value`` as an array of ``datetime64[D]`` day numbers (a naive
    datetime counts as its calendar day; one with a time zone is refused,
    since which day it is depends on the zone)."""
    if _is_pandas(value):
        if getattr(value.dtype, "tz", None) is not None:
            raise _native.invalid_value(
                field,
                "expected dates without a time zone (convert with "
                ".dt.tz_convert('Europe/London').dt.tz_localize(None))",
                str(value.dtype),
            )
        value = value.to_numpy()
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        raise _native.invalid_value(field, _EXPECTED_DATES, str(value))
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "M":
        return array if array.dtype == DAY else array.astype(DAY)
    if kind == "U":
        return _native.parse_dates(array.ravel().tolist(), field).view(DAY).reshape(array.shape)
    if kind == "O":
        texts = [
            None if _is_missing(item) else iso_date(item, field)
            for item in array.ravel().tolist()
        ]
        return _native.parse_dates(texts, field).view(DAY).reshape(array.shape)
    found = str(array.dtype) if array.ndim else repr(value)
    raise _native.invalid_value(field, _EXPECTED_DATES, found)


def _as_counts(value: Any, field: str) -> np.ndarray:
    """``value`` as an array of whole numbers (``int64``); the library checks
    each is a count of working days it can take."""
    if _is_pandas(value):
        value = value.to_numpy()
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "i":
        return array.astype(np.int64, copy=False)
    if kind == "u":
        if array.size and array.max() > np.iinfo(np.int64).max:
            raise _native.invalid_value(
                field, "expected a whole number of working days", str(array.max())
            )
        return array.astype(np.int64)
    if kind == "f":
        bad = ~np.isfinite(array) | (array != np.trunc(array)) | (np.abs(array) >= 2.0**62)
        if bad.any():
            raise _native.invalid_value(
                field, "expected a whole number of working days", str(array[bad].flat[0])
            )
        return array.astype(np.int64)
    found = str(array.dtype) if array.ndim else repr(value)
    raise _native.invalid_value(field, "expected a whole number of working days", found)


def _pair(
    a: np.ndarray, b: np.ndarray, names: Tuple[str, str]
) -> Tuple[np.ndarray, np.ndarray, Tuple[int, ...]]:
    """The two arrays as the native call takes them (``int64`` day numbers and
    counts, 1-dimensional and contiguous: of one length, or one of them a
    single element paired with each of the other's), and the answer's shape,
    broadcast as numpy broadcasts. No copy where none is needed."""
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise _native.invalid_value(
            names[1],
            f"expected arrays that broadcast together with {names[0]}",
            f"shapes {a.shape} and {b.shape}",
        ) from None
    if a.shape != b.shape and not (a.size == 1 or b.size == 1):
        a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)

    def flat(array: np.ndarray) -> np.ndarray:
        array = np.ascontiguousarray(array).reshape(-1)
        return array.view(np.int64) if array.dtype.kind == "M" else array

    return flat(a), flat(b), tuple(shape)


def _like(result: np.ndarray, first: Any, second: Any, scalar: Any) -> Any:
    """The answer in the form it was asked in: a pandas Series (with the
    index of the first Series given) or Index, a scalar, or an array."""
    for given in (first, second):
        if _is_pandas(given) and result.ndim == 1 and len(given) == len(result):
            import pandas as pd

            if isinstance(given, pd.Series):
                return pd.Series(result, index=given.index, name=given.name)
            return pd.Index(result, name=getattr(given, "name", None))
    if result.ndim == 0:
        return scalar(result[()])
    return result


def add_working_days(
    dates: DateLike,
    n: Any,
    *,
    region: Optional[str] = None,
    holidays: Days = None,
    closures: Days = None,
) -> Any:
    """The ``n``-th working day after each date (the date itself is day 0).

    ``dates`` and ``n`` broadcast as numpy arrays do. ``region`` is the
    division (``england-and-wales``, the default; ``scotland``,
    ``northern-ireland``, ``united-kingdom``); ``holidays`` and ``closures``
    add days that are not working days. A ``numpy.datetime64`` array answers
    as one (``datetime64[D]``), a pandas Series as a Series with the same
    index, a ``datetime.date`` or text as a ``datetime.date``; ``NaT`` gives
    ``NaT``.

    Raises :class:`~escalation_ladder.InvalidRequest` for a date outside
    1978-2199 or an answer beyond it (``fields["index"]`` is the element's
    flat position).

    Example: five working days after Friday 18 December 2026 skip Christmas
    Day and the Boxing Day substitute; a Saturday start makes Monday day 1;
    a closure on Tuesday 29 December moves the answer a day on:

    >>> import numpy as np
    >>> import escalation_ladder as el
    >>> el.add_working_days(np.array(["2026-12-18", "2026-12-19"], dtype="datetime64[D]"), 5)
    array(['2026-12-29', '2026-12-29'], dtype='datetime64[D]')
    >>> el.add_working_days("2026-12-18", [1, 5, -1])
    array(['2026-12-21', '2026-12-29', '2026-12-17'], dtype='datetime64[D]')
    >>> el.add_working_days("2026-12-18", 5, closures=["2026-12-29"])
    datetime.date(2026, 12, 30)
    >>> str(el.add_working_days(np.datetime64("2026-11-27"), 1, region="scotland"))
    '2026-12-01'
    """
    registry_ = registry(holidays=holidays, closures=closures)
    days, counts, shape = _pair(_as_days(dates, "dates"), _as_counts(n, "n"), ("dates", "n"))
    result = registry_.add_working_days(days, counts, region).view(DAY).reshape(shape)
    if isinstance(dates, np.datetime64) or (isinstance(dates, np.ndarray) and dates.ndim == 0):
        scalar = np.datetime64
    else:
        scalar = _to_date
    return _like(result, dates, n, scalar)


def _to_date(value: np.datetime64) -> Optional[datetime.date]:
    return None if np.isnat(value) else value.astype(datetime.date)


def count_working_days(
    start: DateLike,
    end: DateLike,
    *,
    region: Optional[str] = None,
    holidays: Days = None,
    closures: Days = None,
) -> Any:
    """The working days in (``start``, ``end``] for each pair: ``start``
    excluded, ``end`` included; negative when ``end`` is before ``start``.

    ``start`` and ``end`` broadcast as numpy arrays do; ``region``,
    ``holidays`` and ``closures`` as for :func:`add_working_days`. Answers
    ``int64`` (an array, a Series, or an ``int``). A count has no missing
    value, so ``NaT`` is refused: drop or fill missing dates first.

    Example: from Christmas Eve 2026 to New Year's Eve, three working days
    (the 29th, 30th and 31st); ``count(d, add(d, n)) == n``:

    >>> import numpy as np
    >>> import escalation_ladder as el
    >>> el.count_working_days("2026-12-24", "2026-12-31")
    3
    >>> d = np.array(["2026-12-18", "2027-03-26"], dtype="datetime64[D]")
    >>> el.count_working_days(d, el.add_working_days(d, 7))
    array([7, 7])
    >>> el.count_working_days("2026-12-31", "2026-12-24")
    -3
    """
    registry_ = registry(holidays=holidays, closures=closures)
    a, b, shape = _pair(_as_days(start, "start"), _as_days(end, "end"), ("start", "end"))
    result = registry_.count_working_days(a, b, region).reshape(shape)
    return _like(result, start, end, int)


Years = Union[int, range, Tuple[int, int]]


def _years(years: Years) -> Tuple[int, Optional[int]]:
    if isinstance(years, (int, np.integer)) and not isinstance(years, bool):
        return int(years), None
    if isinstance(years, range) and years.step == 1 and len(years):
        return years.start, years.stop - 1
    if isinstance(years, tuple) and len(years) == 2 and all(
        isinstance(y, (int, np.integer)) and not isinstance(y, bool) for y in years
    ):
        return int(years[0]), int(years[1])
    raise _native.invalid_value(
        "years", "expected a year, a range of years or (first, last)", repr(years)
    )


def bank_holidays(region: Optional[str] = None, years: Years = 2026) -> Dict[str, np.ndarray]:
    """The bank holidays of a division over years, as columns ready for
    ``pandas.DataFrame``: ``date`` (``datetime64[D]``), ``name`` and
    ``kind`` (``regular``, ``substitute``, ``moved`` or ``proclaimed``).

    ``region`` defaults to England and Wales; ``years`` is a year, a
    ``range`` or a ``(first, last)`` pair (1978 to 2199). A fixed-date
    holiday at a weekend is listed as its substitute weekday.

    Example: Scotland's 2026 holidays include St Andrew's Day (Monday 30
    November) and the World Cup holiday of 15 June:

    >>> import escalation_ladder as el
    >>> table = el.bank_holidays("scotland", 2026)
    >>> sorted(table)
    ['date', 'kind', 'name']
    >>> [str(d) for d, k in zip(table["date"], table["kind"]) if k == "proclaimed"]
    ['2026-06-15']
    >>> len(el.bank_holidays("england-and-wales", range(1978, 2100))["date"])
    984
    """
    first, last = _years(years)
    request = {"region": region, "from": first, "to": last}
    answer = _call(registry(), "holidays", request)
    return {
        "date": np.array([h["date"] for h in answer], dtype=DAY),
        "name": np.array([h["name"] for h in answer], dtype=object),
        "kind": np.array([h["kind"] for h in answer], dtype=object),
    }


def explain(
    date: DateLike,
    n: int,
    *,
    region: Optional[str] = None,
    holidays: Days = None,
    closures: Days = None,
) -> Dict[str, Any]:
    """Why :func:`add_working_days` lands where it does: each day walked,
    counted (``counted_as``: day 1, 2…) or skipped, and why (its ``kind``).

    Example: one working day after Christmas Eve 2026 walks over Christmas
    Day, the weekend and the Boxing Day substitute:

    >>> import escalation_ladder as el
    >>> why = el.explain("2026-12-24", 1)
    >>> why["result"]
    '2026-12-29'
    >>> [(day["date"], day["kind"].get("name", day["kind"]["type"])) for day in why["walked"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('2026-12-25', 'Christmas Day'), ('2026-12-26', 'saturday'), ('2026-12-27', 'sunday'),
     ('2026-12-28', 'Boxing Day (substitute day)'), ('2026-12-29', 'working')]
    """
    request = {"from": iso_date(date, "from"), "working_days": _whole(n, "working_days"), "region": region}
    return _call(registry(holidays=holidays, closures=closures), "explain", request)


def _whole(value: Any, field: str) -> Any:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    raise _native.invalid_value(field, "expected a whole number of working days", repr(value))


def _call(registry_: "_native.Registry", operation: str, request: Any, **kwargs: Any) -> Any:
    """An operation through ``ops::call_at``, its JSON answer as Python
    objects."""
    _, body = registry_.call(operation, json.dumps(request).encode(), **kwargs)
    return json.loads(body)
