"""The notebook-style example runs whole, with or without matplotlib."""

import subprocess
import sys


def test_monthly_figures_example_runs(root, tmp_path):
    chart = tmp_path / "chart.png"
    done = subprocess.run(
        [sys.executable, str(root / "examples" / "python" / "monthly_figures.py"), str(chart)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "November 2026 2026-11-01 to 2026-11-30" in done.stdout
    assert "open: 20 overdue: 10 on time: 27.8 %" in done.stdout
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "the chart is skipped" in done.stdout
    else:
        assert chart.stat().st_size > 0
