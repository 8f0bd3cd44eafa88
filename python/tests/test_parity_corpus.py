"""The package's door against the library's, request by request: the Rust
parity tests (ffi/tests/parity.rs) send some 3,700 generated requests (300
sequences of raises, escalations, responses, hostile states, corrections,
batches and replays on every built-in ladder, then every picture and report
format) through the library, the command line, HTTP and the C ABI, and write
each request with the library's answer to ``target/tmp/parity-corpus``.
Here each is sent again through ``Registry.call``, the package's one way
into the operations: an answer must be the same bytes, an error the same
code, message and fields."""

import json
import os
import pathlib
import subprocess

import pytest

from escalation_ladder import EscalationLadderError, _native

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CORPUS = TARGET / "tmp" / "parity-corpus"
NAMES = ["sequences", "pictures"]


@pytest.fixture(scope="module")
def corpus() -> pathlib.Path:
    # `cargo test` writes it; made here when the package is tested alone.
    if not all((CORPUS / f"{name}.jsonl").exists() for name in NAMES):
        subprocess.run(
            ["cargo", "test", "--quiet", "-p", "escalation-ladder-ffi", "--test", "parity",
             "--", "the_sequences_reach_answers_and_refusals",
             "pictures_and_report_formats_are_the_same_at_every_door"],
            cwd=ROOT,
            check=True,
        )
    return CORPUS


_registries = {}


def registry(closures):
    key = tuple(closures)
    if key not in _registries:
        _registries[key] = _native.Registry(closures=[(day, None) for day in closures])
    return _registries[key]


@pytest.mark.parametrize("name", NAMES)
def test_every_request_gets_the_librarys_answer(corpus, name):
    lines = (corpus / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > (1000 if name == "sequences" else 20)
    answered = refused = 0
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        where = f"{name}.jsonl line {number}: {record['operation']} {record['request'][:200]}"
        call = lambda: registry(record["closures"]).call(  # noqa: E731
            record["operation"],
            record["request"].encode(),
            bytes.fromhex(record["payload_hex"]),
            None,
        )
        expected = record["answer"]
        if "ok" in expected:
            _, body = call()
            assert body.decode() == expected["ok"], where
            answered += 1
        else:
            with pytest.raises(EscalationLadderError) as caught:
                call()
            document = expected["error"]
            got = (caught.value.code, caught.value.message, caught.value.fields)
            assert got == (document["code"], document["message"], document["fields"]), where
            refused += 1
    # Both kinds are replayed, not only one.
    assert answered > 0 and (refused > 0 or name == "pictures")
