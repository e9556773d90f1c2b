/* Conformance kinds "sigv4-suite" and "signing" through the C ABI (see conformance.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

static int eq_out(const char *what, sigfresh_result rc, sigfresh_str got, const char *want) {
    if (rc != SIGFRESH_OK) return failf("%s: %s", what, sigfresh_result_name(rc));
    if (!str_eq(got.ptr, got.len, want))
        return failf("%s differs\n--- got\n%.*s\n--- want\n%s", what, (int)got.len, got.ptr, want);
    return 1;
}

/* ---- the official suite ----------------------------------------------------------------- */

static char *suite_file(const char *rel, const char *ext) {
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    char path[4096];
    snprintf(path, sizeof path, "tests/vectors/sigv4-suite/%s/%s.%s", rel, base, ext);
    return read_file(path, NULL);
}

/* `s` with the first `wrong` replaced by `right` (new allocation); NULL when absent. */
static char *replace_once(const char *s, const char *wrong, const char *right) {
    const char *at = strstr(s, wrong);
    if (!at) return NULL;
    size_t head = (size_t)(at - s), wl = strlen(wrong), rl = strlen(right);
    char *out = malloc(strlen(s) - wl + rl + 1);
    memcpy(out, s, head);
    memcpy(out + head, right, rl);
    strcpy(out + head + rl, at + wl);
    return out;
}

int run_suite_case(const cJSON *manifest, const char *rel) {
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(manifest, "defaults");
    const cJSON *opts =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(manifest, "cases"), rel);
    int ok = 0;
    size_t req_len = 0;
    char *req_text = suite_file(rel, "req"), *sts = suite_file(rel, "sts");
    char *creq = suite_file(rel, "creq"), *authz = suite_file(rel, "authz");
    char *target = NULL;
    const sigfresh_raw_request *raw = NULL;
    sigfresh_signing_settings *settings = NULL;
    const sigfresh_signer *signer = NULL;
    const sigfresh_credentials *creds = NULL;
    const sigfresh_signing_output *out = NULL;
    sigfresh_pair *headers = NULL;
    req_len = req_text ? strlen(req_text) : 0;
    if (!req_text || !creq) {
        failf("missing .req or .creq");
        goto done;
    }
    sigfresh_result rc = sigfresh_raw_request_parse((const uint8_t *)req_text, req_len, &raw);
    if (rc != SIGFRESH_OK) {
        failf("parse .req: %s", sigfresh_result_name(rc));
        goto done;
    }
    /* Time, region and service from the .sts scope, else the case's time and the defaults. */
    int64_t at = 0;
    char region[128], service[128];
    snprintf(region, sizeof region, "%s", js(d, "region"));
    snprintf(service, sizeof service, "%s", js(d, "service"));
    if (sts) {
        char *l1 = strchr(sts, '\n');
        char *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
        if (!l2) {
            failf("short .sts");
            goto done;
        }
        char amz[32];
        snprintf(amz, sizeof amz, "%.*s", (int)(l2 - l1 - 1), l1 + 1);
        if (!parse_time(amz, &at)) goto done;
        /* scope: date/region/service/aws4_request */
        const char *p = strchr(l2 + 1, '/');
        const char *q = p ? strchr(p + 1, '/') : NULL;
        const char *r = q ? strchr(q + 1, '/') : NULL;
        if (!r) {
            failf("bad .sts scope");
            goto done;
        }
        snprintf(region, sizeof region, "%.*s", (int)(q - p - 1), p + 1);
        snprintf(service, sizeof service, "%.*s", (int)(r - q - 1), q + 1);
    } else if (!parse_time(js(opts, "time"), &at)) {
        goto done;
    }
    sigfresh_signing_settings_new(&settings);
    const char *mode = js(opts, "session_token");
    const char *token = mode ? js(d, "session_token") : NULL;
    if (mode && strcmp(mode, "append-after-signing") == 0)
        sigfresh_signing_settings_set_session_token_mode(settings,
                                                         SIGFRESH_SESSION_TOKEN_APPEND_AFTER_SIGNING);
    const char *akid = js(d, "access_key_id"), *secret = js(d, "secret_access_key");
    rc = sigfresh_credentials_new(akid, strlen(akid), secret, strlen(secret), token,
                                  token ? strlen(token) : 0, NULL, NULL, 0,
                                  SIGFRESH_CREDENTIAL_SOURCE_STATIC, &creds);
    if (rc != SIGFRESH_OK) {
        failf("credentials: %s", sigfresh_result_name(rc));
        goto done;
    }
    sigfresh_str method, tgt;
    sigfresh_bytes body;
    size_t nh = 0;
    sigfresh_raw_request_method(raw, &method);
    sigfresh_raw_request_target(raw, &tgt);
    sigfresh_raw_request_body(raw, &body);
    sigfresh_raw_request_header_count(raw, &nh);
    headers = calloc(nh ? nh : 1, sizeof *headers);
    for (size_t i = 0; i < nh; i++) sigfresh_raw_request_header(raw, i, &headers[i]);
    size_t tlen = tgt.len;
    target = malloc(tgt.len + body.len + 2);
    memcpy(target, tgt.ptr, tgt.len);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "body_as_query"))) {
        target[tlen++] = '?';
        memcpy(target + tlen, body.ptr, body.len);
        tlen += body.len;
    }
    sigfresh_request req = {method.ptr, method.len, target, tlen, headers, nh,
                            {SIGFRESH_PAYLOAD_BYTES, NULL, 0}};
    rc = sigfresh_signer_new(settings, region, strlen(region), service, strlen(service), &signer);
    if (rc == SIGFRESH_OK) rc = sigfresh_signer_sign_output(signer, &req, creds, at, &out);
    if (rc != SIGFRESH_OK) {
        char e[4096];
        failf("sign: %s: %s", sigfresh_result_name(rc), last_error(e));
        goto done;
    }
    const cJSON *fix = cJSON_GetObjectItemCaseSensitive(opts, "fix_creq");
    if (fix) {
        char *fixed = replace_once(creq, cJSON_GetArrayItem(fix, 0)->valuestring,
                                   cJSON_GetArrayItem(fix, 1)->valuestring);
        if (!fixed) {
            failf("the known .creq error is no longer there");
            goto done;
        }
        free(creq);
        creq = fixed;
    }
    sigfresh_str s;
    if (!eq_out("canonical request", sigfresh_signing_output_canonical_request(out, &s), s, creq))
        goto done;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "skip_sts_authz"))) {
        if (sts) {
            size_t n = strlen(sts);
            while (n > 0 && sts[n - 1] == '\n') sts[--n] = 0;
            if (!eq_out("string to sign", sigfresh_signing_output_string_to_sign(out, &s), s, sts))
                goto done;
        }
        if (authz &&
            !eq_out("authorization", sigfresh_signing_output_authorization(out, &s), s, authz))
            goto done;
    }
    ok = 1;
