#!/usr/bin/env python3
"""A client of `ladder serve` in Python, with the standard library only.

The case system stores the alert state; the service keeps none. Each call
sends the stored state and gets the new one back.

    ladder serve --listen 127.0.0.1:8080 &
    python3 examples/python/ladder_client.py http://127.0.0.1:8080

tests/serve.rs runs this file against the real service on loopback.
"""

import json
import sys
import urllib.error
import urllib.request


class LadderError(Exception):
    """An error document from the service: {"code", "message", "fields"}."""

    def __init__(self, status, document):
        super().__init__(f"{status} {document['code']}: {document['message']}")
        self.status = status
        self.code = document["code"]
        self.fields = document["fields"]


class Ladder:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def _post(self, path, body):
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            raise LadderError(error.code, json.load(error)) from None

    def apply(self, ladder, event, state=None, expect_version=None):
        """Applies an event; returns {"state", "transitions"}."""
        body = {"event": event}
        if state is not None:
            body["state"] = state
        if expect_version is not None:
            body["expect_version"] = expect_version
        return self._post(f"/v1/ladders/{ladder}/apply", body)

    def status(self, ladder, state, as_of):
        """The alert's status as at a date."""
        return self._post(f"/v1/ladders/{ladder}/status", {"state": state, "as_of": as_of})


def main(base):
    client = Ladder(base)
    ladder = "iro-dispute-resolution"
    # An IRO raises a dispute with the team manager on Monday 21 December 2026.
    raised = client.apply(ladder, {
        "id": "evt-1", "on": "2026-12-21", "actor": "iro", "type": "raise",
        "stage": "team-manager", "reason": "no permanence plan",
    })
    state = raised["state"]  # store this in the case record
    print("respond_by", state["respond_by"])
    print("ceiling", state["ceiling"])
    now = client.status(ladder, state, "2026-12-24")
    print("working_days_left", now["working_days_left"])
    # A second writer that read the state at version 0 is refused: 409.
    try:
        client.apply(ladder, {"on": "2026-12-22", "actor": "tm", "type": "respond"},
                     state=state, expect_version=0)
    except LadderError as error:
        print("refused", error.status, error.code)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
