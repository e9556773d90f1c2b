package dev.sigfresh.conformance;

import static dev.sigfresh.conformance.Support.fail;
import static dev.sigfresh.conformance.Support.list;
import static dev.sigfresh.conformance.Support.need;
import static dev.sigfresh.conformance.Support.obj;
import static dev.sigfresh.conformance.Support.onlyKnown;
import static dev.sigfresh.conformance.Support.str;

import dev.sigfresh.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kinds "refresh" (the cache/lease API: {@code cacheNew}, {@code cacheGet},
 * {@code cacheInstall}, {@code cacheCompleteSuccess}/{@code Failure},
 * {@code cacheInvalidateIfCurrent}, jitter 0) and "exchanges" (the source machines:
 * {@code sourceNewImds}/{@code Container}, {@code sourceStart}, {@code sourcePoll},
 * {@code sourceHandleResponse}) through {@code NativeApi}.
 */
final class RefreshCases {
    private RefreshCases() {}

    static final String[] ACCESS = {"use", "refresh", "wait", "failed"};
    static final String[] DECISIONS = {
        "fresh", "refresh_advised", "refresh_required", "stale_but_usable", "expired", "missing"
    };
    static final String[] FAILURES = {"retryable", "non_retryable", "throttled", "source_unavailable"};
    static final String[] COMPLETIONS = {
        "installed", "unchanged", "failed", "stale_extended", "rejected_expired", "superseded"
    };

    static long caseCredentials(NativeApi api, Map<String, Object> c, String key) {
        Map<String, Object> v = obj(obj(c, "credentials"), key);
        if (v.isEmpty()) {
            throw fail("no credentials " + key);
        }
        onlyKnown(v, "credentials field", "access_key_id", "secret_access_key", "session_token", "expiry");
        String expiry = str(v, "expiry");
        return api.credentialsNew(need(v, "access_key_id"), need(v, "secret_access_key"), str(v, "session_token"),
                expiry == null ? NativeApi.ABSENT_TIME : Support.time(api, expiry), null, 0);
    }

    static void refresh(NativeApi api, Map<String, Object> c) {
        onlyKnown(c, "field", "description", "policy", "credentials", "steps");
        if (!obj(c, "policy").isEmpty()) {
            throw fail("policy overrides are not supported by this runner yet");
        }
        long[] policy = new long[NativeApi.POLICY_LENGTH];
        Arrays.fill(policy, -1);
        long cache = api.cacheNew(policy);
        Map<String, Long> leases = new HashMap<>();
        try {
            List<Object> steps = list(c, "steps");
            for (int i = 0; i < steps.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> step = (Map<String, Object>) steps.get(i);
                onlyKnown(step, "step field", "at", "op", "expect", "lease_as", "lease", "credentials", "failure",
                        "access_key_id");
                long now = Support.time(api, str(step, "at"));
                Map<String, Object> got = new LinkedHashMap<>();
                String op = need(step, "op");
                switch (op) {
                    case "get":
                        get(api, cache, now, step, leases, got);
                        break;
                    case "install":
                    case "complete":
                    case "fail":
                        complete(api, cache, c, now, step, op, leases, got);
                        break;
                    case "invalidate": {
                        long probe = api.credentialsNew(need(step, "access_key_id"), "unused", null,
                                NativeApi.ABSENT_TIME, null, 0);
                        try {
                            got.put("invalidated", api.cacheInvalidateIfCurrent(cache, probe));
                        } finally {
                            api.credentialsFree(probe);
                        }
                        break;
                    }
                    default:
                        throw fail("step " + i + ": unknown op " + op);
                }
                compareStep(api, i, got, obj(step, "expect"));
            }
        } finally {
            for (long l : leases.values()) {
                api.leaseFree(l);
            }
            api.cacheFree(cache);
        }
    }

    static void get(NativeApi api, long cache, long now, Map<String, Object> step, Map<String, Long> leases,
            Map<String, Object> got) {
        long[] a = api.cacheGet(cache, now);
        long creds = a[NativeApi.GET_CREDENTIALS];
        long lease = a[NativeApi.GET_LEASE];
        try {
            long kind = a[NativeApi.GET_ACCESS_KIND];
            got.put("access", Support.name(ACCESS, kind));
            if (kind == 0 || kind == 1) {
                got.put("decision", Support.name(DECISIONS, a[NativeApi.GET_DECISION_KIND]));
            }
            if (kind == 0) {
                got.put("access_key_id", creds == 0 ? null : api.credentialsText(creds)[0]);
                got.put("lease", lease != 0);
            }
            if (kind == 2) {
                got.put("until", a[NativeApi.GET_UNTIL]);
            }
            if (kind == 3) {
                got.put("failure", Support.name(FAILURES, a[NativeApi.GET_FAILURE_KIND]));
                got.put("retry_at", a[NativeApi.GET_UNTIL]);
            }
            String as = str(step, "lease_as");
            if (lease != 0 && as != null) {
                Long old = leases.put(as, lease);
                if (old != null) {
                    api.leaseFree(old);
                }
                lease = 0;
            }
        } finally {
            api.credentialsFree(creds);
            api.leaseFree(lease); // dropped unused: it expires at its deadline
        }
    }

    static long takeLease(Map<String, Long> leases, Map<String, Object> step) {
        Long l = leases.remove(need(step, "lease"));
        if (l == null) {
            throw fail("no lease " + step.get("lease"));
        }
        return l;
    }

