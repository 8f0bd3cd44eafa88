"""The package against the ``ladder`` command: the same answers and the
same errors on random pairs (hypothesis), and the same report on the same
cases file."""

import json
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import escalation_ladder as el

REGIONS = ["england-and-wales", "scotland", "northern-ireland", "united-kingdom"]
# Epoch days from 1977 to 2200: the tables' range (1978-2199) and a year
# either side, so that refusals are drawn as well as answers.
FIRST, LAST = int(np.datetime64("1977-01-01", "D").astype(int)), int(
    np.datetime64("2200-12-31", "D").astype(int)
)
day = st.integers(FIRST, LAST)
near = st.integers(-400, 400)


def run(ladder_bin, command, lines, region):
    done = subprocess.run(
        [ladder_bin, command, "--region", region, "--error-format", "json"],
        input="".join(f"{a} {b}\n" for a, b in lines),
        capture_output=True,
        text=True,
    )
    answers = done.stdout.splitlines()
    error = json.loads(done.stderr) if done.returncode else None
    return answers, error


def as_text(days):
    return np.array(days, dtype="int64").view("datetime64[D]").astype(str).tolist()


def check(got, answers, error, to_text):
    if error is None:
        assert to_text(got()) == answers
        return
    with pytest.raises(el.EscalationLadderError) as caught:
        got()
    # The CLI names the line (from 1), the package the element (from 0).
    index = error["fields"]["line"] - 1
    assert caught.value.code == error["code"]
    assert caught.value.fields["index"] == index == len(answers)
    assert caught.value.message.split(": ", 1)[1] == error["message"].split(": ", 1)[1]


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(day, st.one_of(near, st.integers(-(2**31), 2**31 - 1))), min_size=1, max_size=40),
    region=st.sampled_from(REGIONS),
)
def test_add_agrees_with_the_cli(ladder_bin, pairs, region):
    dates = as_text([d for d, _ in pairs])
    n = np.array([k for _, k in pairs])
    answers, error = run(ladder_bin, "add-working-days", zip(dates, n), region)
    check(
        lambda: el.add_working_days(np.array(dates, dtype="datetime64[D]"), n, region=region),
        answers,
        error,
        lambda got: got.astype(str).tolist(),
    )


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(day, near), min_size=1, max_size=40),
    region=st.sampled_from(REGIONS),
)
def test_count_agrees_with_the_cli(ladder_bin, pairs, region):
    start = as_text([d for d, _ in pairs])
    end = as_text([d + k for d, k in pairs])
    answers, error = run(ladder_bin, "count-working-days", zip(start, end), region)
    check(
        lambda: el.count_working_days(start, end, region=region),
        answers,
        error,
        lambda got: [str(c) for c in got.tolist()],
    )


@pytest.mark.parametrize(
    "as_of, period",
    [("2026-12-24", None), ("2026-12-24", "quarter"), ("2027-01-15", "2026-10-01..2026-12-31")],
)
def test_the_report_is_the_clis(ladder_bin, root, as_of, period):
    cases = root / "examples" / "data" / "cases.jsonl"
    command = [ladder_bin, "report", "--cases", str(cases), "--as-of", as_of, "--format", "json"]
    if period:
        command += ["--period", period]
    cli = json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
    ours = el.report(cases, as_of=as_of, period=period)
    assert isinstance(ours, el.Report)
    assert dict(ours) == cli
    # The same cases read by pandas and given as records: the same report.
    pd = pytest.importorskip("pandas")
    frame = pd.read_json(cases, lines=True, dtype=False)
    assert dict(el.report(frame, as_of=as_of, period=period)) == cli
    assert set(ours.to_pandas()) == set(ours.tables())


def test_the_csv_report_is_the_clis(ladder_bin, root):
    cases = root / "examples" / "data" / "cases.jsonl"
    command = [ladder_bin, "report", "--cases", str(cases), "--as-of", "2026-12-24", "--format", "csv"]
    cli = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    assert el.report(cases, as_of="2026-12-24", format="csv") == cli


def test_the_engine_is_the_clis(ladder_bin):
    iro = el.builtin("iro-dispute-resolution")
    event = {"id": "evt-1", "on": "2026-12-21", "actor": "iro", "type": "raise",
             "stage": "team-manager", "reason": "no permanence plan"}
    applied = iro.apply(event)
    cli = subprocess.run(
        [ladder_bin, "apply", "iro-dispute-resolution", "--event", json.dumps(event), "--json"],
        capture_output=True, text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == applied
    timeline = subprocess.run(
        [ladder_bin, "timeline", "iro-dispute-resolution", "--raised", "2026-12-21", "--json"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(timeline.stdout) == iro.timeline("2026-12-21")
