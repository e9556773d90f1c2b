/* Conformance kinds "documents" and "errors" through the C ABI (see conformance.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

static const char *const SOURCES[] = {"static",  "environment", "profile", "instance_metadata",
                                      "container_endpoint", "process", "sso", "sts"};

/* A caller-buffer text getter's result, or NULL when absent ("(error)" on any other error). */
static const char *text_of(sigfresh_result (*get)(const sigfresh_credentials *, char *, size_t,
                                                  size_t *),
                           const sigfresh_credentials *c, char *buf, size_t cap) {
    size_t n = 0;
    sigfresh_result rc = get(c, buf, cap, &n);
    if (rc == SIGFRESH_ABSENT) return NULL;
    if (rc != SIGFRESH_OK) return "(error)";
    return buf;
}

static int eq_opt(const char *what, const char *got, const cJSON *want) {
    const char *w = cJSON_IsString(want) ? want->valuestring : NULL;
    if ((got == NULL) != (w == NULL) || (got && strcmp(got, w) != 0))
        return failf("%s: got %s%s%s, want %s%s%s", what, got ? "\"" : "", got ? got : "none",
                     got ? "\"" : "", w ? "\"" : "", w ? w : "none", w ? "\"" : "");
    return 1;
}

int check_credentials(const sigfresh_credentials *c, const cJSON *want) {
    static char buf[8192];
    const cJSON *f;
    cJSON_ArrayForEach(f, want) {
        const char *k = f->string;
        if (strcmp(k, "access_key_id") == 0) {
            if (!eq_opt(k, text_of(sigfresh_credentials_access_key_id, c, buf, sizeof buf), f))
                return 0;
        } else if (strcmp(k, "secret_access_key") == 0) {
            if (!eq_opt(k, text_of(sigfresh_credentials_secret_access_key_expose, c, buf, sizeof buf),
                        f))
                return 0;
        } else if (strcmp(k, "session_token") == 0) {
            if (cJSON_IsBool(f)) {
                bool has = false;
                sigfresh_credentials_has_session_token(c, &has);
                if (has != cJSON_IsTrue(f))
                    return failf("session token present: got %d, want %d", has, cJSON_IsTrue(f));
            } else if (!eq_opt(k, text_of(sigfresh_credentials_session_token_expose, c, buf,
                                          sizeof buf),
                               f)) {
                return 0;
            }
        } else if (strcmp(k, "expiry_ms") == 0) {
            int64_t ms = 0;
            sigfresh_result rc = sigfresh_credentials_expiry(c, &ms);
            if (cJSON_IsNull(f) ? rc != SIGFRESH_ABSENT
                                : rc != SIGFRESH_OK || ms != (int64_t)f->valuedouble)
                return failf("expiry_ms: got %s %lld, want %.0f", sigfresh_result_name(rc),
                             (long long)ms, cJSON_IsNull(f) ? -1.0 : f->valuedouble);
        } else if (strcmp(k, "account_id") == 0) {
            if (!eq_opt(k, text_of(sigfresh_credentials_account_id, c, buf, sizeof buf), f))
                return 0;
        } else if (strcmp(k, "source") == 0) {
            sigfresh_credential_source s = SIGFRESH_CREDENTIAL_SOURCE_OTHER;
            sigfresh_credentials_source(c, &s);
            const char *name = s < sizeof SOURCES / sizeof *SOURCES ? SOURCES[s] : "other";
            if (!eq_opt(k, name, f)) return 0;
        } else if (strcmp(k, "error") != 0 && strcmp(k, "mentions") != 0 &&
                   strcmp(k, "mentions_code") != 0 && strcmp(k, "none") != 0) {
            return failf("unknown expectation %s", k);
        }
    }
    return 1;
}

/* ---- documents -------------------------------------------------------------------------- */

/* Parses the case's input: OK with `*out` set, SIGFRESH_ABSENT for "no credentials", or the
 * error. */