    static void complete(NativeApi api, long cache, Map<String, Object> c, long now, Map<String, Object> step,
            String op, Map<String, Long> leases, Map<String, Object> got) {
        long[] done;
        if (op.equals("fail")) {
            long lease = takeLease(leases, step);
            try {
                int failure = Support.indexOf(FAILURES, need(step, "failure"), "failure");
                done = api.cacheCompleteFailure(cache, lease, failure, NativeApi.ABSENT_TIME, now, 0);
            } finally {
                api.leaseFree(lease);
            }
        } else {
            long creds = caseCredentials(api, c, need(step, "credentials"));
            try {
                if (op.equals("install")) {
                    done = api.cacheInstall(cache, creds, now, 0);
                } else {
                    long lease = takeLease(leases, step);
                    try {
                        done = api.cacheCompleteSuccess(cache, lease, creds, now, 0);
                    } finally {
                        api.leaseFree(lease);
                    }
                }
            } finally {
                api.credentialsFree(creds);
            }
        }
        long kind = done[0];
        got.put("completion", Support.name(COMPLETIONS, kind));
        if (kind == 0 || kind == 1) {
            got.put("next_refresh_at", done[1]);
        } else if (kind == 2 || kind == 3 || kind == 4) {
            got.put("retry_at", done[1]);
        }
    }

    /** Every expected field must be in {@code got} with the same value (times compared as ms). */
    static void compareStep(NativeApi api, int i, Map<String, Object> got, Map<String, Object> want) {
        for (Map.Entry<String, Object> e : want.entrySet()) {
            String k = e.getKey();
            Object w = e.getValue();
            Object g = got.get(k);
            boolean ok;
            if (!got.containsKey(k)) {
                ok = false;
            } else if (g instanceof Long) {
                ok = w instanceof String && (Long) g == Support.time(api, (String) w);
            } else {
                ok = g != null && g.equals(w);
            }
            if (!ok) {
                throw fail("step " + i + ": " + k + ": want " + Support.show(w) + " (step result " + got + ")");
            }
        }
    }

    // ------------------------------------------------------------------ IMDS / container exchanges

    static final int STEP_SEND = 0;
    static final int STEP_DONE = 5;
    static final int STEP_FAILED = 6;

    static String header(String[] flat, String name) {
        for (int i = 0; i < flat.length; i += 2) {
            if (flat[i].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return flat[i + 1];
            }
        }
        return null;
    }

    static void exchange(NativeApi api, Map<String, Object> c) {
        onlyKnown(c, "field", "description", "source", "env", "steps");
        String[] env = Support.objectPairs(obj(c, "env"));
        String which = need(c, "source");
        long src;
        switch (which) {
            case "imds":
                src = api.sourceNewImds(env, 0, null);
                break;
            case "container":
                src = api.sourceNewContainer(env);
                break;
            default:
                throw fail("unknown source " + which);
        }
        try {
            List<Object> steps = list(c, "steps");
            for (int i = 0; i < steps.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> step = (Map<String, Object>) steps.get(i);
                long now = Support.time(api, str(step, "at"));
                String op = need(step, "op");
                switch (op) {
                    case "start":
                        onlyKnown(step, "step field", "at", "op");
                        api.sourceStart(src, now, 0);
                        break;
                    case "respond": {
                        onlyKnown(step, "step field", "at", "op", "status", "headers", "body");
                        String body = str(step, "body");
                        api.sourceHandleResponse(src, now, (int) Support.num(step.get("status"), "status"),
                                Support.pairs(list(step, "headers")),
                                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
                        break;
                    }
                    case "poll":
                        onlyKnown(step, "step field", "at", "op", "expect");
                        poll(api, src, i, now, obj(step, "expect"));
                        break;
                    default:
                        throw fail("step " + i + ": unknown op " + op);
                }
            }
        } finally {
            api.sourceFree(src);
        }
    }

    static void poll(NativeApi api, long src, int i, long now, Map<String, Object> want) {
        onlyKnown(want, "expectation", "send", "done");
        Object[] step = api.sourcePoll(src, now);
        long[] n = (long[]) step[0];
        String[] text = (String[]) step[1];
        String[] headers = (String[]) step[2];
        long creds = n[NativeApi.STEP_CREDENTIALS];
        try {
            Map<String, Object> send = obj(want, "send");
            Map<String, Object> done = obj(want, "done");
            String error = str(done, "error");
            long kind = n[NativeApi.STEP_KIND];
            if (kind == STEP_SEND && !send.isEmpty()) {
                onlyKnown(send, "send expectation", "method", "url", "headers", "absent_headers");
                String m = str(send, "method");
                String u = str(send, "url");
                if (m != null) {
                    Support.eq("step " + i + ": method", text[0], m);
                }
                if (u != null) {
                    Support.eq("step " + i + ": url", text[1], u);
                }
                for (Map.Entry<String, Object> h : obj(send, "headers").entrySet()) {
                    Support.eq("step " + i + ": header " + h.getKey(), header(headers, h.getKey()), h.getValue());
                }
                for (Object h : list(send, "absent_headers")) {
                    if (header(headers, (String) h) != null) {
                        throw fail("step " + i + ": header " + h + " is present");
                    }
                }
                return;
            }
            if (kind == STEP_DONE && !done.isEmpty() && error == null) {
                Support.checkCredentials(api, creds, done);
                return;
            }
            if (kind == STEP_FAILED && error != null) {
                onlyKnown(done, "done expectation", "error");
                String got = Support.kindName(api.resultName((int) n[NativeApi.STEP_ERROR]), "SOURCE_");
                Support.eq("step " + i + ": error", got, error);
                return;
            }
            throw fail("step " + i + ": got step kind " + kind
                    + (kind == STEP_FAILED ? " (" + api.resultName((int) n[NativeApi.STEP_ERROR]) + ": " + text[3] + ")" : "")
                    + ", want " + want);
        } finally {
            api.credentialsFree(creds);
        }
    }
}
