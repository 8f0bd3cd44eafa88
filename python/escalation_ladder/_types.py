"""The JSON contract's documents as typed dicts, for type checkers.

They describe what the operations answer (schema/ has each document's JSON
Schema, generated from the library's own types). Every answer is a plain
``dict``; these only name its keys. Fields a later release adds appear in
the dicts before they appear here, so each is ``total=False``.
"""

from typing import Any, Dict, List, Optional, TypedDict, Union

__all__ = [
    "Event",
    "State",
    "AlertState",
    "AuditEntry",
    "Transition",
    "Applied",
    "Status",
    "Rebased",
    "Replayed",
    "Timeline",
    "Breaches",
]

#: A date as the contract writes it: ``YYYY-MM-DD``.
Date = str


class Breaches(TypedDict, total=False):
    ceiling_breached: bool
    extended_beyond_ceiling: bool


class AlertState(TypedDict, total=False):
    """A stored alert (``schema/alert-state.schema.json``): store it with the case."""

    schema_version: int
    ladder: str
    phase: str
    raised_on: Optional[Date]
    category: Optional[str]
    stage: Optional[str]
    stage_entered_on: Optional[Date]
    respond_by: Optional[Date]
    responded_on: Optional[Date]
    extended: bool
    ceiling: Optional[Date]
    breaches: Breaches
    referrals: List[Any]
    outcome: Optional[str]
    last_event_on: Optional[Date]
    events_applied: int
    steps: List[Any]
    duties: List[Any]
    threshold_from: Optional[Date]
    event_ids: List[str]
    ladder_fingerprint: Optional[str]
    calendar_fingerprint: Optional[str]


class AuditEntry(TypedDict, total=False):
    """One entry of an alert's audit trail (in ``schema/transition.schema.json``)."""

    sequence: int
    event: Dict[str, Any]
    stage_before: Optional[str]
    stage_after: Optional[str]
    phase_after: str
    respond_by: Optional[Date]
    calendar: Optional[str]


class Transition(TypedDict, total=False):
    """What one event did: its effects and its audit entry."""

    effects: List[Dict[str, Any]]
    audit: AuditEntry


class Applied(TypedDict, total=False):
    """``apply`` and ``advance``: the state to store and what happened."""

    state: AlertState
    transitions: List[Transition]


class Status(TypedDict, total=False):
    """``status``: what is due, by whom, and what is breached."""

    schema_version: int
    as_of: Date
    phase: str
    stage: Optional[str]
    who_must_act: List[str]
    awaiting_step: Optional[str]
    next_deadline: Optional[Date]
    working_days_left: Optional[int]
    calendar_days_left: Optional[int]
    overdue: bool
    on_expiry: Optional[str]
    ceiling: Optional[Date]
    ceiling_working_days_left: Optional[int]
    breaches: Breaches
    open_working_days: Optional[int]
    threshold_working_days: Optional[int]
    over_open_threshold: bool
    time_acts_on: Optional[Date]
    duties: List[Any]
    computed_on_other: Dict[str, bool]


class Rebased(TypedDict, total=False):
    """``recompute``: the state and trail to store from now on, and what moved."""

    moved: bool
    state: AlertState
    trail: List[AuditEntry]
    before: Dict[str, Any]
    after: Dict[str, Any]


class Replayed(TypedDict, total=False):
    """``replay`` (``ladder run``): the state, its trail and the status."""

    state: AlertState
    trail: List[AuditEntry]
    status: Optional[Status]


#: ``timeline``: a ladder's worst case or a schedule's dates.
Timeline = Dict[str, Any]

#: An event (``schema/event.schema.json``): a dict such as ``{"on": "2026-12-21",
#: "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "…"}``,
#: its JSON text, or a typed object with ``to_dict()``.
Event = Union[Dict[str, Any], str, Any]

#: A stored state: the dict an answer gave, its JSON text, or a typed object.
State = Union[AlertState, Dict[str, Any], str, Any]
