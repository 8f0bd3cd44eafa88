#!/usr/bin/env python3
"""Working days over 1,000,000 pairs: the package against numpy's busday
functions, in one process, one run.

    python python/benches/numpy_busday.py [--pairs 1000000] [--rounds 7]

The same pairs go through both: dates uniform over 1979-03-01..2098-10-31
(so that every answer stays inside 1978-2099), N uniform in -60..=60, and an
end date within 400 days either way. England and Wales; numpy gets the bank
holidays of 1978 to 2099 as its holiday list (``numpy.busdaycalendar``, made
once, as the package's calendar is), taken from the package itself, so that
the two differ only in their conventions, never in their holidays.

Each round times, in turn, the package's add, numpy's add, the package's
count and numpy's count over all the pairs; the figures are the median and
the best of the rounds' wall times, and the median of their CPU times (this
thread's, which the native code runs on), in nanoseconds a pair. Every round's answers are
checked against the first round's, so nothing can be skipped.

Then the answers are compared, pair by pair:

- ``numpy.busday_offset(d, n, roll="forward")`` first rolls a non-working d
  forward to a working day, then moves n working days. The package counts
  the day of receipt as day 0: N working days after D is the N-th working day
  strictly after D, so a receipt on a weekend or bank holiday makes the next
  working day day 1. The two differ exactly where d is not a working day and
  n >= 1: numpy counts the rolled day as day 0 and answers one working day
  later. Rolling backward for n > 0 and forward otherwise gives the
  package's answer on every pair.
- ``numpy.busday_count(a, b)`` counts the working days in [a, b) when
  a <= b, and minus those in (b, a] when b < a (numpy 1.25 and later); the
  package counts (a, b], and minus (b, a]. So the two differ only where
  a <= b, and there ``busday_count(a + 1, b + 1)`` is the package's count.

The script exits non-zero if either rewritten numpy call disagrees with the
package on any pair, or if the package is less than 20 times faster for add
or 10 times for count (the goals of issue 21), with ``--check``.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

import escalation_ladder as el

SEED = 0x5EED_CA1E


def machine() -> dict:
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemTotal"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "escalation_ladder": el.__version__,
    }


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def pairs(count: int):
    rng = np.random.default_rng(SEED)
    first, last = np.datetime64("1979-03-01"), np.datetime64("2098-10-31")
    span = (last - first).astype(int) + 1
    dates = first + rng.integers(0, span, count).astype("timedelta64[D]")
    n = rng.integers(-60, 61, count)
    ends = dates + rng.integers(-400, 401, count).astype("timedelta64[D]")
    return dates, n, ends


def timed(function, walls: list, cpus: list, check):
    """Runs ``function`` once: its wall time, and the CPU time of this thread
    (the native code runs on it too), which a machine shared with other work
    inflates far less than the wall time."""
    cpu, wall = time.thread_time(), time.perf_counter()
    answer = function()
    walls.append(time.perf_counter() - wall)
    cpus.append(time.thread_time() - cpu)
    check(answer)
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    load_before = load()
    dates, n, ends = pairs(args.pairs)
    table = el.bank_holidays("england-and-wales", range(1978, 2100))
    calendar = np.busdaycalendar(weekmask="1111100", holidays=table["date"])

    def ours_add():
        return el.add_working_days(dates, n)

    def numpy_add():
        return np.busday_offset(dates, n, roll="forward", busdaycal=calendar)

    def ours_count():
        return el.count_working_days(dates, ends)

    def numpy_count():
        return np.busday_count(dates, ends, busdaycal=calendar)

    # The first answers, which every round must give again (warm-up too).
    first = {name: f() for name, f in [("ours_add", ours_add), ("numpy_add", numpy_add),
                                       ("ours_count", ours_count), ("numpy_count", numpy_count)]}
    times = {name: [] for name in first}
    cpu_times = {name: [] for name in first}
    for _ in range(args.rounds):
        for name, function in [("ours_add", ours_add), ("numpy_add", numpy_add),
                               ("ours_count", ours_count), ("numpy_count", numpy_count)]:
            expected = first[name]
            timed(function, times[name], cpu_times[name],
                  lambda a, e=expected: np.testing.assert_array_equal(a, e))
    load_after = load()

    ns = {name: statistics.median(t) / args.pairs * 1e9 for name, t in times.items()}
    best = {name: min(t) / args.pairs * 1e9 for name, t in times.items()}
    cpu = {name: statistics.median(t) / args.pairs * 1e9 for name, t in cpu_times.items()}

    # Where the answers differ, and why.
    ours_a, numpy_a = first["ours_add"], first["numpy_add"]
    working = np.is_busday(dates, busdaycal=calendar)
    add_differs = ours_a != numpy_a
    explained = add_differs == (~working & (n >= 1))
    rewritten_add = np.where(
        n > 0,
        np.busday_offset(dates, n, roll="backward", busdaycal=calendar),
        np.busday_offset(dates, n, roll="forward", busdaycal=calendar),
    )
    later = np.busday_offset(ours_a[add_differs], 1, roll="forward", busdaycal=calendar)
    ours_c, numpy_c = first["ours_count"], first["numpy_count"]
    count_differs = ours_c != numpy_c
    one_day = np.timedelta64(1, "D")
    rewritten_count = np.where(
        dates <= ends,
        np.busday_count(dates + one_day, ends + one_day, busdaycal=calendar),
        numpy_c,
    )

    figures = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": load_before,
        "load_after": load_after,
        "pairs": args.pairs,
        "rounds": args.rounds,
        "ns_per_pair_median": {k: round(v, 2) for k, v in ns.items()},
        "ns_per_pair_best": {k: round(v, 2) for k, v in best.items()},
        "ns_per_pair_cpu_median": {k: round(v, 2) for k, v in cpu.items()},
        "speedup_add": round(ns["numpy_add"] / ns["ours_add"], 1),
        "speedup_count": round(ns["numpy_count"] / ns["ours_count"], 1),
        "speedup_add_cpu": round(cpu["numpy_add"] / cpu["ours_add"], 1),
        "speedup_count_cpu": round(cpu["numpy_count"] / cpu["ours_count"], 1),
        "add_differs": int(add_differs.sum()),
        "add_differs_only_where_start_not_working_and_n_positive": bool(explained.all()),
        "add_numpy_one_working_day_later_there": bool((later == numpy_a[add_differs]).all()),
        "add_rewritten_differs": int((rewritten_add != ours_a).sum()),
        "count_differs": int(count_differs.sum()),
        "count_differs_only_where_start_on_or_before_end": bool((dates[count_differs] <= ends[count_differs]).all()),
        "count_rewritten_differs": int((rewritten_count != ours_c).sum()),
    }

    m = figures["machine"]
    print(f"{args.pairs:,} pairs, England and Wales, holidays 1978-2099 passed to numpy; "
          f"median (best) of {args.rounds} rounds, ns a pair")
    print(f"{figures['date']}; {m['cpu']}, {m['cores']} cores, {m['memory']}; "
          f"load {load_before} before, {load_after} after")
    print(f"Python {m['python']}, numpy {m['numpy']}, escalation_ladder {m['escalation_ladder']}")
    print()
    print("| operation | escalation_ladder: wall (best), CPU | numpy: wall (best), CPU "
          "| numpy / escalation_ladder: wall, CPU | goal |")
    print("|---|---|---|---|---|")
    for op, goal in (("add", 20), ("count", 10)):
        ours, theirs = f"ours_{op}", f"numpy_{op}"
        print(f"| {op} | {ns[ours]:.1f} ({best[ours]:.1f}), {cpu[ours]:.1f} "
              f"| {ns[theirs]:.1f} ({best[theirs]:.1f}), {cpu[theirs]:.1f} "
              f"| {figures['speedup_' + op]}x, {figures['speedup_' + op + '_cpu']}x | {goal}x |")
    print()
    print(f"add: {figures['add_differs']:,} of {args.pairs:,} answers differ from "
          f"busday_offset(roll='forward'), all where the start is not a working day and n >= 1 "
          f"({figures['add_differs_only_where_start_not_working_and_n_positive']}), numpy one "
          f"working day later ({figures['add_numpy_one_working_day_later_there']}); rolling "
          f"backward for n > 0: {figures['add_rewritten_differs']} differ")
    print(f"count: {figures['count_differs']:,} answers differ from busday_count(a, b), all where "
          f"a <= b ({figures['count_differs_only_where_start_on_or_before_end']}): numpy counts "
          f"[a, b) there; busday_count(a + 1, b + 1) there: {figures['count_rewritten_differs']} differ")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)
            out.write("\n")

    failed = []
    if figures["add_rewritten_differs"] or figures["count_rewritten_differs"]:
        failed.append("numpy, rewritten to the package's convention, disagrees")
    if not (figures["add_differs_only_where_start_not_working_and_n_positive"]
            and figures["add_numpy_one_working_day_later_there"]
            and figures["count_differs_only_where_start_on_or_before_end"]):
        failed.append("an answer differs for another reason than the convention")
    if args.check and figures["speedup_add"] < 20:
        failed.append(f"add is {figures['speedup_add']}x numpy, the goal 20x")
    if args.check and figures["speedup_count"] < 10:
        failed.append(f"count is {figures['speedup_count']}x numpy, the goal 10x")
    for failure in failed:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
