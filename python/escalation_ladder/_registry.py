"""Registries (the library's ``ops::Registry``) made from Python arguments,
and cached: one per distinct set of ladders, holidays, closures and region.

A registry holds the built-in procedures, the caller's own, and each
division's working calendar with the extra bank holidays and closures. Making
one builds calendar tables (about a millisecond each), so the same arguments
give the same registry back; a file is part of the key with its size and
modification time, so an edited file is read again.
"""

import datetime
import functools
import os
import warnings
from typing import Any, Iterable, List, Optional, Tuple

import numpy as np

from . import _native
from ._errors import EscalationLadderWarning

__all__ = ["registry", "Days", "iso_date"]

#: Extra holidays or closures: one day (``"2026-12-29"``, a ``datetime.date``,
#: a ``numpy.datetime64``); an iterable of items, each a day or a
#: ``(day, name)`` pair; a mapping of days to names; a pandas DataFrame with
#: a ``date`` column (and ``name`` or ``reason``); or, for holidays, a file as
#: a ``pathlib.Path`` (alone or as an item): GOV.UK's bank-holidays JSON if it
#: ends in ``.json``, else one ``YYYY-MM-DD name`` a line, as
#: ``ladder --holidays`` reads it.
Days = Any

#: How many registries are kept (least recently used dropped first).
CACHE_SIZE = 32


def iso_date(value: Any, field: str) -> str:
    """A day as the text every request carries (``YYYY-MM-DD``); the library
    checks it. A ``datetime`` with a time of day is refused, not truncated.

    >>> import datetime
    >>> iso_date(datetime.date(2026, 12, 29), "closures")
    '2026-12-29'
    >>> iso_date(np.datetime64("2026-12-29"), "closures")
    '2026-12-29'
    """
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        raise _native.invalid_value(field, "expected a date YYYY-MM-DD", str(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        day = value.astype("datetime64[D]")
        if day == value or np.isnat(value):
            return str(day)
        raise _native.invalid_value(field, "expected a date YYYY-MM-DD", str(value))
    raise _native.invalid_value(field, "expected a date YYYY-MM-DD", repr(value))


def _file_key(path: "os.PathLike[str] | str") -> Tuple[str, int, int]:
    name = os.fspath(path)
    try:
        stat = os.stat(name)
        return (name, stat.st_mtime_ns, stat.st_size)
    except OSError:
        # The library reports the file it cannot read, as the CLI does.
        return (name, -1, -1)


def _days(value: Days, field: str) -> Tuple[Tuple[Tuple[str, int, int], ...], Tuple[Tuple[str, Optional[str]], ...]]:
    """The files and the ``(YYYY-MM-DD, name)`` days of a holidays or closures
    argument, in the order given."""
    files: List[Tuple[str, int, int]] = []
    days: List[Tuple[str, Optional[str]]] = []
    if value is None:
        return (), ()

    def one(item: Any) -> None:
        if isinstance(item, os.PathLike):
            if field != "holidays":
                raise _native.invalid_value(field, "expected days, not a file", os.fspath(item))
            files.append(_file_key(item))
        elif isinstance(item, tuple) and len(item) == 2:
            name = item[1]
            days.append((iso_date(item[0], field), None if name is None else str(name)))
        else:
            days.append((iso_date(item, field), None))

    columns = getattr(value, "columns", None)
    if columns is not None and "date" in columns:
        label = next((c for c in ("name", "reason") if c in columns), None)
        names = value[label] if label is not None else [None] * len(value)
        for date, name in zip(value["date"], names):
            one((date, name))
    elif isinstance(value, (str, datetime.date, np.datetime64, os.PathLike)):
        one(value)
    elif hasattr(value, "items"):
        for date, name in value.items():
            one((date, name))
    else:
        try:
            items: Iterable[Any] = iter(value)
        except TypeError:
            raise _native.invalid_value(
                field, "expected a day, (day, name) pairs, a mapping or a file", repr(value)
            ) from None
        for item in items:
            one(item)
    return tuple(files), tuple(days)


def _ladder_key(ladder: Any) -> Tuple[Any, ...]:
    source = getattr(ladder, "_source", None)
    if source is not None:
        return tuple(source)
    if isinstance(ladder, (str, os.PathLike)):
        return ("file",) + _file_key(ladder)
    raise _native.invalid_value(
        "ladders", "expected Ladder objects or ladder files", repr(ladder)
    )


def registry(
    region: Optional[str] = None,
    ladders: Iterable[Any] = (),
    holidays: Days = None,
    closures: Days = None,
) -> "_native.Registry":
    """The registry for these arguments (made once, then cached).

    ``region`` fixes the division every procedure counts in (``None``: each
    its own); ``ladders`` are :class:`~escalation_ladder.Ladder` objects or
    paths of ladder files (TOML, or JSON if named ``.json``).

    >>> first = registry(closures=["2026-12-29"])
    >>> first is registry(closures=[datetime.date(2026, 12, 29)])
    True
    """
    key = (
        region,
        tuple(_ladder_key(ladder) for ladder in ladders),
        _days(holidays, "holidays"),
        _days(closures, "closures"),
    )
    return _build(key)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _build(key: Tuple[Any, ...]) -> "_native.Registry":
    region, ladders, (holiday_files, holidays), (_, closures) = key
    ladder_files = [source[1] for source in ladders if source[0] == "file"]
    ladder_texts = [tuple(source[1:4]) for source in ladders if source[0] == "text"]
    made = _native.Registry(
        region=region,
        ladder_files=ladder_files,
        ladder_texts=ladder_texts,
        holiday_files=[file[0] for file in holiday_files],
        holidays=list(holidays),
        closures=list(closures),
    )
    for warning in made.warnings:
        warnings.warn(warning, EscalationLadderWarning, stacklevel=4)
    return made


def cached_registries() -> int:
    """How many registries are cached now."""
    return _build.cache_info().currsize


def clear_cache() -> None:
    """Drops every cached registry."""
    _build.cache_clear()

