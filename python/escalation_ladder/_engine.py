"""The engine on stored alerts: a ladder, its events, and time acting.

Every method is one of the library's operations (``apply``, ``advance``,
``status``, ``recompute``, ``replay``, ``timeline``, ``show``), called with
the same request the HTTP service takes at ``/v1/ladders/{id}/...``, so the
answers are byte for byte the other doors' (here read into dicts). The
library keeps no state: the caller stores the alert's state and its audit
trail and passes them back.
"""

import os
from typing import Any, Dict, Iterable, List, Optional

from ._registry import Days, _file_key, registry
from ._requests import call, document
from ._types import Applied, Event, Rebased, Replayed, State, Status, Timeline

__all__ = ["Ladder", "builtin", "ladders"]


class Ladder:
    """A procedure (a ladder, or a schedule) with the calendar it counts on.

    Get one with :func:`builtin`, :meth:`Ladder.from_file`,
    :meth:`Ladder.from_toml` or :meth:`Ladder.from_json`. ``region`` fixes
    the division it counts in (default: the procedure's own), ``holidays``
    and ``closures`` add days that are not working days.

    Example: an IRO raises a dispute with a team manager on Monday 21
    December 2026; Christmas Day and the Boxing Day substitute do not count,
    so the response is due Wednesday 30 December and the 20-working-day
    ceiling is 21 January 2027:

    >>> import escalation_ladder as el
    >>> iro = el.builtin("iro-dispute-resolution")
    >>> applied = iro.apply({"id": "evt-1", "on": "2026-12-21", "actor": "iro",
    ...     "type": "raise", "stage": "team-manager", "reason": "no permanence plan"})
    >>> state = applied["state"]
    >>> state["respond_by"], state["ceiling"]
    ('2026-12-30', '2027-01-21')
    >>> now = iro.status(state, "2026-12-24")
    >>> now["next_deadline"], now["working_days_left"], now["who_must_act"]
    ('2026-12-30', 2, ['team-manager'])
    """

    id: str
    _source: Optional[tuple]

    def __init__(
        self,
        id: str,
        *,
        region: Optional[str] = None,
        holidays: Days = None,
        closures: Days = None,
    ) -> None:
        self._source = None
        self._calendar = (region, holidays, closures)
        self._registry = registry(region=region, holidays=holidays, closures=closures)
        self.id = id
        # The procedure must exist (ladder.unknown otherwise).
        self._listed = self._find()

    @classmethod
    def _own(cls, source: tuple, region: Optional[str], holidays: Days, closures: Days) -> "Ladder":
        ladder = cls.__new__(cls)
        ladder._source = source
        ladder._calendar = (region, holidays, closures)
        ladder._registry = registry(
            region=region, ladders=(ladder,), holidays=holidays, closures=closures
        )
        ladder.id = ladder._registry.own[0]
        ladder._listed = ladder._find()
        return ladder

    @classmethod
    def from_file(
        cls,
        path: "os.PathLike[str] | str",
        *,
        region: Optional[str] = None,
        holidays: Days = None,
        closures: Days = None,
    ) -> "Ladder":
        """A council's own procedure from a file: TOML, or JSON if its name
        ends in ``.json`` (docs/ladder-schema.md), checked as
        ``ladder validate`` checks it.

        >>> import escalation_ladder as el
        >>> anytown = el.Ladder.from_file("examples/data/council-ladder.toml")
        >>> anytown.id, anytown.kind
        ('anytown-iro-escalation', 'ladder')
        """
        return cls._own(("file",) + _file_key(path), region, holidays, closures)

    @classmethod
    def from_toml(
        cls,
        text: str,
        *,
        name: str = "ladder.toml",
        region: Optional[str] = None,
        holidays: Days = None,
        closures: Days = None,
    ) -> "Ladder":
        """A council's own procedure from TOML text (``name`` is for messages).

        >>> import escalation_ladder as el
        >>> try:
        ...     el.Ladder.from_toml("id = 'x'")
        ... except el.Refused as error:
        ...     print(error.code)
        ladder.invalid
        """
        return cls._own(("text", name, text, False), region, holidays, closures)

    @classmethod
    def from_json(
        cls,
        text: str,
        *,
        name: str = "ladder.json",
        region: Optional[str] = None,
        holidays: Days = None,
        closures: Days = None,
    ) -> "Ladder":
        """A council's own procedure from JSON text, as :meth:`to_dict` gives it.

        >>> import json
        >>> import escalation_ladder as el
        >>> shown = el.builtin("cp-conference-concerns").to_dict()
        >>> el.Ladder.from_json(json.dumps(shown)).id
        'cp-conference-concerns'
        """
        return cls._own(("text", name, text, True), region, holidays, closures)

    def _find(self) -> Dict[str, Any]:
        call(self._registry, "show", {}, route_id=self.id)
        listed = call(self._registry, "ladders", {})
        return next(p for p in listed if p["id"] == self.id)

    def _call(self, operation: str, request: Dict[str, Any]) -> Any:
        return call(self._registry, operation, request, route_id=self.id)

    @property
    def title(self) -> str:
        """The procedure's title.

        >>> import escalation_ladder as el
        >>> el.builtin("iro-dispute-resolution").title
        'IRO Dispute Resolution: IRO Alert'
        """
        return self._listed["title"]

    @property
    def kind(self) -> str:
        """``ladder`` (alerts run on it) or ``schedule`` (dates only)."""
        return self._listed["kind"]

    def to_dict(self) -> Dict[str, Any]:
        """The procedure as data (``show``): its JSON loads back unchanged.

        >>> import escalation_ladder as el
        >>> [s["id"] for s in el.builtin("iro-dispute-resolution").to_dict()["stages"]][:2]
        ['informal', 'team-manager']
        """
        return self._call("show", {})

    def apply(
        self,
        event: Event,
        state: Optional[State] = None,
        *,
        expect_version: Optional[int] = None,
    ) -> Applied:
        """Applies one event to a stored alert (a new one when ``state`` is
        ``None``: the event is a raise), time acting first up to its date.
        Answers ``{"state", "transitions"}``: store the state, and append
        each transition's ``audit`` to the trail.

        ``expect_version``: refuse (:class:`~escalation_ladder.Conflict`)
        unless the stored state's ``events_applied`` is this.

        >>> import escalation_ladder as el
        >>> iro = el.builtin("iro-dispute-resolution")
        >>> state = iro.apply({"on": "2026-12-21", "actor": "iro", "type": "raise",
        ...     "stage": "team-manager", "reason": "drift"})["state"]
        >>> answered = iro.apply({"on": "2026-12-23", "actor": "tm", "type": "respond"},
        ...     state, expect_version=1)
        >>> answered["state"]["phase"], answered["state"]["events_applied"]
        ('awaiting-decision', 2)
        """
        request = {"state": document(state), "event": document(event), "expect_version": expect_version}
        return self._call("apply", request)

    def advance(self, state: State, as_of: Any) -> Applied:
        """Lets time act on a stored alert up to ``as_of``: review decisions
        deemed agreed, automatic escalations, each a transition dated on the
        day it took effect. Answers ``{"state", "transitions"}``.

        >>> import escalation_ladder as el
        >>> lac = el.builtin("lac-review-decisions")
        >>> state = lac.apply({"on": "2026-12-21", "actor": "iro", "type": "raise", "reason": "review"})["state"]
        >>> state = lac.apply({"on": "2026-12-21", "actor": "iro", "type": "escalate", "reason": "sent"}, state)["state"]
        >>> advanced = lac.advance(state, "2027-01-04")
        >>> [t["audit"]["event"]["on"] for t in advanced["transitions"]]
        ['2026-12-31']
        """
        return self._call("advance", {"state": document(state), "as_of": as_of})

    def status(self, state: State, as_of: Any) -> Status:
        """A stored alert's status as at ``as_of``, after time has acted:
        what is due, by whom, and what is breached.

        >>> import escalation_ladder as el
        >>> iro = el.builtin("iro-dispute-resolution")
        >>> state = iro.apply({"on": "2026-12-18", "actor": "iro", "type": "raise",
        ...     "stage": "team-manager", "reason": "drift"})["state"]
        >>> iro.status(state, "2026-12-24")["working_days_left"]
        1
        """
        return self._call("status", {"state": document(state), "as_of": as_of})

    def recompute(
        self,
        state: State,
        trail: Iterable[Any],
        *,
        expect_version: Optional[int] = None,
    ) -> Rebased:
        """Re-bases a stored alert on this ladder and calendar (after a
        closure, a newly proclaimed bank holiday, a new version of the
        ladder) by replaying its audit trail. Answers ``{"moved", "state",
        "trail", "before", "after"}``.

        Example: an alert raised before the council closed on Tuesday 29
        December is refused until it is recomputed on the new calendar:

        >>> import escalation_ladder as el
        >>> iro = el.builtin("iro-dispute-resolution")
        >>> applied = iro.apply({"on": "2026-12-21", "actor": "iro", "type": "raise",
        ...     "stage": "team-manager", "reason": "drift"})
        >>> trail = [t["audit"] for t in applied["transitions"]]
        >>> shut = el.builtin("iro-dispute-resolution", closures=["2026-12-29"])
        >>> rebased = shut.recompute(applied["state"], trail)
        >>> rebased["moved"], rebased["before"]["respond_by"], rebased["after"]["respond_by"]
        (True, '2026-12-30', '2026-12-31')
        """
        request = {
            "state": document(state),
            "trail": [document(entry) for entry in trail],
            "expect_version": expect_version,
        }
        return self._call("recompute", request)

    def replay(self, events: Iterable[Event], as_of: Any = None) -> Replayed:
        """Applies events in order to a new alert (as ``ladder run``), time
        acting before each and up to ``as_of`` (default: the last event's
        date). Answers ``{"state", "trail", "status"}``.

        >>> import escalation_ladder as el
        >>> iro = el.builtin("iro-dispute-resolution")
        >>> replayed = iro.replay([{"on": "2026-12-18", "actor": "iro", "type": "raise",
        ...     "stage": "team-manager", "reason": "drift"}], as_of="2026-12-24")
        >>> replayed["state"]["respond_by"], replayed["status"]["working_days_left"]
        ('2026-12-29', 1)
        """
        return self._call("replay", {"events": [document(e) for e in events], "as_of": as_of})

    def timeline(self, raised: Any) -> Timeline:
        """A ladder's worst case from the day an alert is raised (every stage
        taking its whole window, capped at the ceiling), or a schedule's
        dates from its day 1.

        >>> import escalation_ladder as el
        >>> worst = el.builtin("iro-dispute-resolution").timeline("2026-12-21")
        >>> worst["ceiling"]
        '2027-01-21'
        """
        return self._call("timeline", {"raised": raised})

    def __repr__(self) -> str:
        return f"Ladder({self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ladder) and (self.id, self._source, self._registry) == (
            other.id,
            other._source,
            other._registry,
        )

    def __hash__(self) -> int:
        return hash((self.id, self._source))


def builtin(
    id: str,
    *,
    region: Optional[str] = None,
    holidays: Days = None,
    closures: Days = None,
) -> Ladder:
    """A built-in procedure by its id (``ladders()`` lists them).

    Raises :class:`~escalation_ladder.NotFound` for an id no procedure has.

    >>> import escalation_ladder as el
    >>> el.builtin("cp-conference-concerns")
    Ladder('cp-conference-concerns')
    """
    return Ladder(id, region=region, holidays=holidays, closures=closures)


def ladders(ladders: Iterable[Any] = ()) -> List[Dict[str, Any]]:
    """The procedures there are: the built-in ones, and the council's own
    (``Ladder`` objects or ladder files) in their place or after them.
    Each is ``{"id", "title", "kind"}``.

    >>> import escalation_ladder as el
    >>> [p["id"] for p in el.ladders() if p["kind"] == "ladder"][:3]
    ['nottingham-provider-concerns', 'iro-dispute-resolution', 'lac-review-decisions']
    """
    return call(registry(ladders=tuple(ladders)), "ladders", {})

