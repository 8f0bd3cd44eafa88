"""UK working days over numpy arrays and pandas columns, and the escalation
ladders and monitoring reports of English children's social care.

The package is a door onto the ``escalation-ladder`` Rust library's
operations, like the ``ladder`` command, the HTTP service and the C ABI: the
same request gives the same answer through each, and every rule (the
counting convention, the defaults, the checks, the error documents) is the
library's. See python/README.md.

Working days (``day 0`` is the day of receipt):

>>> import numpy as np
>>> import escalation_ladder as el
>>> received = np.array(["2026-12-18", "2026-12-24"], dtype="datetime64[D]")
>>> due = el.add_working_days(received, 5)
>>> due
array(['2026-12-29', '2027-01-05'], dtype='datetime64[D]')
>>> el.count_working_days(received, due)
array([5, 5])

An alert on a built-in ladder, and the month's report:

>>> iro = el.builtin("iro-dispute-resolution")
>>> iro.apply({"on": "2026-12-21", "actor": "iro", "type": "raise",
...            "stage": "team-manager", "reason": "drift"})["state"]["respond_by"]
'2026-12-30'
>>> el.report("examples/data/cases.jsonl", as_of="2026-12-24")["cases"]
{'read': 41, 'not_raised': 0, 'open': 20, 'closed': 21}
"""

from . import _native
from ._engine import Ladder, builtin, ladders
from ._errors import (
    Conflict,
    EscalationLadderError,
    EscalationLadderWarning,
    InternalError,
    InvalidRequest,
    NotFound,
    Refused,
)
from ._registry import CACHE_SIZE, cached_registries, clear_cache
from ._report import Report, ics, report
from ._working_days import add_working_days, bank_holidays, count_working_days, explain

__version__: str = _native.__version__

__all__ = [
    "add_working_days",
    "count_working_days",
    "bank_holidays",
    "explain",
    "Ladder",
    "builtin",
    "ladders",
    "report",
    "ics",
    "Report",
    "EscalationLadderError",
    "InvalidRequest",
    "NotFound",
    "Conflict",
    "Refused",
    "InternalError",
    "EscalationLadderWarning",
    "CACHE_SIZE",
    "cached_registries",
    "clear_cache",
]
