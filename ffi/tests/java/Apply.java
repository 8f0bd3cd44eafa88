// A Java 17 caller of the ABI through JNA (Debian's libjna-java): raises an
// IRO alert with the team manager on Monday 21 December 2026, re-bases it on a
// handle with a Christmas closure through el_call, and shows an error. Prints
// one line of JSON for tests/java_jna.rs to check; exits non-zero at the first
// thing that is not as expected. Java 17 has no FFM API, hence JNA.

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

public class Apply {
    /** The ABI's functions (ffi/include/escalation_ladder.h); size_t is 64 bits here. */
    public interface EscalationLadder extends Library {
        String el_version();
        int el_handle_new(String region, String ladderText, String calendarJson,
                          PointerByReference outHandle, PointerByReference outJson);
        void el_handle_free(Pointer handle);
        void el_string_free(Pointer text);
        int el_apply(Pointer handle, String ladder, String state, String event,
                     long expectedVersion, PointerByReference outJson);
        int el_call(Pointer handle, String operation, String requestJson, byte[] payload,
                    long payloadLen, PointerByReference outJson);
    }

    static final int EL_OK = 0, EL_ERROR = 1;
    static EscalationLadder lib;

    /** The text written to out, freed with el_string_free. */
    static String take(PointerByReference out) {
        Pointer text = out.getValue();
        try {
            return text.getString(0, "UTF-8");
        } finally {
            lib.el_string_free(text);
        }
    }

    static void check(boolean holds, String what) {
        if (!holds) {
            System.err.println("Apply.java: failed: " + what);
            System.exit(1);
        }
    }

    public static void main(String[] args) {
        lib = Native.load("escalation_ladder_ffi", EscalationLadder.class);
        check(lib.el_version().contains("\"abi\":2"), "el_version");

        PointerByReference handleOut = new PointerByReference();
        PointerByReference out = new PointerByReference();
        check(lib.el_handle_new(null, null, null, handleOut, out) == EL_OK, "el_handle_new");
        take(out);
        Pointer handle = handleOut.getValue();

        String raise = "{\"on\":\"2026-12-21\",\"actor\":\"iro\",\"type\":\"raise\","
            + "\"stage\":\"team-manager\",\"reason\":\"drift in permanence planning\"}";
        int status = lib.el_apply(handle, "iro-dispute-resolution", null, raise, -1, out);
        String applied = take(out);
        check(status == EL_OK, applied);
        check(applied.contains("\"respond_by\":\"2026-12-30\""), "respond_by " + applied);

        // The stored state and the raise's audit entry, cut from the answer.
        int start = applied.indexOf("\"state\":") + "\"state\":".length();
        String state = applied.substring(start, applied.indexOf(",\"transitions\":"));
        int audit = applied.indexOf("\"audit\":") + "\"audit\":".length();
        String trail = "[" + applied.substring(audit, applied.length() - "}]}".length()) + "]";

        // A handle with the council's closure on 29-31 December re-bases it.
        PointerByReference closedOut = new PointerByReference();
        String closures = "{\"closures\":[{\"date\":\"2026-12-29\"},{\"date\":\"2026-12-30\"},"
            + "{\"date\":\"2026-12-31\",\"reason\":\"Christmas shutdown\"}]}";
        check(lib.el_handle_new(null, null, closures, closedOut, out) == EL_OK, "closures");
        take(out);
        Pointer closed = closedOut.getValue();
        String request = "{\"ladder\":\"iro-dispute-resolution\",\"state\":" + state
            + ",\"trail\":" + trail + "}";
        status = lib.el_call(closed, "recompute", request, null, 0, out);
        String rebased = take(out);
        check(status == EL_OK, rebased);
        check(rebased.contains("\"moved\":true"), "moved " + rebased);

        // Applying the old state on the closed calendar: refused, a document.
        String respond = "{\"on\":\"2026-12-22\",\"actor\":\"tm\",\"type\":\"respond\"}";
        status = lib.el_apply(closed, "iro-dispute-resolution", state, respond, -1, out);
        String refused = take(out);
        check(status == EL_ERROR, refused);
        check(refused.contains("\"code\":\"state.calendar-changed\""), refused);

        // A report over a cases buffer, the payload.
        byte[] cases = ("{\"case\":\"IRO-1\",\"ladder\":\"iro-dispute-resolution\",\"events\":["
            + raise + "]}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        status = lib.el_call(handle, "report", "{\"as_of\":\"2026-12-24\",\"format\":\"summary-csv\"}",
                             cases, cases.length, out);
        String report = take(out);
        check(status == EL_OK && report.contains("cases,,,open,1,\n"), report);

        lib.el_handle_free(closed);
        lib.el_handle_free(handle);
        System.out.println("{\"applied\":" + applied + ",\"rebased\":" + rebased
            + ",\"refused\":" + refused + "}");
    }
}