done:
    sigfresh_signing_output_free(out);
    sigfresh_signer_free(signer);
    sigfresh_signing_settings_free(settings);
    sigfresh_credentials_free(creds);
    sigfresh_raw_request_free(raw);
    free(headers);
    free(target);
    free(req_text);
    free(sts);
    free(creq);
    free(authz);
    return ok;
}

/* ---- our signing cases ------------------------------------------------------------------ */

static int settings_of(const cJSON *v, sigfresh_signing_settings *st) {
    const char *enc = js(v, "uri_encoding");
    if (enc && strcmp(enc, "single") == 0)
        sigfresh_signing_settings_set_uri_encoding(st, SIGFRESH_URI_ENCODING_SINGLE);
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(v, "path_normalization")))
        sigfresh_signing_settings_set_path_normalization(st, SIGFRESH_PATH_NORMALIZATION_DISABLED);
    const char *tok = js(v, "session_token");
    if (tok && strcmp(tok, "append-after-signing") == 0)
        sigfresh_signing_settings_set_session_token_mode(st,
                                                         SIGFRESH_SESSION_TOKEN_APPEND_AFTER_SIGNING);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "content_sha256")))
        sigfresh_signing_settings_set_content_sha256(st, SIGFRESH_CONTENT_SHA256_ADD);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(v, "headers");
    const cJSON *allow = cJSON_GetObjectItemCaseSensitive(h, "allow");
    const cJSON *deny = cJSON_GetObjectItemCaseSensitive(h, "deny");
    const cJSON *list = allow ? allow : deny;
    if (list) {
        size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
        sigfresh_str *names = calloc(n ? n : 1, sizeof *names);
        const cJSON *e;
        cJSON_ArrayForEach(e, list) {
            names[i++] = (sigfresh_str){e->valuestring, strlen(e->valuestring)};
        }
        sigfresh_result rc = sigfresh_signing_settings_set_header_selection(
            st, allow ? SIGFRESH_HEADERS_ALLOW_LIST : SIGFRESH_HEADERS_DENY_LIST, names, n);
        free(names);
        if (rc != SIGFRESH_OK) return failf("header selection: %s", sigfresh_result_name(rc));
    }
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(v, "presign_expires");
    if (cJSON_IsNumber(exp))
        sigfresh_signing_settings_set_location(st, SIGFRESH_LOCATION_QUERY_STRING,
                                               (uint32_t)exp->valuedouble);
    return 1;
}

