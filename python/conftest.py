"""Shared fixtures: the repository's root, and the ``ladder`` command the
package must agree with (``LADDER_BIN``, else ``target/debug/ladder``, built
with ``cargo build --features cli`` when it is not there)."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def ladder_bin() -> str:
    given = os.environ.get("LADDER_BIN")
    if given:
        return given
    built = ROOT / "target" / "debug" / "ladder"
    if not built.exists():
        subprocess.run(
            ["cargo", "build", "--quiet", "--features", "cli", "--bin", "ladder"],
            cwd=ROOT,
            check=True,
        )
    return str(built)


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # The docstrings' examples name files by their path from the root.
    monkeypatch.chdir(ROOT)
