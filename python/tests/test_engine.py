"""The engine on dicts: the same answers as the ``ladder`` command given the
same state, trail and calendar."""

import json
import subprocess

import pytest

import escalation_ladder as el

RAISE = {"id": "evt-1", "on": "2026-12-21", "actor": "iro", "type": "raise",
         "stage": "team-manager", "reason": "no permanence plan"}


def cli(ladder_bin, *args):
    done = subprocess.run([ladder_bin, *args, "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_status_advance_recompute_are_the_clis(ladder_bin, tmp_path):
    iro = el.builtin("iro-dispute-resolution")
    applied = iro.apply(RAISE)
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(applied["state"]))
    trail = [t["audit"] for t in applied["transitions"]]
    trail_file = tmp_path / "trail.jsonl"
    trail_file.write_text("".join(json.dumps(entry) + "\n" for entry in trail))

    status = iro.status(applied["state"], "2026-12-24")
    assert status == cli(ladder_bin, "status", "iro-dispute-resolution",
                         "--state", str(state_file), "--as-of", "2026-12-24")
    # Christmas Day and the Boxing Day substitute skipped: due Wednesday 30th.
    assert (status["next_deadline"], status["working_days_left"]) == ("2026-12-30", 2)

    advanced = iro.advance(applied["state"], "2027-02-01")
    assert advanced == cli(ladder_bin, "advance", "iro-dispute-resolution",
                           "--state", str(state_file), "--as-of", "2027-02-01")

    shut = el.builtin("iro-dispute-resolution", closures=["2026-12-29"])
    rebased = shut.recompute(applied["state"], trail)
    assert rebased == cli(ladder_bin, "recompute", "iro-dispute-resolution",
                          "--state", str(state_file), "--trail", str(trail_file),
                          "--closure", "2026-12-29")
    assert (rebased["moved"], rebased["after"]["respond_by"]) == (True, "2026-12-31")
    # An event on the old state, on the new calendar, is refused until the
    # state is recomputed; on the recomputed state it is taken.
    respond = {"on": "2026-12-22", "actor": "tm", "type": "respond"}
    with pytest.raises(el.Refused) as caught:
        shut.apply(respond, applied["state"])
    assert caught.value.code == "state.calendar-changed"
    assert shut.apply(respond, rebased["state"])["state"]["events_applied"] == 2


def test_typed_objects_are_written_as_their_dicts():
    import dataclasses

    @dataclasses.dataclass
    class Raise:
        on: str
        actor: str
        type: str
        stage: str
        reason: str

    iro = el.builtin("iro-dispute-resolution")
    typed = iro.apply(Raise("2026-12-21", "iro", "raise", "team-manager", "no permanence plan"))
    plain = iro.apply({k: v for k, v in RAISE.items() if k != "id"})
    assert typed == plain


def test_a_council_ladder_and_the_errors_it_raises(root):
    anytown = el.Ladder.from_file(root / "examples" / "data" / "council-ladder.toml")
    assert anytown.id == "anytown-iro-escalation"
    assert anytown.timeline("2026-12-21") == el.Ladder.from_toml(
        (root / "examples" / "data" / "council-ladder.toml").read_text()
    ).timeline("2026-12-21")
    with pytest.raises(el.NotFound) as caught:
        el.builtin("no-such-ladder")
    assert caught.value.to_dict()["code"] == "ladder.unknown"
    assert isinstance(caught.value, LookupError)
