"""A Python caller of the ABI through ctypes (the standard library only).

Usage: python3 apply.py PATH-TO-LIBRARY

Raises an IRO alert with the team manager on Monday 21 December 2026, reads
the new state, asks its status on Christmas Eve, and shows an error. Prints
one JSON object for tests/python_ctypes.rs to check; exits non-zero at the
first thing that is not as expected.
"""

import ctypes
import json
import sys

EL_OK, EL_ERROR = 0, 1


def load(path):
    lib = ctypes.CDLL(path)
    # Results are written to a char** the caller frees: declare them as
    # c_void_p, not c_char_p, so that ctypes does not copy and lose the pointer.
    out = ctypes.POINTER(ctypes.c_void_p)
    lib.el_version.restype = ctypes.c_char_p
    lib.el_version.argtypes = []
    lib.el_handle_new.restype = ctypes.c_int32
    lib.el_handle_new.argtypes = [ctypes.c_char_p] * 3 + [
        ctypes.POINTER(ctypes.c_void_p), out]
    lib.el_handle_free.restype = None
    lib.el_handle_free.argtypes = [ctypes.c_void_p]
    lib.el_string_free.restype = None
    lib.el_string_free.argtypes = [ctypes.c_void_p]
    lib.el_apply.restype = ctypes.c_int32
    lib.el_apply.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                             ctypes.c_char_p, ctypes.c_int64, out]
    lib.el_status.restype = ctypes.c_int32
    lib.el_status.argtypes = [ctypes.c_void_p] + [ctypes.c_char_p] * 3 + [out]
    return lib


def call(lib, function, *args):
    """Calls function with an out_json; returns (status, parsed JSON)."""
    out = ctypes.c_void_p()
    status = function(*args, ctypes.byref(out))
    try:
        text = ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.el_string_free(out)
    return status, json.loads(text)


def main(path):
    lib = load(path)
    version = json.loads(lib.el_version().decode("utf-8"))
    assert version["abi"] == 2, version

    handle = ctypes.c_void_p()
    status, made = call(lib, lib.el_handle_new, None, None, None, ctypes.byref(handle))
    assert status == EL_OK and handle.value, made
    try:
        ladder = b"iro-dispute-resolution"
        raise_ = json.dumps({"on": "2026-12-21", "actor": "iro", "type": "raise",
                             "stage": "team-manager",
                             "reason": "drift in permanence planning"}).encode()
        status, applied = call(lib, lib.el_apply, handle, ladder, None, raise_, -1)
        assert status == EL_OK, applied
        state = applied["state"]
        assert state["respond_by"] == "2026-12-30", state
        assert state["ceiling"] == "2027-01-21", state

        stored = json.dumps(state).encode()
        status, now = call(lib, lib.el_status, handle, ladder, stored, b"2026-12-24")
        assert status == EL_OK, now
        assert now["working_days_left"] == 2, now

        # A respond at the wrong version: the contract's error document.
        respond = b'{"on":"2026-12-29","actor":"tm","type":"respond"}'
        status, refused = call(lib, lib.el_apply, handle, ladder, stored, respond, 7)
        assert status == EL_ERROR, refused
        assert refused["code"] == "state.version-conflict", refused
    finally:
        lib.el_handle_free(handle)
    print(json.dumps({"version": version, "applied": applied, "status": now,
                      "refused": refused}))


if __name__ == "__main__":
    main(sys.argv[1])