static sigfresh_result parse_input(const cJSON *c, const sigfresh_credentials **out) {
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(c, "input");
    const char *format = js(c, "format");
    sigfresh_result rc;
    if (strcmp(format, "env") == 0) {
        size_t n = 0;
        sigfresh_pair *env = json_object_pairs(cJSON_GetObjectItemCaseSensitive(input, "env"), &n);
        rc = sigfresh_document_parse_env(env, n, out);
        free(env);
        return rc;
    }
    if (strcmp(format, "profile") == 0) {
        const char *cp = js(input, "credentials_file"), *fp = js(input, "config_file");
        size_t clen = 0, flen = 0;
        char *cred = cp ? read_file(cp, &clen) : NULL, *conf = fp ? read_file(fp, &flen) : NULL;
        const sigfresh_profile_set *set = NULL;
        rc = sigfresh_profile_set_parse(cred, clen, conf, flen, &set);
        if (rc == SIGFRESH_OK) {
            const char *name = js(input, "profile");
            rc = sigfresh_profile_set_credentials(set, name, strlen(name), out);
            if (rc == SIGFRESH_NOT_FOUND) rc = SIGFRESH_ABSENT;
            sigfresh_profile_set_free(set);
        }
        free(cred);
        free(conf);
        return rc;
    }
    static const struct {
        const char *name;
        sigfresh_result (*parse)(const uint8_t *, size_t, const sigfresh_credentials **);
    } parsers[] = {{"imds", sigfresh_document_parse_imds},
                   {"container", sigfresh_document_parse_container},
                   {"process", sigfresh_document_parse_process},
                   {"sso", sigfresh_document_parse_sso},
                   {"sts", sigfresh_document_parse_sts}};
    size_t i = 0;
    while (i < 5 && strcmp(parsers[i].name, format) != 0) i++;
    if (i == 5) return SIGFRESH_INVALID_ARGUMENT;
    size_t len = 0;
    char *bytes = read_file(js(input, "file"), &len);
    if (!bytes) return SIGFRESH_NOT_FOUND;
    const cJSON *pad = cJSON_GetObjectItemCaseSensitive(input, "pad_to");
    if (cJSON_IsNumber(pad) && (size_t)pad->valuedouble > len) {
        size_t to = (size_t)pad->valuedouble;
        bytes = realloc(bytes, to);
        memset(bytes + len, ' ', to - len);
        len = to;
    }
    rc = parsers[i].parse((const uint8_t *)bytes, len, out);
    free(bytes);
    return rc;
}

int run_document(const cJSON *c) {
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
    const sigfresh_credentials *creds = NULL;
    sigfresh_result rc = parse_input(c, &creds);
    char e[4096], kind[64];
    const char *want_error = js(expect, "error");
    int ok = 1;
    if (rc == SIGFRESH_OK && want_error) {
        ok = failf("parsed, but %s was expected", want_error);
    } else if (rc == SIGFRESH_OK) {
        ok = check_credentials(creds, expect);
    } else if (rc == SIGFRESH_ABSENT) {
        if (want_error || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(expect, "none")))
            ok = failf("no credentials, want %s", want_error ? want_error : "credentials");
    } else if (!want_error) {
        ok = failf("unexpected error %s: %s", sigfresh_result_name(rc), last_error(e));
    } else if (strcmp(kind_name(rc, NULL, kind), want_error) != 0) {
        ok = failf("error: got %s, want %s (%s)", kind, want_error, last_error(e));
    } else {
        last_error(e);
        for (int i = 0; i < 2 && ok; i++) {
            const char *m = js(expect, i ? "mentions_code" : "mentions");
            if (m && !strstr(e, m)) ok = failf("error \"%s\" does not mention \"%s\"", e, m);
        }
    }
    sigfresh_credentials_free(creds);
    return ok;
}

/* ---- error classification --------------------------------------------------------------- */

static const char *const ACTIONS[] = {"refresh_credentials_and_retry", "correct_clock_and_retry",
                                      "throttled", "retry_transient", "fatal"};
static const char *const KINDS[] = {"expired_token",      "credentials_not_recognized",
                                    "clock_skew",         "throttling",
                                    "transient",          "signature_mismatch",
                                    "access_denied",      "other"};
