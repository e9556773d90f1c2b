package dev.sigfresh.internal.panama;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The structs of include/sigfresh.h as {@link StructLayout}s, with the padding the C compiler
 * inserts written out (x86-64 / AArch64 LP64: pointers and size_t are 8 bytes aligned to 8,
 * {@code uint32_t} enums 4, {@code bool} 1 byte), and every field offset as a {@code long}
 * constant for the hot path. Offsets are computed from the layouts, never typed in, and
 * PanamaSmoke checks the sizes and offsets against what gcc computes from the header.
 */
final class Layouts {
    private Layouts() {}

    private static MemoryLayout size_t(String name) {
        return JAVA_LONG.withName(name);
    }

    private static MemoryLayout ptr(String name) {
        return ADDRESS.withName(name);
    }

    /** {@code sigfresh_pair}: name, name_len, value, value_len (32 bytes). */
    static final StructLayout PAIR = structLayout(
        ptr("name"), size_t("name_len"), ptr("value"), size_t("value_len")).withName("sigfresh_pair");

    /** {@code sigfresh_str}: ptr, len (16 bytes). */
    static final StructLayout STR = structLayout(ptr("ptr"), size_t("len")).withName("sigfresh_str");

    /** {@code sigfresh_bytes}: ptr, len (16 bytes). */
    static final StructLayout BYTES = structLayout(ptr("ptr"), size_t("len")).withName("sigfresh_bytes");

    /** {@code sigfresh_skew_change} (32 bytes). */
    static final StructLayout SKEW_CHANGE = structLayout(
        JAVA_INT.withName("kind"), paddingLayout(4),
        JAVA_LONG.withName("previous_ms"),
        JAVA_LONG.withName("offset_ms"),
        JAVA_LONG.withName("measured_ms")).withName("sigfresh_skew_change");

    /** {@code sigfresh_refresh_decision} (48 bytes). */
    static final StructLayout REFRESH_DECISION = structLayout(
        JAVA_INT.withName("kind"), paddingLayout(4),
        JAVA_LONG.withName("refresh_at_ms"),
        JAVA_LONG.withName("expires_at_ms"),
        JAVA_BOOLEAN.withName("has_expiry"), paddingLayout(7),
        JAVA_LONG.withName("retry_at_ms"),
        JAVA_BOOLEAN.withName("usable"),
        JAVA_BOOLEAN.withName("must_wait"), paddingLayout(6)).withName("sigfresh_refresh_decision");

    /** {@code sigfresh_failure} (16 bytes). */
    static final StructLayout FAILURE = structLayout(
        JAVA_INT.withName("kind"),
        JAVA_BOOLEAN.withName("has_retry_after"), paddingLayout(3),
        JAVA_LONG.withName("retry_after_ms")).withName("sigfresh_failure");

    /** {@code sigfresh_access} (88 bytes). */
    static final StructLayout ACCESS = structLayout(
        JAVA_INT.withName("kind"), paddingLayout(4),
        REFRESH_DECISION.withName("decision"),
        JAVA_LONG.withName("until_ms"),
        JAVA_LONG.withName("generation"),
        FAILURE.withName("failure")).withName("sigfresh_access");

    /** {@code sigfresh_completion} (16 bytes). */
    static final StructLayout COMPLETION = structLayout(
        JAVA_INT.withName("kind"), paddingLayout(4),
        JAVA_LONG.withName("at_ms")).withName("sigfresh_completion");

    /** {@code sigfresh_payload} (24 bytes). */
    static final StructLayout PAYLOAD = structLayout(
        JAVA_INT.withName("kind"), paddingLayout(4),
        ptr("data"), size_t("data_len")).withName("sigfresh_payload");

    /** {@code sigfresh_request} (72 bytes). */
    static final StructLayout REQUEST = structLayout(
        ptr("method"), size_t("method_len"),
        ptr("uri"), size_t("uri_len"),
        ptr("headers"), size_t("headers_len"),
        PAYLOAD.withName("payload")).withName("sigfresh_request");

    /** {@code sigfresh_http_request} (96 bytes). */
    static final StructLayout HTTP_REQUEST = structLayout(
        STR.withName("method"),
        STR.withName("url"),
        ptr("headers"), size_t("headers_len"),
        BYTES.withName("body"),
        JAVA_LONG.withName("timeout_ms"),
        JAVA_BOOLEAN.withName("use_proxy"), paddingLayout(7),
        ptr("connect_to"), size_t("connect_to_len")).withName("sigfresh_http_request");

    /** {@code sigfresh_step} (152 bytes). */
    static final StructLayout STEP = structLayout(
        JAVA_INT.withName("kind"), paddingLayout(4),
        HTTP_REQUEST.withName("request"),
        STR.withName("text"),
        JAVA_LONG.withName("wait_until_ms"),
        JAVA_INT.withName("error"), paddingLayout(4),
        FAILURE.withName("failure")).withName("sigfresh_step");