typedef struct {
    sigfresh_pair *p;
    size_t n;
} pairs;

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl) {
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al < bl ? -1 : al > bl);
}

static int cmp_pair(const void *x, const void *y) {
    const sigfresh_pair *a = x, *b = y;
    int c = cmp_bytes(a->name, a->name_len, b->name, b->name_len);
    return c ? c : cmp_bytes(a->value, a->value_len, b->value, b->value_len);
}

/* Sorted output pairs (headers or query parameters) against the expected sorted list. */
static int eq_pairs(const char *what, sigfresh_pair *got, size_t n, const cJSON *want) {
    qsort(got, n, sizeof *got, cmp_pair);
    if ((int)n != cJSON_GetArraySize(want))
        return failf("%s: got %zu, want %d", what, n, cJSON_GetArraySize(want));
    for (size_t i = 0; i < n; i++) {
        const cJSON *w = cJSON_GetArrayItem(want, (int)i);
        const char *wn = cJSON_GetArrayItem(w, 0)->valuestring;
        const char *wv = cJSON_GetArrayItem(w, 1)->valuestring;
        if (!str_eq(got[i].name, got[i].name_len, wn) || !str_eq(got[i].value, got[i].value_len, wv))
            return failf("%s[%zu]: got %.*s=%.*s, want %s=%s", what, i, (int)got[i].name_len,
                         got[i].name, (int)got[i].value_len, got[i].value, wn, wv);
    }
    return 1;
}

static int check_output(const sigfresh_signing_output *out, const cJSON *expect) {
    const cJSON *f;
    cJSON_ArrayForEach(f, expect) {
        const char *k = f->string;
        sigfresh_str s = {0};
        if (strcmp(k, "canonical_request") == 0) {
            if (!eq_out(k, sigfresh_signing_output_canonical_request(out, &s), s, f->valuestring))
                return 0;
        } else if (strcmp(k, "string_to_sign") == 0) {
            if (!eq_out(k, sigfresh_signing_output_string_to_sign(out, &s), s, f->valuestring))
                return 0;
        } else if (strcmp(k, "signature") == 0) {
            if (!eq_out(k, sigfresh_signing_output_signature(out, &s), s, f->valuestring)) return 0;
        } else if (strcmp(k, "authorization") == 0) {
            sigfresh_result rc = sigfresh_signing_output_authorization(out, &s);
            if (cJSON_IsNull(f)) {
                if (rc != SIGFRESH_ABSENT) return failf("authorization: present, want none");
            } else if (!eq_out(k, rc, s, f->valuestring)) {
                return 0;
            }
        } else if (strcmp(k, "headers") == 0 || strcmp(k, "query_params") == 0) {
            int headers = k[0] == 'h';
            size_t n = 0;
            if (headers)
                sigfresh_signing_output_header_count(out, &n);
            else
                sigfresh_signing_output_query_param_count(out, &n);
            sigfresh_pair *got = calloc(n ? n : 1, sizeof *got);
            for (size_t i = 0; i < n; i++) {
                if (headers)
                    sigfresh_signing_output_header(out, i, &got[i]);
                else
                    sigfresh_signing_output_query_param(out, i, &got[i]);
            }
            int ok = eq_pairs(k, got, n, f);
            free(got);
            if (!ok) return 0;
        } else {
            return failf("unknown expectation %s", k);
        }
    }
    return 1;
}

