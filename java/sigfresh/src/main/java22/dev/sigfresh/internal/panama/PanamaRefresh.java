package dev.sigfresh.internal.panama;

import static dev.sigfresh.internal.NativeApi.ABSENT_TIME;

/** The credential cache, leases and credential sources (see PanamaNative). */
final class PanamaRefresh {
    private PanamaRefresh() {}

    private static RuntimeException rethrow(Throwable t) {
        return Errors.<RuntimeException>rethrow(t);
    }

    // ------------------------------------------------------------------ cache

    static long cacheNew(long[] policy) {
        if (policy == null) {
            throw Errors.nullArgument("policy");
        }
        if (policy.length != 11) {
            throw Errors.invalid("policy", "has " + policy.length + " slots, expected 11");
        }
        for (int i = 0; i < 11; i++) {
            long v = policy[i];
            boolean ok = v == -1 || (i < 9 ? v >= 0 : i == 9 ? v >= 0 && v <= 0xFFFF_FFFFL : v == 0 || v == 1);
            if (!ok) {
                throw Errors.error(Errors.INVALID_ARGUMENT, "`policy[" + i + "]`: " + v + " is out of range");
            }
        }
        Scratch s = Scratch.acquire();
        long p = 0;
        try {
            Errors.check((int) C.sigfresh_refresh_policy_new.invokeExact(s.out0));
            p = Scratch.getLong(s.out0);
            for (int i = 0; i < 9; i++) {
                if (policy[i] != -1) {
                    Errors.check((int) C.sigfresh_refresh_policy_set_duration.invokeExact(p, i, policy[i]));
                }
            }
            if (policy[9] != -1) {
                Errors.check((int) C.sigfresh_refresh_policy_set_jitter_percent.invokeExact(p, (int) policy[9]));
            }
            if (policy[10] != -1) {
                Errors.check((int) C.sigfresh_refresh_policy_set_imds_static_stability.invokeExact(p, policy[10] == 1));
            }
            Errors.check((int) C.sigfresh_credential_cache_new.invokeExact(p, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            try {
                if (p != 0) {
                    int ignored = (int) C.sigfresh_refresh_policy_free.invokeExact(p);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.release();
            }
        }
    }

    /** Copies a sigfresh_refresh_decision at {@code d} into 6 slots from {@code at}. */
    private static void decision(long d, long[] into, int at) {
        into[at] = Scratch.getLong(d + Layouts.DEC_REFRESH_AT);
        into[at + 1] = Scratch.getLong(d + Layouts.DEC_EXPIRES_AT);
        into[at + 2] = Scratch.getBool(d + Layouts.DEC_HAS_EXPIRY) ? 1 : 0;
        into[at + 3] = Scratch.getLong(d + Layouts.DEC_RETRY_AT);
        into[at + 4] = Scratch.getBool(d + Layouts.DEC_USABLE) ? 1 : 0;
        into[at + 5] = Scratch.getBool(d + Layouts.DEC_MUST_WAIT) ? 1 : 0;
    }

    static long[] cacheGet(long cache, long nowMs) {
        Errors.handle(cache, "cache");
        Scratch s = Scratch.acquire();
        try {
            long a = s.outStruct;
            Scratch.putLong(s.out0, 0);
            Scratch.putLong(s.out1, 0);
            Errors.check((int) C.sigfresh_credential_cache_get.invokeExact(cache, nowMs, a, s.out0, s.out1));
            long[] r = new long[15];
            r[0] = Scratch.getInt(a + Layouts.ACC_KIND);
            long d = a + Layouts.ACC_DECISION;
            r[1] = Scratch.getInt(d + Layouts.DEC_KIND);
            decision(d, r, 2);
            r[8] = Scratch.getLong(a + Layouts.ACC_UNTIL);
            r[9] = Scratch.getLong(a + Layouts.ACC_GENERATION);
            long f = a + Layouts.ACC_FAILURE;
            r[10] = Scratch.getInt(f + Layouts.FAIL_KIND);
            r[11] = Scratch.getBool(f + Layouts.FAIL_HAS_RETRY_AFTER) ? 1 : 0;
            r[12] = Scratch.getLong(f + Layouts.FAIL_RETRY_AFTER);
            r[13] = Scratch.getLong(s.out0);
            r[14] = Scratch.getLong(s.out1);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long[] cacheCurrent(long cache, long nowMs) {
        Errors.handle(cache, "cache");
        Scratch s = Scratch.acquire();
        try {
            long d = s.outStruct;
            Scratch.putLong(s.out0, 0);
            Errors.check((int) C.sigfresh_credential_cache_current.invokeExact(cache, nowMs, d, s.out0));
            long[] r = new long[8];
            r[0] = Scratch.getInt(d + Layouts.DEC_KIND);
            decision(d, r, 1);
            r[7] = Scratch.getLong(s.out0);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    private static long[] completion(long c) {
        return new long[] {Scratch.getInt(c + Layouts.COMP_KIND), Scratch.getLong(c + Layouts.COMP_AT)};
    }

    static long[] cacheCompleteSuccess(long cache, long lease, long credentials, long nowMs, long jitter) {
        Errors.handle(cache, "cache");
        Errors.handle(lease, "lease");
        Errors.handle(credentials, "credentials");
        Scratch s = Scratch.acquire();
        try {
            Errors.check((int) C.sigfresh_credential_cache_complete_success.invokeExact(cache, lease, credentials,
                nowMs, jitter, s.outStruct));
            return completion(s.outStruct);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long[] cacheCompleteDocument(long cache, long lease, byte[] document, long nowMs, long jitter) {
        Errors.handle(cache, "cache");
        Errors.handle(lease, "lease");
        if (document == null) {
            throw Errors.nullArgument("document");
        }
        Scratch s = Scratch.acquire();
        try {
            long doc = s.bytesOrEmpty(document);
            Scratch.putLong(s.out0, 0);
            Errors.check((int) C.sigfresh_credential_cache_complete_document.invokeExact(cache, lease, doc, s.lastLen,
                nowMs, jitter, s.out0, s.outStruct));
            long[] c = completion(s.outStruct);
            return new long[] {c[0], c[1], Scratch.getInt(s.out0)};
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static long[] cacheCompleteFailure(long cache, long lease, int failureKind, long retryAfterMs,
            long nowMs, long jitter) {
        Errors.handle(cache, "cache");
        Errors.handle(lease, "lease");
        Scratch s = Scratch.acquire();
        try {
            long f = s.alloc(Layouts.FAILURE.byteSize());
            Scratch.putLong(f, 0);
            Scratch.putInt(f + Layouts.FAIL_KIND, failureKind);
            Scratch.putByte(f + Layouts.FAIL_HAS_RETRY_AFTER, (byte) (retryAfterMs != ABSENT_TIME ? 1 : 0));
            Scratch.putLong(f + Layouts.FAIL_RETRY_AFTER, retryAfterMs != ABSENT_TIME ? retryAfterMs : 0);
            Errors.check((int) C.sigfresh_credential_cache_complete_failure.invokeExact(cache, lease, f, nowMs,
                jitter, s.outStruct));
            return completion(s.outStruct);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static boolean cacheRelease(long cache, long lease) {
        Errors.handle(cache, "cache");
        Errors.handle(lease, "lease");
        Scratch s = Scratch.acquire();
        try {
            return Calls.bool(s, o -> (int) C.sigfresh_credential_cache_release.invokeExact(cache, lease, o));
        } finally {
            s.release();
        }
    }

    static long[] cacheInstall(long cache, long credentials, long nowMs, long jitter) {
        Errors.handle(cache, "cache");
        Errors.handle(credentials, "credentials");
        Scratch s = Scratch.acquire();
        try {
            Errors.check((int) C.sigfresh_credential_cache_install.invokeExact(cache, credentials, nowMs, jitter,
                s.outStruct));
            return completion(s.outStruct);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static boolean cacheInvalidateIfCurrent(long cache, long credentials) {
        Errors.handle(cache, "cache");
        Errors.handle(credentials, "credentials");
        Scratch s = Scratch.acquire();
        try {
            return Calls.bool(s, o -> (int) C.sigfresh_credential_cache_invalidate_if_current.invokeExact(cache,
                credentials, o));
        } finally {
            s.release();
        }
    }

    static long cacheNextRefreshAt(long cache) {
        Errors.handle(cache, "cache");
        Scratch s = Scratch.acquire();
        try {
            return Calls.i64(s, o -> (int) C.sigfresh_credential_cache_next_refresh_at.invokeExact(cache, o), ABSENT_TIME);
        } finally {
            s.release();
        }
    }

    static boolean cacheWaitForChange(long cache, long generation, long timeoutMs) {
        Errors.handle(cache, "cache");
        if (timeoutMs < 0) {
            throw Errors.invalid("timeoutMs", "is negative");
        }
        // The area is held across a blocking call: an upcall cannot happen here, and a virtual
        // thread stays pinned to its carrier for the call like for any downcall.
        Scratch s = Scratch.acquire();
        try {
            return Calls.bool(s, o -> (int) C.sigfresh_credential_cache_wait_for_change.invokeExact(cache,
                generation, timeoutMs, o));
        } finally {
            s.release();
        }
    }

    static long cacheGeneration(long cache) {
        Errors.handle(cache, "cache");
        Scratch s = Scratch.acquire();
        try {
            return Calls.i64(s, o -> (int) C.sigfresh_credential_cache_generation.invokeExact(cache, o));
        } finally {
            s.release();
        }
    }

    static long[] cacheLastFailure(long cache) {
        Errors.handle(cache, "cache");
        Scratch s = Scratch.acquire();
        try {
            long f = s.outStruct;
            int rc = (int) C.sigfresh_credential_cache_last_failure.invokeExact(cache, f);
            if (rc == Errors.ABSENT) {
                return null;
            }
            Errors.check(rc);
            return new long[] {
                Scratch.getInt(f + Layouts.FAIL_KIND),
                Scratch.getBool(f + Layouts.FAIL_HAS_RETRY_AFTER) ? 1 : 0,
                Scratch.getLong(f + Layouts.FAIL_RETRY_AFTER),
            };
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long[] leaseInfo(long lease) {
        Errors.handle(lease, "lease");
        Scratch s = Scratch.acquire();
        try {
            long issued = Calls.i64(s, o -> (int) C.sigfresh_lease_issued_at.invokeExact(lease, o));
            long deadline = Calls.i64(s, o -> (int) C.sigfresh_lease_deadline.invokeExact(lease, o));
            return new long[] {issued, deadline};
        } finally {
            s.release();
        }
    }

    // ------------------------------------------------------------------ sources

    static long sourceNewImds(String[] env, long profileSet, String profile) {
        Scratch s = Scratch.acquire();
        try {
            long e = s.pairs(env, "env");
            long p = s.textOrNull(profile, "profile");
            Errors.check((int) C.sigfresh_source_new_imds.invokeExact(e, (long) (env.length >> 1), profileSet, p,
                s.lastLen, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long sourceNewContainer(String[] env) {
        Scratch s = Scratch.acquire();
        try {
            long e = s.pairs(env, "env");
            Errors.check((int) C.sigfresh_source_new_container.invokeExact(e, (long) (env.length >> 1), s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static long sourceNewChain(String[] env, String credentialsText, String configText) {
        Scratch s = Scratch.acquire();
        try {
            long e = s.pairs(env, "env");
            long cred = s.textOrNull(credentialsText, "credentialsText");
            long credLen = s.lastLen;
            long conf = s.textOrNull(configText, "configText");
            Errors.check((int) C.sigfresh_source_new_chain.invokeExact(e, (long) (env.length >> 1), cred, credLen,
                conf, s.lastLen, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static void sourceStart(long source, long nowMs, long jitter) {
        Errors.handle(source, "source");
        try {
            Errors.check((int) C.sigfresh_source_start.invokeExact(source, nowMs, jitter));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final int STEP_SEND = 0;
    private static final int STEP_READ_FILE = 1;
    private static final int STEP_RUN_PROCESS = 2;
    private static final int STEP_RESOLVE = 3;
    private static final int STEP_DONE = 5;
    private static final int STEP_FAILED = 6;

    static Object[] sourcePoll(long source, long nowMs) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long st = s.outStruct;
            Errors.check((int) C.sigfresh_source_poll.invokeExact(source, nowMs, st));
            int kind = Scratch.getInt(st + Layouts.STEP_KIND);
            long[] n = new long[9];
            n[0] = kind;
            n[1] = Scratch.getLong(st + Layouts.STEP_WAIT_UNTIL);
            String[] text = new String[4];
            String[] headers = new String[0];
            byte[] body = new byte[0];
            String[] connectTo = new String[0];
            if (kind == STEP_SEND) {
                text[0] = Scratch.str(st + Layouts.STEP_REQ_METHOD);
                text[1] = Scratch.str(st + Layouts.STEP_REQ_URL);
                long hs = Scratch.getLong(st + Layouts.STEP_REQ_HEADERS);
                int hc = (int) Scratch.getLong(st + Layouts.STEP_REQ_HEADERS_LEN);
                headers = new String[2 * hc];
                for (int i = 0; i < hc; i++) {
                    PanamaSigning.readPair(hs + i * Layouts.PAIR_SIZE, headers, i);
                }
                body = Scratch.bytesAt(Scratch.getLong(st + Layouts.STEP_REQ_BODY + Layouts.STR_PTR),
                    Scratch.getLong(st + Layouts.STEP_REQ_BODY + Layouts.STR_LEN));
                long ct = Scratch.getLong(st + Layouts.STEP_REQ_CONNECT_TO);
                int cc = (int) Scratch.getLong(st + Layouts.STEP_REQ_CONNECT_TO_LEN);
                connectTo = new String[cc];
                for (int i = 0; i < cc; i++) {
                    connectTo[i] = Scratch.str(ct + i * Layouts.STR_SIZE);
                }
                n[6] = Scratch.getLong(st + Layouts.STEP_REQ_TIMEOUT);
                n[7] = Scratch.getBool(st + Layouts.STEP_REQ_USE_PROXY) ? 1 : 0;
            } else if (kind == STEP_READ_FILE || kind == STEP_RUN_PROCESS || kind == STEP_RESOLVE) {
                text[2] = Scratch.str(st + Layouts.STEP_TEXT);
            }
            n[3] = -1;
            if (kind == STEP_FAILED) {
                n[2] = Scratch.getInt(st + Layouts.STEP_ERROR);
                long f = st + Layouts.STEP_FAILURE;
                n[3] = Scratch.getInt(f + Layouts.FAIL_KIND);
                n[4] = Scratch.getBool(f + Layouts.FAIL_HAS_RETRY_AFTER) ? 1 : 0;
                n[5] = Scratch.getLong(f + Layouts.FAIL_RETRY_AFTER);
                text[3] = Calls.text(s, (b, c, l) -> (int) C.sigfresh_source_error_message.invokeExact(source, b, c, l),
                    false);
            } else if (kind == STEP_DONE) {
                Errors.check((int) C.sigfresh_source_credentials.invokeExact(source, s.out0));
                n[8] = Scratch.getLong(s.out0);
            }
            return new Object[] {n, text, headers, body, connectTo};
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static void sourceHandleResponse(long source, long nowMs, int status, String[] headers, byte[] body) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long hs = s.pairs(headers, "headers");
            long b = s.bytesOrEmpty(body);
            long bLen = s.lastLen;
            short st = Errors.status(status);
            Errors.check((int) C.sigfresh_source_handle_response.invokeExact(source, nowMs, st, hs,
                (long) (headers.length >> 1), b, bLen));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static void sourceHandleTransportError(long source, long nowMs, int error, String detail) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long d = s.textOrNull(detail, "detail");
            Errors.check((int) C.sigfresh_source_handle_transport_error.invokeExact(source, nowMs, error, d, s.lastLen));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static void sourceHandleFile(long source, long nowMs, byte[] contents) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long c = s.bytesOrEmpty(contents);
            Errors.check((int) C.sigfresh_source_handle_file.invokeExact(source, nowMs, c, s.lastLen));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static void sourceHandleProcess(long source, long nowMs, long exitCode, byte[] stdout) {
        Errors.handle(source, "source");
        if (exitCode != ABSENT_TIME && (exitCode < Integer.MIN_VALUE || exitCode > Integer.MAX_VALUE)) {
            throw Errors.invalid("exitCode", "is not an int");
        }
        Scratch s = Scratch.acquire();
        try {
            long code = 0;
            if (exitCode != ABSENT_TIME) {
                code = s.out1;
                Scratch.putInt(code, (int) exitCode);
            }
            long o = s.bytesOrEmpty(stdout);
            Errors.check((int) C.sigfresh_source_handle_process.invokeExact(source, nowMs, code, o, s.lastLen));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static void sourceHandleResolved(long source, long nowMs, String[] addresses) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long a = s.strs(addresses, "addresses");
            Errors.check((int) C.sigfresh_source_handle_resolved.invokeExact(source, nowMs, a, (long) addresses.length));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static void sourceHandleIoFailure(long source, long nowMs, int action, int failure, String detail) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long d = s.textOrNull(detail, "detail");
            Errors.check((int) C.sigfresh_source_handle_io_failure.invokeExact(source, nowMs, action, failure, d,
                s.lastLen));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static String sourceExplain(long source) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            return Calls.text(s, (b, n, l) -> (int) C.sigfresh_source_explain.invokeExact(source, b, n, l), true, 4096);
        } finally {
            s.release();
        }
    }

    static String[] sourceWarnings(long source) {
        Errors.handle(source, "source");
        Scratch s = Scratch.acquire();
        try {
            long count = Calls.i64(s, o -> (int) C.sigfresh_source_warning_count.invokeExact(source, o));
            String[] w = new String[(int) count];
            for (int i = 0; i < w.length; i++) {
                long index = i;
                w[i] = Calls.text(s, (b, n, l) -> (int) C.sigfresh_source_warning.invokeExact(source, index, b, n, l),
                    false);
            }
            return w;
        } finally {
            s.release();
        }
    }
}
