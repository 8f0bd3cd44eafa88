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
    lib.el_call.restype = ctypes.c_int32
    lib.el_call.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                            ctypes.c_char_p, ctypes.c_size_t, out]
    return lib


def operation(lib, handle, name, request, payload=b""):
    """Any operation by name: el_call with the request as JSON; returns
    (status, the answer's text)."""
    out = ctypes.c_void_p()
    status = lib.el_call(handle, name.encode(), json.dumps(request).encode(),
                         payload or None, len(payload), ctypes.byref(out))
    try:
        text = ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.el_string_free(out)
    return status, text


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

        # Re-based after a closure on 29-31 December (a handle with them):
        # due Tuesday 5 January 2027.
        closed = ctypes.c_void_p()
        closures = json.dumps({"closures": [{"date": d} for d in
                                            ("2026-12-29", "2026-12-30", "2026-12-31")]})
        status, made = call(lib, lib.el_handle_new, None, None, closures.encode(),
                            ctypes.byref(closed))
        assert status == EL_OK, made
        try:
            trail = [t["audit"] for t in applied["transitions"]]
            status, text = operation(lib, closed, "recompute",
                                     {"ladder": "iro-dispute-resolution",
                                      "state": state, "trail": trail})
            assert status == EL_OK, text
            rebased = json.loads(text)
            assert rebased["moved"] is True, rebased
            assert rebased["after"]["respond_by"] == "2027-01-05", rebased
        finally:
            lib.el_handle_free(closed)

        # A timeline and the iCalendar of a cases buffer.
        status, text = operation(lib, handle, "timeline",
                                 {"procedure": "iro-dispute-resolution", "raised": "2026-12-21"})
        assert status == EL_OK and json.loads(text)["ceiling"] == "2027-01-21", text
        cases = json.dumps({"case": "IRO-1", "ladder": "iro-dispute-resolution",
                            "events": [{"on": "2026-12-21", "actor": "iro", "type": "raise",
                                        "stage": "team-manager", "reason": "drift"}]}) + "\n"
        status, ics = operation(lib, handle, "ics", {"as_of": "2026-12-24"}, cases.encode())
        assert status == EL_OK and "DTSTART;VALUE=DATE:20261230" in ics, ics
        # An unknown operation is an error document like any other.
        status, text = operation(lib, handle, "fly", {})
        assert status == EL_ERROR and json.loads(text)["code"] == "request.unknown-operation", text
    finally:
        lib.el_handle_free(handle)
    print(json.dumps({"version": version, "applied": applied, "status": now,
                      "refused": refused, "rebased": rebased}))


if __name__ == "__main__":
    main(sys.argv[1])
