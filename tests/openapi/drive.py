"""The alert lifecycle through the Python client that openapi-python-client
generates from schema/openapi.json, used as generated (.ci/openapi-client
makes it as the package `ladder_client`).

    python3 tests/openapi/drive.py http://127.0.0.1:PORT

An IRO raises a dispute with the team manager on Monday 21 December 2026
(Christmas Day and the Boxing Day substitute on the 28th are not working
days: due Wednesday 30 December, ceiling 21 January 2027), escalates it to
the head of service on the 30th, reads its status on 4 January 2027, and a
writer holding the state it read before the escalation is refused 409.
Then the monitoring report over the shipped export
(examples/data/cases.jsonl, posted as application/x-ndjson) as at Monday
23 November 2026: the month is October 2026 and six alerts are overdue (as
`ladder report` says, tests/cli.rs).
"""

import datetime
import io
import pathlib
import sys

from ladder_client import Client
from ladder_client.api.alerts import apply, status
from ladder_client.api.cases import report
from ladder_client.models import (
    Applied,
    ApplyRequest,
    AsOfRequest,
    ErrorDocument,
    EscalateEvent,
    EscalateEventType,
    RaiseEvent,
    RaiseEventType,
    Report,
    Status,
)
from ladder_client.types import File

LADDER = "iro-dispute-resolution"


def main(base: str) -> None:
    client = Client(base_url=base, raise_on_unexpected_status=True, timeout=10.0)

    raised = apply.sync(
        id=LADDER,
        client=client,
        body=ApplyRequest(
            event=RaiseEvent(
                type_=RaiseEventType.RAISE,
                id="evt-1",
                on=datetime.date(2026, 12, 21),
                actor="iro",
                stage="team-manager",
                reason="no permanence plan",
            )
        ),
    )
    assert isinstance(raised, Applied), raised
    assert raised.state.respond_by == datetime.date(2026, 12, 30), raised.state
    assert raised.state.ceiling == datetime.date(2027, 1, 21), raised.state
    print("raised: respond_by", raised.state.respond_by, "ceiling", raised.state.ceiling)

    escalated = apply.sync(
        id=LADDER,
        client=client,
        body=ApplyRequest(
            state=raised.state,
            expect_version=raised.state.events_applied,
            event=EscalateEvent(
                type_=EscalateEventType.ESCALATE,
                id="evt-2",
                on=datetime.date(2026, 12, 30),
                actor="iro",
                reason="no response from the team manager",
            ),
        ),
    )
    assert isinstance(escalated, Applied), escalated
    assert escalated.state.stage == "head-of-service", escalated.state
    assert escalated.state.events_applied == 2
    print("escalated: stage", escalated.state.stage, "respond_by", escalated.state.respond_by)

    now = status.sync(
        id=LADDER,
        client=client,
        body=AsOfRequest(state=escalated.state, as_of=datetime.date(2027, 1, 4)),
    )
    assert isinstance(now, Status), now
    assert now.next_deadline == datetime.date(2027, 1, 7), now
    print("status on 2027-01-04: next_deadline", now.next_deadline,
          "working_days_left", now.working_days_left, "who_must_act", ",".join(now.who_must_act))

    # A second writer read the state at version 1 and stores its own event:
    # the stored state is at version 2 now, so the service refuses it.
    stale = apply.sync_detailed(
        id=LADDER,
        client=client,
        body=ApplyRequest(
            state=escalated.state,
            expect_version=raised.state.events_applied,
            event=EscalateEvent(
                type_=EscalateEventType.ESCALATE,
                id="evt-3",
                on=datetime.date(2026, 12, 30),
                actor="iro",
                reason="a stale writer",
            ),
        ),
    )
    assert stale.status_code == 409, stale
    assert isinstance(stale.parsed, ErrorDocument), stale.parsed
    assert stale.parsed.code == "state.version-conflict", stale.parsed
    print("stale writer refused:", int(stale.status_code), stale.parsed.code)

    cases = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "cases.jsonl"
    monthly = report.sync(
        client=client,
        as_of=datetime.date(2026, 11, 23),
        body=File(payload=io.BytesIO(cases.read_bytes()), file_name="cases.jsonl"),
    )
    assert isinstance(monthly, Report), monthly
    assert monthly.period.label == "October 2026", monthly.period
    assert monthly.overdue.count == 6, monthly.overdue
    print("report as at 2026-11-23:", monthly.period.label, "overdue", monthly.overdue.count)


if __name__ == "__main__":
    main(sys.argv[1])
