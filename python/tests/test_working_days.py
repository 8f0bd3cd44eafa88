"""Working days over arrays: the answers worked out by hand from the
published bank holidays (GOV.UK), in every form the package takes."""

import datetime

import numpy as np
import pytest

import escalation_ladder as el

D = "datetime64[D]"


def days(*texts):
    return np.array(texts, dtype=D)


def test_christmas_2026_in_england_and_wales():
    # Fri 18 Dec: Mon 21..Thu 24 are days 1-4, Fri 25 Christmas Day, Sat/Sun,
    # Mon 28 the Boxing Day substitute, so Tue 29 is day 5.
    assert el.add_working_days(days("2026-12-18"), 5).tolist() == [datetime.date(2026, 12, 29)]
    # A Saturday start: Monday 21 is day 1, the same day 5.
    assert str(el.add_working_days(np.datetime64("2026-12-19"), 5)) == "2026-12-29"
    # Day 0 on a non-working day is the next working day; back over New Year.
    assert el.add_working_days("2026-12-25", 0) == datetime.date(2026, 12, 29)
    assert el.add_working_days("2027-01-04", -1) == datetime.date(2026, 12, 31)


def test_scotland_differs_where_its_holidays_do():
    # St Andrew's Day 2026 is Monday 30 November in Scotland only; the World
    # Cup holiday of Monday 15 June 2026 was proclaimed for Scotland.
    start = days("2026-11-27", "2026-06-12")
    assert el.add_working_days(start, 1, region="scotland").astype(str).tolist() == [
        "2026-12-01",
        "2026-06-16",
    ]
    assert el.add_working_days(start, 1).astype(str).tolist() == ["2026-11-30", "2026-06-15"]
    # St Andrew's Day became a bank holiday with the St Andrew's Day Bank
    # Holiday (Scotland) Act 2007: Friday 30 November 2007 is one, Thursday
    # 30 November 2006 was not (the `holidays` package lists it).
    assert el.count_working_days("2007-11-29", "2007-12-03", region="scotland") == 1
    assert el.count_working_days("2007-11-29", "2007-12-03") == 2
    assert el.count_working_days("2006-11-29", "2006-12-01", region="scotland") == 2


def test_broadcasting_follows_numpy():
    start = days("2026-12-18", "2026-12-24")
    n = np.array([[1], [5]])
    got = el.add_working_days(start, n)
    assert got.shape == (2, 2)
    assert got.astype(str).tolist() == [["2026-12-21", "2026-12-29"], ["2026-12-29", "2027-01-05"]]
    assert el.count_working_days(start, got).tolist() == [[1, 1], [5, 5]]
    with pytest.raises(el.InvalidRequest) as caught:
        el.add_working_days(days("2026-12-18", "2026-12-24"), [1, 2, 3])
    assert caught.value.code == "request.invalid-value"


def test_non_contiguous_and_other_units():
    base = el.add_working_days("2026-01-05", np.arange(0, 40))  # a Monday
    strided = base[::3]
    assert (el.add_working_days(strided[:13], 2) == base[2::3]).all()
    seconds = np.array(["2026-12-18T00:00:00"], dtype="datetime64[s]")
    assert el.add_working_days(seconds, 5).astype(str).tolist() == ["2026-12-29"]


def test_missing_dates():
    got = el.add_working_days(np.array(["2026-12-18", "NaT"], dtype=D), 5)
    assert str(got[0]) == "2026-12-29" and np.isnat(got[1])
    with pytest.raises(el.InvalidRequest) as caught:
        el.count_working_days(np.array(["NaT"], dtype=D), "2026-12-31")
    assert caught.value.fields["field"] == "from"


def test_errors_carry_code_message_fields_and_the_element():
    with pytest.raises(el.InvalidRequest) as caught:
        el.add_working_days(days("2026-12-18", "2199-12-30", "1970-01-01"), 5)
    error = caught.value
    assert error.code == "calendar.result-out-of-range"
    assert error.fields["index"] == 1
    assert error.message.startswith("element 1: ")
    assert isinstance(error, ValueError)
    with pytest.raises(el.InvalidRequest) as caught:
        el.add_working_days("2026-12-18", 2**40)
    assert caught.value.code == "request.invalid-value"
    assert caught.value.fields["found"] == str(2**40)
    with pytest.raises(el.InvalidRequest) as caught:
        el.add_working_days("2026-02-30", 1)
    assert caught.value.fields["found"] == "2026-02-30"
    with pytest.raises(el.InvalidRequest) as caught:
        el.add_working_days("2026-12-18", 1, region="wales")
    assert caught.value.code == "calendar.unknown-region"


def test_pandas_in_and_out():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"received": pd.to_datetime(["2026-12-18", "2026-12-24"]), "n": [5, 1]},
        index=["a", "b"],
    )
    due = el.add_working_days(frame["received"], frame["n"])
    assert isinstance(due, pd.Series)
    assert list(due.index) == ["a", "b"]
    assert [d.strftime("%Y-%m-%d") for d in due] == ["2026-12-29", "2026-12-29"]
    index = pd.DatetimeIndex(["2026-12-24"])
    assert isinstance(el.count_working_days(index, "2026-12-31"), pd.Index)
    zoned = frame["received"].dt.tz_localize("Europe/London")
    with pytest.raises(el.InvalidRequest):
        el.add_working_days(zoned, 1)


def test_closures_and_extra_holidays():
    assert el.add_working_days("2026-12-18", 5, closures=["2026-12-29"]) == datetime.date(2026, 12, 30)
    assert el.add_working_days(
        "2026-12-18", 5, holidays=[("2026-12-22", "A proclaimed day")]
    ) == datetime.date(2026, 12, 30)
    assert el.count_working_days("2026-12-24", "2026-12-31", closures={"2026-12-30": "shut"}) == 2


def test_bank_holidays_and_explain():
    table = el.bank_holidays("england-and-wales", 2022)
    # 2022: the Spring bank holiday moved to 2 June, the Platinum Jubilee on
    # 3 June, the State Funeral on 19 September; Christmas Day a Sunday.
    assert table["date"].astype(str).tolist() == [
        "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
        "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27",
    ]
    assert set(table["kind"]) == {"regular", "substitute", "moved", "proclaimed"}
    why = el.explain("2026-12-24", 1)
    assert why["result"] == "2026-12-29"
    assert [d["date"] for d in why["walked"]][0] == "2026-12-25"