    static long off(StructLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }

    // sigfresh_pair
    static final long PAIR_SIZE = PAIR.byteSize();
    static final long PAIR_NAME = off(PAIR, "name");
    static final long PAIR_NAME_LEN = off(PAIR, "name_len");
    static final long PAIR_VALUE = off(PAIR, "value");
    static final long PAIR_VALUE_LEN = off(PAIR, "value_len");

    // sigfresh_str / sigfresh_bytes
    static final long STR_SIZE = STR.byteSize();
    static final long STR_PTR = off(STR, "ptr");
    static final long STR_LEN = off(STR, "len");

    // sigfresh_skew_change
    static final long SKEW_KIND = off(SKEW_CHANGE, "kind");
    static final long SKEW_PREVIOUS = off(SKEW_CHANGE, "previous_ms");
    static final long SKEW_OFFSET = off(SKEW_CHANGE, "offset_ms");
    static final long SKEW_MEASURED = off(SKEW_CHANGE, "measured_ms");

    // sigfresh_refresh_decision
    static final long DEC_KIND = off(REFRESH_DECISION, "kind");
    static final long DEC_REFRESH_AT = off(REFRESH_DECISION, "refresh_at_ms");
    static final long DEC_EXPIRES_AT = off(REFRESH_DECISION, "expires_at_ms");
    static final long DEC_HAS_EXPIRY = off(REFRESH_DECISION, "has_expiry");
    static final long DEC_RETRY_AT = off(REFRESH_DECISION, "retry_at_ms");
    static final long DEC_USABLE = off(REFRESH_DECISION, "usable");
    static final long DEC_MUST_WAIT = off(REFRESH_DECISION, "must_wait");

    // sigfresh_failure
    static final long FAIL_KIND = off(FAILURE, "kind");
    static final long FAIL_HAS_RETRY_AFTER = off(FAILURE, "has_retry_after");
    static final long FAIL_RETRY_AFTER = off(FAILURE, "retry_after_ms");

    // sigfresh_access
    static final long ACC_KIND = off(ACCESS, "kind");
    static final long ACC_DECISION = off(ACCESS, "decision");
    static final long ACC_UNTIL = off(ACCESS, "until_ms");
    static final long ACC_GENERATION = off(ACCESS, "generation");
    static final long ACC_FAILURE = off(ACCESS, "failure");

    // sigfresh_completion
    static final long COMP_KIND = off(COMPLETION, "kind");
    static final long COMP_AT = off(COMPLETION, "at_ms");

    // sigfresh_request (payload inline)
    static final long REQ_SIZE = REQUEST.byteSize();
    static final long REQ_METHOD = off(REQUEST, "method");
    static final long REQ_METHOD_LEN = off(REQUEST, "method_len");
    static final long REQ_URI = off(REQUEST, "uri");
    static final long REQ_URI_LEN = off(REQUEST, "uri_len");
    static final long REQ_HEADERS = off(REQUEST, "headers");
    static final long REQ_HEADERS_LEN = off(REQUEST, "headers_len");
    static final long REQ_PAYLOAD_KIND = off(REQUEST, "payload", "kind");
    static final long REQ_PAYLOAD_DATA = off(REQUEST, "payload", "data");
    static final long REQ_PAYLOAD_LEN = off(REQUEST, "payload", "data_len");

    // sigfresh_step (http request inline)
    static final long STEP_SIZE = STEP.byteSize();
    static final long STEP_KIND = off(STEP, "kind");
    static final long STEP_REQ_METHOD = off(STEP, "request", "method");
    static final long STEP_REQ_URL = off(STEP, "request", "url");
    static final long STEP_REQ_HEADERS = off(STEP, "request", "headers");
    static final long STEP_REQ_HEADERS_LEN = off(STEP, "request", "headers_len");
    static final long STEP_REQ_BODY = off(STEP, "request", "body");
    static final long STEP_REQ_TIMEOUT = off(STEP, "request", "timeout_ms");
    static final long STEP_REQ_USE_PROXY = off(STEP, "request", "use_proxy");
    static final long STEP_REQ_CONNECT_TO = off(STEP, "request", "connect_to");
    static final long STEP_REQ_CONNECT_TO_LEN = off(STEP, "request", "connect_to_len");
    static final long STEP_TEXT = off(STEP, "text");
    static final long STEP_WAIT_UNTIL = off(STEP, "wait_until_ms");
    static final long STEP_ERROR = off(STEP, "error");
    static final long STEP_FAILURE = off(STEP, "failure");
}
