# %% [markdown]
# # A month's figures from a cases export, with pandas
#
# Notebook-style (each `# %%` is a cell in VS Code or Jupyter with jupytext;
# `python examples/python/monthly_figures.py` runs it whole). It loads the
# case system's export (JSON Lines, one alert a line:
# `examples/data/cases.jsonl`), asks the library for November 2026's report
# as at Christmas Eve, works out how many working days each first response
# took over the whole export with one array call, and plots the month's
# timeliness by team. pandas is needed; matplotlib is optional (without it
# the chart is skipped with a message, and the figures are still computed).
#
# Install first: `pip install './python[pandas]'` (and `matplotlib`).

# %%
import pathlib
import sys

import numpy as np
import pandas as pd

import escalation_ladder as el

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = ROOT / "examples" / "data" / "cases.jsonl"
AS_OF = "2026-12-24"

cases = pd.read_json(CASES, lines=True, dtype=False)
print(f"{len(cases)} alerts, {cases['ladder'].nunique()} ladders, {cases['team'].nunique()} teams")

# %% [markdown]
# ## The month's report
#
# The same report `ladder report --format json` writes: the period is the
# last complete month ending on or before `as_of` (November 2026 here).

# %%
month = el.report(cases, as_of=AS_OF)
print(month["period"]["label"], month["period"]["from"], "to", month["period"]["to"])
print("open:", month["cases"]["open"], "overdue:", month["overdue"]["count"],
      "on time:", month["timeliness"]["overall"]["percent_on_time"], "%")

by_team = month.to_pandas("timeliness.by_team").set_index("team")
print(by_team[["measured", "on_time", "late", "missed", "percent_on_time"]])

overdue = month.to_pandas("overdue.alerts")
print(overdue[["case", "team", "due", "working_days_overdue"]].sort_values(
    "working_days_overdue", ascending=False).head())

# %% [markdown]
# ## Working days to a first response, over the whole export
#
# One call over arrays, no Python loop: the raise and the first response of
# each alert, and the working days between them, day 0 being the raise.

# %%
def first_on(events, kind):
    return next((e["on"] for e in events if e["type"] == kind), None)

raised = pd.to_datetime(cases["events"].map(lambda e: first_on(e, "raise")))
responded = pd.to_datetime(cases["events"].map(lambda e: first_on(e, "respond")))
answered = raised.notna() & responded.notna()
took = el.count_working_days(raised[answered], responded[answered])
response = pd.DataFrame({"team": cases.loc[answered, "team"], "working_days": took})
print(response.groupby("team")["working_days"].describe()[["count", "mean", "max"]])

# Five working days from the raise (the IRO ladder's team-manager window),
# for every raise at once whatever its ladder: how many responses came later.
due = el.add_working_days(raised[answered], 5)
print("responses after 5 working days:", int((responded[answered] > due).sum()),
      "of", int(answered.sum()))

# %% [markdown]
# ## One chart: timeliness by team in the month

# %%
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: the chart is skipped (pip install matplotlib)")
    sys.exit(0)

ax = by_team[["on_time", "late", "missed"]].plot.barh(
    stacked=True, color=["#2b8a3e", "#f08c00", "#c92a2a"], figsize=(8, 4))
ax.set_xlabel("alerts measured")
ax.set_title(f"Responses by team, {month['period']['label']} (as at {AS_OF})")
plt.tight_layout()
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target" / "timeliness-by-team.png")
out.parent.mkdir(parents=True, exist_ok=True)
plt.savefig(out, dpi=100)
print(f"chart written to {out}")