static const char *const VERDICTS[] = {"definite", "likely", "possible", "unlikely", "not_skew"};
#define NAME(table, i) ((i) < sizeof table / sizeof *table ? table[i] : "other")

static int eq_ms(const char *what, sigfresh_result rc, int64_t got, const cJSON *want) {
    int64_t w = 0;
    if (cJSON_IsNull(want)) {
        if (rc == SIGFRESH_ABSENT) return 1;
        return failf("%s: got %lld, want none", what, (long long)got);
    }
    if (cJSON_IsString(want)) {
        if (!parse_time(want->valuestring, &w)) return 0;
    } else {
        w = (int64_t)want->valuedouble;
    }
    if (rc != SIGFRESH_OK) return failf("%s: got %s, want %lld", what, sigfresh_result_name(rc),
                                        (long long)w);
    if (got != w) return failf("%s: got %lld, want %lld", what, (long long)got, (long long)w);
    return 1;
}

static int check_classification(const sigfresh_classification *cl, const sigfresh_clock_skew *skew,
                                const cJSON *expect) {
    const cJSON *f;
    cJSON_ArrayForEach(f, expect) {
        const char *k = f->string;
        uint32_t v = 0;
        int64_t ms = 0;
        sigfresh_str s = {0};
        sigfresh_result rc;
        char text[2048];
        if (strcmp(k, "action") == 0) {
            sigfresh_classification_action(cl, &v);
            if (!eq_opt(k, NAME(ACTIONS, v), f)) return 0;
        } else if (strcmp(k, "kind") == 0) {
            sigfresh_classification_kind(cl, &v);
            if (!eq_opt(k, NAME(KINDS, v), f)) return 0;
        } else if (strcmp(k, "skew_verdict") == 0) {
            sigfresh_classification_skew_verdict(cl, &v);
            if (!eq_opt(k, NAME(VERDICTS, v), f)) return 0;
        } else if (strcmp(k, "code") == 0 || strcmp(k, "message") == 0) {
            rc = k[0] == 'c' ? sigfresh_classification_code(cl, &s)
                             : sigfresh_classification_message(cl, &s);
            snprintf(text, sizeof text, "%.*s", (int)s.len, s.ptr ? s.ptr : "");
            if (!eq_opt(k, rc == SIGFRESH_OK ? text : NULL, f)) return 0;
        } else if (strcmp(k, "skew_ms") == 0) {
            rc = sigfresh_classification_skew_ms(cl, &ms);
            if (!eq_ms(k, rc, ms, f)) return 0;
        } else if (strcmp(k, "server_time") == 0) {
            rc = sigfresh_classification_server_time(cl, &ms);
            if (!eq_ms(k, rc, ms, f)) return 0;
        } else if (strcmp(k, "offset_after_ms") == 0) {
            rc = sigfresh_clock_skew_offset(skew, &ms);
            if (!eq_ms(k, rc, ms, f)) return 0;
        } else {
            return failf("unknown expectation %s", k);
        }
    }
    return 1;
}

int run_error(const cJSON *c) {
    size_t nh = 0, blen = 0;
    sigfresh_pair *headers = json_pairs(cJSON_GetObjectItemCaseSensitive(c, "headers"), &nh);
    const char *bf = js(c, "body_file");
    char *body = bf ? read_file(bf, &blen) : NULL;
    const sigfresh_clock_skew *skew = NULL;
    const sigfresh_classification *cl = NULL;
    int64_t now = 0;
    int ok = parse_time(js(c, "local_now"), &now);
    if (ok) {
        sigfresh_clock_skew_new(&skew);
        uint16_t status = (uint16_t)cJSON_GetObjectItemCaseSensitive(c, "status")->valuedouble;
        sigfresh_result rc = sigfresh_classification_new(status, headers, nh, (const uint8_t *)body,
                                                         blen, skew, now, &cl);
        ok = rc == SIGFRESH_OK
                 ? check_classification(cl, skew, cJSON_GetObjectItemCaseSensitive(c, "expect"))
                 : failf("classify: %s", sigfresh_result_name(rc));
    }
    sigfresh_classification_free(cl);
    sigfresh_clock_skew_free(skew);
    free(body);
    free(headers);
    return ok;
}
