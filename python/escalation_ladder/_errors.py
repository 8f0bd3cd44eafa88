"""The package's exceptions: the library's error documents, raised.

Every error the library gives is a document with a stable ``code``
(``calendar.out-of-range``), a one-line ``message`` and the ``fields`` it names
(docs/errors.md lists them all). The package raises it as the exception of the
code's class, the same class that gives the HTTP service its status and the
``ladder`` command its exit status, so a caller can catch a whole class
(``Refused``) or match on the code.
"""

from typing import Any, Dict, Mapping, Optional

from . import _native

__all__ = [
    "EscalationLadderError",
    "InvalidRequest",
    "NotFound",
    "Conflict",
    "Refused",
    "InternalError",
    "EscalationLadderWarning",
]


class EscalationLadderError(Exception):
    """An error document of the library, raised: ``code``, ``message``, ``fields``.

    The subclass is the code's class: :class:`InvalidRequest` (HTTP 400),
    :class:`NotFound` (404), :class:`Conflict` (409), :class:`Refused` (422)
    or :class:`InternalError` (500).

    Example: a date before the tables begin is refused, and the error names it:

    >>> import escalation_ladder as el
    >>> try:
    ...     el.add_working_days("1977-12-30", 1)
    ... except el.EscalationLadderError as error:
    ...     print(error.code)
    ...     print(error.message)
    ...     print(error.fields["index"], type(error).__name__)
    calendar.out-of-range
    element 0: date 1977-12-30 is outside the supported range 1978-01-01..=2199-12-31
    0 InvalidRequest
    """

    code: str
    message: str
    fields: Dict[str, Any]

    def __init__(
        self, code: str, message: str, fields: Optional[Mapping[str, Any]] = None
    ) -> None:
        fields = dict(fields or {})
        super().__init__(code, message, fields)
        self.code = code
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> Dict[str, Any]:
        """The error as the contract writes it: ``{"code", "message", "fields"}``.

        >>> import escalation_ladder as el
        >>> try:
        ...     el.builtin("nowhere")
        ... except el.NotFound as error:
        ...     print(sorted(error.to_dict()))
        ['code', 'fields', 'message']
        """
        return {"code": self.code, "message": self.message, "fields": dict(self.fields)}


class InvalidRequest(EscalationLadderError, ValueError):
    """The input cannot be used as it is: malformed, out of range, a state of
    another ladder (``request.*``, ``calendar.*``, ``record.*``…; HTTP 400).

    >>> import escalation_ladder as el
    >>> try:
    ...     el.count_working_days("2026-12-24", "24/12/2026")
    ... except el.InvalidRequest as error:
    ...     print(error.code, error.fields["field"], error.fields["found"])
    request.invalid-value end 24/12/2026
    """


class NotFound(EscalationLadderError, LookupError):
    """An unknown ladder (``ladder.unknown``; HTTP 404).

    >>> import escalation_ladder as el
    >>> try:
    ...     el.builtin("nowhere")
    ... except el.NotFound as error:
    ...     print(error.code, error.fields["id"])
    ladder.unknown nowhere
    """


class Conflict(EscalationLadderError):
    """The stored state is not at the version the caller read: read it again
    and retry (``state.version-conflict``; HTTP 409).

    >>> import escalation_ladder as el
    >>> iro = el.builtin("iro-dispute-resolution")
    >>> raise_ = {"on": "2026-12-21", "actor": "iro", "type": "raise",
    ...           "stage": "team-manager", "reason": "drift"}
    >>> state = iro.apply(raise_)["state"]
    >>> try:
    ...     iro.apply({"on": "2026-12-22", "actor": "tm", "type": "respond"},
    ...               state, expect_version=0)
    ... except el.Conflict as error:
    ...     print(error.code)
    state.version-conflict
    """


class Refused(EscalationLadderError):
    """Well-formed, but the procedure does not allow it: a refused event, a
    state to recompute first, a procedure that breaks the schema
    (``refused.*``, ``trail.*``…; HTTP 422).

    >>> import escalation_ladder as el
    >>> iro = el.builtin("iro-dispute-resolution")
    >>> try:
    ...     iro.apply({"on": "2026-12-21", "actor": "iro", "type": "respond"})
    ... except el.Refused as error:
    ...     print(error.code)
    refused.not-in-this-phase
    """


class InternalError(EscalationLadderError, RuntimeError):
    """A bug in the library (``python.panic``, ``internal.write``; HTTP 500):
    the call did nothing. Please report it.
    """


class EscalationLadderWarning(UserWarning):
    """An adjustment that changes nothing: a closure on a day that is not a
    working day already (a weekend, a bank holiday).

    >>> import warnings
    >>> import escalation_ladder as el
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = el.add_working_days("2026-12-24", 1, closures=["2026-12-25"])
    >>> print(caught[0].message)
    closure 2026-12-25 changes nothing: it is already not a working day (Christmas Day)
    """


# The native module raises these from now on, chosen by the code's class.
_native._register_errors(
    {
        "invalid": InvalidRequest,
        "not-found": NotFound,
        "conflict": Conflict,
        "refused": Refused,
        "internal": InternalError,
        "other": EscalationLadderError,
    }
)
