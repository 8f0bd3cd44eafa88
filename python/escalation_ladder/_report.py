"""The monitoring report and the iCalendar of deadlines over a cases file.

A cases file is JSON Lines, one alert a line: ``{"case", "child", "team",
"worker", "ladder", "events": [...]}`` (``schema/case-record.schema.json``).
The report is the library's ``report`` operation, the same one ``ladder
report --format json`` and ``POST /v1/report`` answer with.
"""

import os
import re
from typing import Any, Dict, Iterable, List, Optional, Union

from ._registry import Days, registry
from ._requests import call, dumps

__all__ = ["report", "ics", "Report"]

Cases = Any
"""Cases: a file (a path, as text or ``pathlib.Path``), the file's bytes,
an iterable of records (dicts), or a pandas DataFrame with a row per record
(as ``pandas.read_json(path, lines=True)`` reads it)."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _cases_bytes(cases: Cases) -> bytes:
    """The cases file's bytes: read from a file, given as bytes, or written
    from records (a missing value, as pandas gives it, written as ``null``)."""
    if isinstance(cases, (str, os.PathLike)):
        with open(cases, "rb") as file:
            return file.read()
    if isinstance(cases, (bytes, bytearray, memoryview)):
        return bytes(cases)
    to_dict = getattr(cases, "to_dict", None)
    if callable(to_dict) and hasattr(cases, "columns"):
        cases = to_dict(orient="records")
    lines = []
    for record in cases:
        if isinstance(record, dict):
            record = {k: (None if _is_missing(v) else v) for k, v in record.items()}
        lines.append(dumps(record))
    return b"\n".join(lines)


class Report(Dict[str, Any]):
    """The monitoring report as Python objects: the JSON report (a ``dict``,
    ``schema/report.schema.json``) with its tables for pandas.

    A table is a list of rows in the report (``"open.by_team"``,
    ``"overdue.alerts"``, ``"timeliness.by_stage"``…): :meth:`tables` names
    them, :meth:`table` gives one, :meth:`to_pandas` makes DataFrames.
    """

    def tables(self) -> List[str]:
        """The names of the report's tables, in the report's order.

        >>> import escalation_ladder as el
        >>> month = el.report("examples/data/cases.jsonl", as_of="2026-12-24")
        >>> month.tables()[:3]
        ['open.by_ladder', 'open.by_stage', 'open.by_category']
        """
        names: List[str] = []

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, inner in value.items():
                    walk(f"{prefix}.{key}" if prefix else key, inner)
            elif isinstance(value, list) and all(isinstance(row, dict) for row in value):
                names.append(prefix)

        walk("", dict(self))
        return names

    def table(self, name: str) -> List[Dict[str, Any]]:
        """One table's rows, by name (``"overdue.alerts"``).

        >>> import escalation_ladder as el
        >>> month = el.report("examples/data/cases.jsonl", as_of="2026-12-24")
        >>> month.table("open.by_team")[0]
        {'team': 'Children in Care', 'count': 3}
        """
        value: Any = self
        for key in name.split("."):
            if not isinstance(value, dict) or key not in value:
                raise KeyError(f"the report has no table {name!r}: {', '.join(self.tables())}")
            value = value[key]
        if not isinstance(value, list):
            raise KeyError(f"{name!r} is not a table: {', '.join(self.tables())}")
        return value

    def to_pandas(self, name: Optional[str] = None, *, dates: bool = True) -> Any:
        """One table as a ``pandas.DataFrame``, or every table (a dict of
        DataFrames by name) when ``name`` is ``None``. With ``dates``, a
        column of ``YYYY-MM-DD`` texts becomes ``datetime64``. Needs pandas.

        >>> import escalation_ladder as el
        >>> month = el.report("examples/data/cases.jsonl", as_of="2026-12-24")
        >>> overdue = month.to_pandas("overdue.alerts")
        >>> overdue[["case", "due", "working_days_overdue"]].head(2)
                    case        due  working_days_overdue
        0  NPC-2026-0702 2026-11-05                    35
        1  IRO-2026-0114 2026-11-12                    30
        >>> str(overdue["due"].dtype).startswith("datetime64")
        True
        """
        try:
            import pandas as pd  # type: ignore[import-untyped, unused-ignore]
        except ImportError:  # pragma: no cover - pandas is optional
            raise ImportError(
                "Report.to_pandas needs pandas: pip install pandas"
            ) from None
        if name is None:
            return {table: self.to_pandas(table, dates=dates) for table in self.tables()}
        frame = pd.DataFrame(self.table(name))
        if dates:
            for column in frame.columns:
                values = [v for v in frame[column] if v is not None]
                if values and all(isinstance(v, str) and _DATE.match(v) for v in values):
                    frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        return frame


def report(
    cases: Cases,
    *,
    as_of: Any,
    period: Optional[str] = None,
    format: str = "json",
    due_within: Optional[int] = None,
    warn_at: Optional[int] = None,
    open_longer_than: Optional[int] = None,
    ladders: Iterable[Any] = (),
    region: Optional[str] = None,
    holidays: Days = None,
    closures: Days = None,
) -> Union[Report, str, bytes]:
    """The monitoring report over cases as at a date: open alerts by ladder,
    stage, category, team and worker; overdue, due soon, open longer,
    ceiling breaches and extensions; timeliness, escalations, closures and
    alerts raised in the period.

    ``period`` is ``month`` (the default), ``quarter``, ``half-year`` (each
    the last complete one ending on or before ``as_of``) or ``FROM..TO``.
    ``format`` ``json`` (the default) answers a :class:`Report`; ``text``,
    ``csv`` (the IRO tracking spreadsheet), ``summary-csv`` and ``html`` (the
    page for people who decide, as ``ladder report --format html`` writes
    it) answer text; ``xlsx`` answers the Excel workbook's bytes.
    The other options, their defaults and every check are the ``report``
    operation's (``ladder report --help``); ``ladders`` adds the council's
    own (``Ladder`` objects or files), ``region``, ``holidays`` and
    ``closures`` adjust the calendars.

    Raises :class:`~escalation_ladder.InvalidRequest` for a bad option or
    record (``fields["line"]`` names it), :class:`~escalation_ladder.Refused`
    for an event a ladder refuses.

    Example: November 2026, as at Christmas Eve:

    >>> import escalation_ladder as el
    >>> month = el.report("examples/data/cases.jsonl", as_of="2026-12-24")
    >>> month["period"]["label"], month["cases"]["open"], month["overdue"]["count"]
    ('November 2026', 20, 10)
    >>> month["timeliness"]["overall"]["percent_on_time"]
    27.8
    >>> page = el.report("examples/data/cases.jsonl", as_of="2026-12-24", format="html")
    >>> page.startswith("<!DOCTYPE html>"), "November 2026" in page
    (True, True)
    >>> el.report("examples/data/cases.jsonl", as_of="2026-12-24", format="xlsx")[:2]
    b'PK'
    """
    request = {
        "as_of": as_of,
        "format": format,
        "period": period,
        "due_within": due_within,
        "warn_at": warn_at,
        "open_longer_than": open_longer_than,
    }
    answer = call(
        registry(region=region, ladders=tuple(ladders), holidays=holidays, closures=closures),
        "report",
        request,
        payload=_cases_bytes(cases),
    )
    return Report(answer) if isinstance(answer, dict) else answer


def ics(
    cases: Cases,
    *,
    as_of: Any,
    calendar_name: Optional[str] = None,
    uid_domain: Optional[str] = None,
    ladders: Iterable[Any] = (),
    region: Optional[str] = None,
    holidays: Days = None,
    closures: Days = None,
) -> str:
    """The deadlines of the open alerts as an iCalendar file (RFC 5545):
    one all-day event per response date and per ceiling, with UIDs stable
    across runs (``ladder ics``).

    >>> import escalation_ladder as el
    >>> calendar = el.ics("examples/data/cases.jsonl", as_of="2026-12-24")
    >>> calendar.splitlines()[0]
    'BEGIN:VCALENDAR'
    """
    request = {"as_of": as_of, "calendar_name": calendar_name, "uid_domain": uid_domain}
    return call(
        registry(region=region, ladders=tuple(ladders), holidays=holidays, closures=closures),
        "ics",
        request,
        payload=_cases_bytes(cases),
    )