int run_signing(const cJSON *c) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "request");
    const cJSON *cr = cJSON_GetObjectItemCaseSensitive(c, "credentials");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
    int ok = 0;
    size_t nh = 0;
    sigfresh_pair *headers = json_pairs(cJSON_GetObjectItemCaseSensitive(r, "headers"), &nh);
    sigfresh_signing_settings *settings = NULL;
    const sigfresh_signer *signer = NULL;
    const sigfresh_credentials *creds = NULL;
    const sigfresh_signing_output *out = NULL;
    const char *body = js(r, "body");
    sigfresh_payload payload = {SIGFRESH_PAYLOAD_BYTES, (const uint8_t *)(body ? body : ""),
                                body ? strlen(body) : 0};
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(r, "payload");
    if (cJSON_IsObject(pl)) {
        const char *h = js(pl, "precomputed");
        payload = (sigfresh_payload){SIGFRESH_PAYLOAD_PRECOMPUTED, (const uint8_t *)h, strlen(h)};
    } else if (cJSON_IsString(pl)) {
        static const struct {
            const char *name;
            sigfresh_payload_kind kind;
        } kinds[] = {{"bytes", SIGFRESH_PAYLOAD_BYTES},
                     {"unsigned", SIGFRESH_PAYLOAD_UNSIGNED},
                     {"streaming-signed", SIGFRESH_PAYLOAD_STREAMING_SIGNED},
                     {"streaming-signed-trailer", SIGFRESH_PAYLOAD_STREAMING_SIGNED_TRAILER},
                     {"streaming-unsigned-trailer", SIGFRESH_PAYLOAD_STREAMING_UNSIGNED_TRAILER}};
        size_t i = 0;
        while (i < 5 && strcmp(kinds[i].name, pl->valuestring) != 0) i++;
        if (i == 5) {
            failf("unknown payload %s", pl->valuestring);
            goto done;
        }
        payload.kind = kinds[i].kind;
    }
    const char *akid = js(cr, "access_key_id"), *secret = js(cr, "secret_access_key");
    const char *token = js(cr, "session_token");
    sigfresh_result rc = sigfresh_credentials_new(akid, strlen(akid), secret, strlen(secret), token,
                                                  token ? strlen(token) : 0, NULL, NULL, 0,
                                                  SIGFRESH_CREDENTIAL_SOURCE_STATIC, &creds);
    if (rc != SIGFRESH_OK) {
        failf("credentials: %s", sigfresh_result_name(rc));
        goto done;
    }
    sigfresh_signing_settings_new(&settings);
    if (!settings_of(cJSON_GetObjectItemCaseSensitive(c, "settings"), settings)) goto done;
    int64_t at = 0;
    if (!parse_time(js(c, "time"), &at)) goto done;
    const char *method = js(r, "method"), *uri = js(r, "uri");
    const char *region = js(c, "region"), *service = js(c, "service");
    sigfresh_request req = {method, strlen(method), uri, strlen(uri), headers, nh, payload};
    rc = sigfresh_signer_new(settings, region, strlen(region), service, strlen(service), &signer);
    if (rc == SIGFRESH_OK) rc = sigfresh_signer_sign_output(signer, &req, creds, at, &out);
    const char *want_error = js(expect, "error");
    char e[4096], kind[64];
    if (want_error) {
        const char *mentions = js(expect, "mentions");
        if (rc == SIGFRESH_OK)
            failf("signed, but %s was expected", want_error);
        else if (strcmp(kind_name(rc, NULL, kind), want_error) != 0)
            failf("error: got %s, want %s (%s)", kind, want_error, last_error(e));
        else if (mentions && !strstr(last_error(e), mentions))
            failf("error \"%s\" does not mention \"%s\"", e, mentions);
        else
            ok = 1;
        goto done;
    }
    if (rc != SIGFRESH_OK) {
        failf("sign: %s: %s", sigfresh_result_name(rc), last_error(e));
        goto done;
    }
    ok = check_output(out, expect);
done:
    sigfresh_signing_output_free(out);
    sigfresh_signer_free(signer);
    sigfresh_signing_settings_free(settings);
    sigfresh_credentials_free(creds);
    free(headers);
    return ok;
}
