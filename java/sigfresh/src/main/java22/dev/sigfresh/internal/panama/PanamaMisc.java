package dev.sigfresh.internal.panama;

import static dev.sigfresh.internal.NativeApi.ABSENT_TIME;

import java.lang.invoke.MethodHandle;

/** Credentials, documents, profiles, time, classification and clock skew (see PanamaNative). */
final class PanamaMisc {
    private PanamaMisc() {}

    static RuntimeException rethrow(Throwable t) {
        return Errors.<RuntimeException>rethrow(t);
    }

    /** {@code *_free(handle)}: 0 is a no-op (the C side says so too). */
    static void free(MethodHandle free, long handle) {
        if (handle == 0) {
            return;
        }
        try {
            Errors.check((int) free.invokeExact(handle));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ credentials

    static long credentialsNew(String accessKeyId, String secretAccessKey, String sessionToken,
            long expiryMs, String accountId, int source) {
        Scratch s = Scratch.acquire();
        long sk = 0;
        long skLen = 0;
        long tok = 0;
        long tokLen = 0;
        try {
            long ak = s.text(accessKeyId, "accessKeyId");
            long akLen = s.lastLen;
            sk = s.text(secretAccessKey, "secretAccessKey");
            skLen = s.lastLen;
            tok = s.textOrNull(sessionToken, "sessionToken");
            tokLen = s.lastLen;
            long acct = s.textOrNull(accountId, "accountId");
            long acctLen = s.lastLen;
            long expiry = 0;
            if (expiryMs != ABSENT_TIME) {
                expiry = s.out1;
                Scratch.putLong(expiry, expiryMs);
            }
            Errors.check((int) C.sigfresh_credentials_new.invokeExact(ak, akLen, sk, skLen, tok, tokLen,
                expiry, acct, acctLen, source, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Scratch.wipe(sk, skLen);
            Scratch.wipe(tok, tokLen);
            s.release();
        }
    }

    static String[] credentialsText(long c) {
        Errors.handle(c, "credentials");
        Scratch s = Scratch.acquire();
        try {
            String ak = Calls.text(s, (b, n, l) -> (int) C.sigfresh_credentials_access_key_id.invokeExact(c, b, n, l), false);
            String acct = Calls.text(s, (b, n, l) -> (int) C.sigfresh_credentials_account_id.invokeExact(c, b, n, l), true);
            String prof = Calls.text(s, (b, n, l) -> (int) C.sigfresh_credentials_profile_name.invokeExact(c, b, n, l), true);
            return new String[] {ak, acct, prof};
        } finally {
            s.release();
        }
    }

    static long[] credentialsInfo(long c) {
        Errors.handle(c, "credentials");
        Scratch s = Scratch.acquire();
        try {
            boolean has = Calls.bool(s, o -> (int) C.sigfresh_credentials_has_session_token.invokeExact(c, o));
            long expiry = Calls.i64(s, o -> (int) C.sigfresh_credentials_expiry.invokeExact(c, o), ABSENT_TIME);
            int source = Calls.u32(s, o -> (int) C.sigfresh_credentials_source.invokeExact(c, o));
            return new long[] {has ? 1 : 0, expiry, source};
        } finally {
            s.release();
        }
    }

    static String[] credentialsExpose(long c) {
        Errors.handle(c, "credentials");
        Scratch s = Scratch.acquire();
        try {
            String secret = exposed(s, (b, n, l) -> (int) C.sigfresh_credentials_secret_access_key_expose.invokeExact(c, b, n, l), false);
            String token = exposed(s, (b, n, l) -> (int) C.sigfresh_credentials_session_token_expose.invokeExact(c, b, n, l), true);
            return new String[] {secret, token};
        } finally {
            s.release();
        }
    }

    /** A caller-buffer call whose output is secret: the native copy is wiped after reading. */
    private static String exposed(Scratch s, Calls.BufFn f, boolean absentIsNull) {
        return Calls.secretText(s, f, absentIsNull, 256);
    }

    // ------------------------------------------------------------------ documents

    static long documentParse(int format, byte[] document) {
        final MethodHandle h;
        switch (format) {
            case 0: h = C.sigfresh_document_parse_imds; break;
            case 1: h = C.sigfresh_document_parse_container; break;
            case 2: h = C.sigfresh_document_parse_process; break;
            case 3: h = C.sigfresh_document_parse_sso; break;
            case 4: h = C.sigfresh_document_parse_sts; break;
            default:
                throw Errors.invalid("format", format + " is not a JSON/XML format");
        }
        if (document == null) {
            throw Errors.nullArgument("document");
        }
        Scratch s = Scratch.acquire();
        long doc = 0;
        try {
            doc = s.bytesOrEmpty(document);
            Errors.check((int) h.invokeExact(doc, s.lastLen, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Scratch.wipe(doc, document.length);
            s.release();
        }
    }

    static long[] documentParseAny(byte[] document) {
        if (document == null) {
            throw Errors.nullArgument("document");
        }
        Scratch s = Scratch.acquire();
        long doc = 0;
        try {
            doc = s.bytesOrEmpty(document);
            Scratch.putLong(s.out1, 0);
            Errors.check((int) C.sigfresh_document_parse_any.invokeExact(doc, s.lastLen, s.out1, s.out0));
            return new long[] {Scratch.getInt(s.out1), Scratch.getLong(s.out0)};
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Scratch.wipe(doc, document.length);
            s.release();
        }
    }

    static long documentParseEnv(String[] vars) {
        Scratch s = Scratch.acquire();
        try {
            long arr = s.pairs(vars, "vars");
            Errors.check((int) C.sigfresh_document_parse_env.invokeExact(arr, (long) (vars.length / 2), s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static String documentFormatName(int format) {
        try {
            return Scratch.cString((long) C.sigfresh_document_format_name.invokeExact(format));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ profiles

    static long profileSetParse(String credentialsText, String configText) {
        Scratch s = Scratch.acquire();
        try {
            long cred = s.textOrNull(credentialsText, "credentialsText");
            long credLen = s.lastLen;
            long conf = s.textOrNull(configText, "configText");
            long confLen = s.lastLen;
            Errors.check((int) C.sigfresh_profile_set_parse.invokeExact(cred, credLen, conf, confLen, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.wipeAll();
            s.release();
        }
    }

    static String[] profileSetNames(long set) {
        Errors.handle(set, "set");
        Scratch s = Scratch.acquire();
        try {
            long count = Calls.i64(s, o -> (int) C.sigfresh_profile_set_profile_count.invokeExact(set, o));
            String[] names = new String[(int) count];
            for (int i = 0; i < names.length; i++) {
                long index = i;
                names[i] = Calls.str(s, o -> (int) C.sigfresh_profile_set_profile_name.invokeExact(set, index, o), false);
            }
            return names;
        } finally {
            s.release();
        }
    }

    static String profileSetGet(boolean ssoSession, long set, String name, String key) {
        Errors.handle(set, "set");
        Scratch s = Scratch.acquire();
        try {
            long n = s.text(name, ssoSession ? "session" : "profile");
            long nLen = s.lastLen;
            long k = s.text(key, "key");
            long kLen = s.lastLen;
            int rc = ssoSession
                ? (int) C.sigfresh_profile_set_sso_session_get.invokeExact(set, n, nLen, k, kLen, s.outStruct)
                : (int) C.sigfresh_profile_set_get.invokeExact(set, n, nLen, k, kLen, s.outStruct);
            if (rc == Errors.ABSENT || rc == Errors.NOT_FOUND) {
                return null;
            }
            Errors.check(rc);
            return Scratch.str(s.outStruct);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long profileSetCredentials(long set, String profile) {
        Errors.handle(set, "set");
        Scratch s = Scratch.acquire();
        try {
            long n = s.text(profile, "profile");
            Errors.check((int) C.sigfresh_profile_set_credentials.invokeExact(set, n, s.lastLen, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    // ------------------------------------------------------------------ time

    static long timeParse(int kind, String text) {
        if (kind < 0 || kind > 2) {
            throw Errors.invalid("kind", kind + " is not a time format");
        }
        Scratch s = Scratch.acquire();
        try {
            long t = s.text(text, "text");
            long len = s.lastLen;
            int rc = kind == 0 ? (int) C.sigfresh_time_parse_rfc3339.invokeExact(t, len, s.out0)
                : kind == 1 ? (int) C.sigfresh_time_parse_amz_date.invokeExact(t, len, s.out0)
                : (int) C.sigfresh_time_parse_http_date.invokeExact(t, len, s.out0);
            Errors.check(rc);
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static String timeFormat(int kind, long ms) {
        if (kind < 0 || kind > 1) {
            throw Errors.invalid("kind", kind + " is not a time format");
        }
        Scratch s = Scratch.acquire();
        try {
            return kind == 0
                ? Calls.text(s, (b, n, l) -> (int) C.sigfresh_time_format_rfc3339.invokeExact(ms, b, n, l), false)
                : Calls.text(s, (b, n, l) -> (int) C.sigfresh_time_format_amz_date.invokeExact(ms, b, n, l), false);
        } finally {
            s.release();
        }
    }

    // ------------------------------------------------------------------ classification

    static Object[] classify(int status, String[] headers, byte[] body, long skew, long localNowMs,
            long credentials) {
        Scratch s = Scratch.acquire();
        long cls = 0;
        try {
            long hs = s.pairs(headers, "headers");
            long b = s.bytesOrEmpty(body);
            long bLen = s.lastLen;
            short st = Errors.status(status);
            Errors.check((int) C.sigfresh_classification_new.invokeExact(st, hs,
                (long) (headers.length / 2), b, bLen, skew, localNowMs, s.out0));
            cls = Scratch.getLong(s.out0);
            long c = cls;
            long[] n = new long[11];
            n[0] = Calls.u32(s, o -> (int) C.sigfresh_classification_action.invokeExact(c, o));
            n[1] = Calls.u32(s, o -> (int) C.sigfresh_classification_kind.invokeExact(c, o));
            n[2] = Calls.u32(s, o -> (int) C.sigfresh_classification_status.invokeExact(c, o)) & 0xFFFF;
            n[3] = Calls.i64(s, o -> (int) C.sigfresh_classification_server_time.invokeExact(c, o), ABSENT_TIME);
            n[4] = Calls.i64(s, o -> (int) C.sigfresh_classification_skew_ms.invokeExact(c, o), ABSENT_TIME);
            Scratch.putLong(s.out2, 0);
            int rc = (int) C.sigfresh_classification_skew_verdict.invokeExact(c, s.out2);
            n[5] = rc == Errors.ABSENT ? -1 : checked(rc, Scratch.getInt(s.out2));
            rc = (int) C.sigfresh_classification_skew_change.invokeExact(c, s.outStruct);
            if (rc == Errors.ABSENT) {
                n[6] = -1;
            } else {
                Errors.check(rc);
                n[6] = Scratch.getInt(s.outStruct + Layouts.SKEW_KIND);
                n[7] = Scratch.getLong(s.outStruct + Layouts.SKEW_PREVIOUS);
                n[8] = Scratch.getLong(s.outStruct + Layouts.SKEW_OFFSET);
                n[9] = Scratch.getLong(s.outStruct + Layouts.SKEW_MEASURED);
            }
            n[10] = credentials == 0 ? -1
                : Calls.u32(s, o -> (int) C.sigfresh_classification_action_for_source.invokeExact(c, credentials, o));
            String code = Calls.str(s, o -> (int) C.sigfresh_classification_code.invokeExact(c, o), true);
            String message = Calls.str(s, o -> (int) C.sigfresh_classification_message.invokeExact(c, o), true);
            String explain = Calls.text(s, (bb, nn, l) -> (int) C.sigfresh_classification_explain.invokeExact(c, bb, nn, l), false);
            String creq = Calls.str(s, o -> (int) C.sigfresh_classification_canonical_request.invokeExact(c, o), true);
            String sts = Calls.str(s, o -> (int) C.sigfresh_classification_string_to_sign.invokeExact(c, o), true);
            return new Object[] {n, new String[] {code, message, explain, creq, sts}};
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            try {
                if (cls != 0) {
                    int unused = (int) C.sigfresh_classification_free.invokeExact(cls);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.release();
            }
        }
    }

    private static long checked(int rc, long value) {
        Errors.check(rc);
        return value;
    }

    // ------------------------------------------------------------------ clock skew

    static long skewNew(long thresholdMs) {
        Scratch s = Scratch.acquire();
        try {
            int rc = thresholdMs == ABSENT_TIME
                ? (int) C.sigfresh_clock_skew_new.invokeExact(s.out0)
                : (int) C.sigfresh_clock_skew_new_with_threshold.invokeExact(thresholdMs, s.out0);
            Errors.check(rc);
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long[] skewInfo(long skew) {
        Errors.handle(skew, "skew");
        Scratch s = Scratch.acquire();
        try {
            long threshold = Calls.i64(s, o -> (int) C.sigfresh_clock_skew_threshold.invokeExact(skew, o));
            long offset = Calls.i64(s, o -> (int) C.sigfresh_clock_skew_offset.invokeExact(skew, o));
            return new long[] {threshold, offset};
        } finally {
            s.release();
        }
    }

    static long skewCorrected(long skew, long localNowMs) {
        Errors.handle(skew, "skew");
        Scratch s = Scratch.acquire();
        try {
            return Calls.i64(s, o -> (int) C.sigfresh_clock_skew_corrected.invokeExact(skew, localNowMs, o));
        } finally {
            s.release();
        }
    }

    static long[] skewObserve(long skew, long serverTimeMs, long requestSentMs, long responseReceivedMs) {
        Errors.handle(skew, "skew");
        Scratch s = Scratch.acquire();
        try {
            long out = s.outStruct;
            int rc = responseReceivedMs == ABSENT_TIME
                ? (int) C.sigfresh_clock_skew_observe.invokeExact(skew, serverTimeMs, requestSentMs, out)
                : (int) C.sigfresh_clock_skew_observe_round_trip.invokeExact(skew, serverTimeMs, requestSentMs,
                    responseReceivedMs, out);
            if (rc == Errors.ABSENT) {
                return null;
            }
            Errors.check(rc);
            return new long[] {
                Scratch.getInt(out + Layouts.SKEW_KIND),
                Scratch.getLong(out + Layouts.SKEW_PREVIOUS),
                Scratch.getLong(out + Layouts.SKEW_OFFSET),
                Scratch.getLong(out + Layouts.SKEW_MEASURED),
            };
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static long skewObserveDateHeader(long skew, String date, long localNowMs) {
        Errors.handle(skew, "skew");
        Scratch s = Scratch.acquire();
        try {
            long d = s.text(date, "date");
            Errors.check((int) C.sigfresh_clock_skew_observe_date_header.invokeExact(skew, d, s.lastLen, localNowMs, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    static void skewReset(long skew) {
        Errors.handle(skew, "skew");
        try {
            Errors.check((int) C.sigfresh_clock_skew_reset.invokeExact(skew));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int skewIsSkewError(String code, int status, long measuredOffsetMs) {
        Scratch s = Scratch.acquire();
        try {
            long c = s.textOrNull(code, "code");
            long cLen = s.lastLen;
            short st = Errors.status(status);
            long measured = 0;
            if (measuredOffsetMs != ABSENT_TIME) {
                measured = s.out1;
                Scratch.putLong(measured, measuredOffsetMs);
            }
            Scratch.putLong(s.out0, 0);
            Errors.check((int) C.sigfresh_skew_is_skew_error.invokeExact(c, cLen, st, measured, s.out0));
            return Scratch.getInt(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }
}
