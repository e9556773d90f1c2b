/* Conformance kinds "refresh" (the cache/lease API) and "exchanges" (the source machine API)
 * through the C ABI (see conformance.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conformance.h"

static const char *const ACCESS[] = {"use", "refresh", "wait", "failed"};
static const char *const DECISIONS[] = {"fresh",   "refresh_advised", "refresh_required",
                                        "stale_but_usable", "expired", "missing"};
static const char *const FAILURES[] = {"retryable", "non_retryable", "throttled",
                                       "source_unavailable"};
static const char *const COMPLETIONS[] = {"installed",        "unchanged",
                                          "failed",           "stale_extended",
                                          "rejected_expired", "superseded"};
#define NAME(table, i) ((i) < sizeof table / sizeof *table ? table[i] : "other")

/* What one step produced, as the corpus names it (README: refresh). */
typedef struct {
    const char *key;
    enum { G_STR, G_TIME, G_BOOL } type;
    char str[64];
    int64_t ms;
    bool b;
} got_field;

typedef struct {
    got_field f[8];
    int n;
} got_t;

static void got_str(got_t *g, const char *key, const char *v) {
    got_field *f = &g->f[g->n++];
    f->key = key;
    f->type = G_STR;
    snprintf(f->str, sizeof f->str, "%s", v);
}
static void got_time(got_t *g, const char *key, int64_t ms) {
    got_field *f = &g->f[g->n++];
    f->key = key;
    f->type = G_TIME;
    f->ms = ms;
}
static void got_bool(got_t *g, const char *key, bool b) {
    got_field *f = &g->f[g->n++];
    f->key = key;
    f->type = G_BOOL;
    f->b = b;
}

/* Every expected field must be in `got` with the same value (times compared as ms). */
static int compare_step(int i, const got_t *got, const cJSON *want) {
    const cJSON *w;
    cJSON_ArrayForEach(w, want) {
        const got_field *g = NULL;
        for (int j = 0; j < got->n; j++)
            if (strcmp(got->f[j].key, w->string) == 0) g = &got->f[j];
        int64_t ms = 0;
        int ok = g != NULL;
        if (ok && g->type == G_STR) ok = cJSON_IsString(w) && strcmp(g->str, w->valuestring) == 0;
        if (ok && g->type == G_BOOL) ok = cJSON_IsBool(w) && g->b == (bool)cJSON_IsTrue(w);
        if (ok && g->type == G_TIME) ok = parse_time(w->valuestring, &ms) && ms == g->ms;
        if (!ok) {
            char *ws = cJSON_PrintUnformatted(w);
            char have[512] = "";
            for (int j = 0; j < got->n; j++) {
                size_t n = strlen(have);
                const got_field *x = &got->f[j];
                if (x->type == G_STR)
                    snprintf(have + n, sizeof have - n, " %s=%s", x->key, x->str);
                else if (x->type == G_BOOL)
                    snprintf(have + n, sizeof have - n, " %s=%d", x->key, x->b);
                else
                    snprintf(have + n, sizeof have - n, " %s=%lld", x->key, (long long)x->ms);
            }
            failf("step %d: %s: want %s (step result:%s)", i, w->string, ws, have);
            free(ws);
            return 0;
        }
    }
    return 1;
}

static const sigfresh_credentials *case_credentials(const cJSON *c, const char *key) {
    const cJSON *v =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "credentials"), key);
    const char *akid = js(v, "access_key_id"), *secret = js(v, "secret_access_key");
    const char *token = js(v, "session_token"), *expiry = js(v, "expiry");
    int64_t ms = 0;
    if (!akid || !secret || (expiry && !parse_time(expiry, &ms))) return NULL;
    const sigfresh_credentials *out = NULL;
    sigfresh_credentials_new(akid, strlen(akid), secret, strlen(secret), token,
                             token ? strlen(token) : 0, expiry ? &ms : NULL, NULL, 0,
                             SIGFRESH_CREDENTIAL_SOURCE_STATIC, &out);
    return out;
}

#define MAX_LEASES 16
typedef struct {
    char name[32];
    sigfresh_lease *lease;
} named_lease;

static sigfresh_lease *take_lease(named_lease *ls, const char *name) {
    for (int i = 0; name && i < MAX_LEASES; i++) {
        if (ls[i].lease && strcmp(ls[i].name, name) == 0) {
            sigfresh_lease *l = ls[i].lease;
            ls[i].lease = NULL;
            return l;
        }
    }
    return NULL;
}

static void keep_lease(named_lease *ls, const char *name, sigfresh_lease *l) {
    sigfresh_lease_free(take_lease(ls, name));
    for (int i = 0; i < MAX_LEASES; i++) {
        if (!ls[i].lease) {
            snprintf(ls[i].name, sizeof ls[i].name, "%s", name);
            ls[i].lease = l;
            return;
        }
    }
    sigfresh_lease_free(l);
}

static int get_step(const sigfresh_credential_cache *cache, int64_t now, const cJSON *step,
                    named_lease *leases, got_t *got) {
    sigfresh_access a;
    const sigfresh_credentials *creds = NULL;
    sigfresh_lease *lease = NULL;
    sigfresh_result rc = sigfresh_credential_cache_get(cache, now, &a, &creds, &lease);
    if (rc != SIGFRESH_OK) return failf("get: %s", sigfresh_result_name(rc));
    got_str(got, "access", NAME(ACCESS, a.kind));
    if (a.kind == SIGFRESH_ACCESS_USE || a.kind == SIGFRESH_ACCESS_REFRESH)
        got_str(got, "decision", NAME(DECISIONS, a.decision.kind));
    if (a.kind == SIGFRESH_ACCESS_USE) {
        char akid[256];
        size_t n = 0;
        sigfresh_credentials_access_key_id(creds, akid, sizeof akid, &n);
        got_str(got, "access_key_id", akid);
        got_bool(got, "lease", lease != NULL);
    }
    if (a.kind == SIGFRESH_ACCESS_WAIT) got_time(got, "until", a.until_ms);
    if (a.kind == SIGFRESH_ACCESS_FAILED) {
        got_str(got, "failure", NAME(FAILURES, a.failure.kind));
        got_time(got, "retry_at", a.until_ms);
    }
    sigfresh_credentials_free(creds);
    const char *as = js(step, "lease_as");
    if (lease && as)
        keep_lease(leases, as, lease);
    else
        sigfresh_lease_free(lease); /* dropped unused: it expires at its deadline */
    return 1;
}

static int completion_step(const sigfresh_credential_cache *cache, const cJSON *c, int64_t now,
                           const cJSON *step, const char *op, named_lease *leases, got_t *got) {
    sigfresh_completion done = {0};
    sigfresh_result rc;
    if (strcmp(op, "fail") == 0) {
        sigfresh_lease *lease = take_lease(leases, js(step, "lease"));
        if (!lease) return failf("no lease %s", js(step, "lease"));
        const char *name = js(step, "failure");
        sigfresh_failure failure = {SIGFRESH_FAILURE_SOURCE_UNAVAILABLE, false, 0};
        for (uint32_t i = 0; name && i < 4; i++)
            if (strcmp(FAILURES[i], name) == 0) failure.kind = i;
        rc = sigfresh_credential_cache_complete_failure(cache, lease, &failure, now, 0, &done);
        sigfresh_lease_free(lease);
    } else {
        const sigfresh_credentials *creds = case_credentials(c, js(step, "credentials"));
        if (!creds) return failf("credentials %s", js(step, "credentials"));
        if (strcmp(op, "install") == 0) {
            rc = sigfresh_credential_cache_install(cache, creds, now, 0, &done);
        } else {
            sigfresh_lease *lease = take_lease(leases, js(step, "lease"));
            if (!lease) {
                sigfresh_credentials_free(creds);
                return failf("no lease %s", js(step, "lease"));
            }
            rc = sigfresh_credential_cache_complete_success(cache, lease, creds, now, 0, &done);
            sigfresh_lease_free(lease);
        }
        sigfresh_credentials_free(creds);
    }
    if (rc != SIGFRESH_OK) return failf("%s: %s", op, sigfresh_result_name(rc));
    got_str(got, "completion", NAME(COMPLETIONS, done.kind));
    if (done.kind == SIGFRESH_COMPLETION_INSTALLED || done.kind == SIGFRESH_COMPLETION_UNCHANGED)
        got_time(got, "next_refresh_at", done.at_ms);
    else if (done.kind == SIGFRESH_COMPLETION_FAILED ||
             done.kind == SIGFRESH_COMPLETION_STALE_EXTENDED ||
             done.kind == SIGFRESH_COMPLETION_REJECTED_EXPIRED)
        got_time(got, "retry_at", done.at_ms);
    return 1;
}

int run_refresh(const cJSON *c) {
    const cJSON *policy = cJSON_GetObjectItemCaseSensitive(c, "policy");
    if (cJSON_GetArraySize(policy) > 0)
        return failf("policy overrides are not supported by this runner yet");
    sigfresh_refresh_policy *p = NULL;
    const sigfresh_credential_cache *cache = NULL;
    sigfresh_refresh_policy_new(&p);
    sigfresh_result rc = sigfresh_credential_cache_new(p, &cache);
    sigfresh_refresh_policy_free(p);
    if (rc != SIGFRESH_OK) return failf("cache: %s", sigfresh_result_name(rc));
    named_lease leases[MAX_LEASES] = {0};
    int ok = 1, i = 0;
    const cJSON *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(c, "steps")) {
        got_t got = {0};
        int64_t now = 0;
        const char *op = js(step, "op");
        if (!parse_time(js(step, "at"), &now)) {
            ok = 0;
        } else if (strcmp(op, "get") == 0) {
            ok = get_step(cache, now, step, leases, &got);
        } else if (strcmp(op, "install") == 0 || strcmp(op, "complete") == 0 ||
                   strcmp(op, "fail") == 0) {
            ok = completion_step(cache, c, now, step, op, leases, &got);
        } else if (strcmp(op, "invalidate") == 0) {
            const char *akid = js(step, "access_key_id");
            const sigfresh_credentials *probe = NULL;
            bool dropped = false;
            sigfresh_credentials_new(akid, strlen(akid), "unused", 6, NULL, 0, NULL, NULL, 0,
                                     SIGFRESH_CREDENTIAL_SOURCE_STATIC, &probe);
            rc = sigfresh_credential_cache_invalidate_if_current(cache, probe, &dropped);
            sigfresh_credentials_free(probe);
            ok = rc == SIGFRESH_OK ? 1 : failf("invalidate: %s", sigfresh_result_name(rc));
            got_bool(&got, "invalidated", dropped);
        } else {
            ok = failf("step %d: unknown op %s", i, op);
        }
        if (ok) ok = compare_step(i, &got, cJSON_GetObjectItemCaseSensitive(step, "expect"));
        if (!ok) break;
        i++;
    }
    for (int j = 0; j < MAX_LEASES; j++) sigfresh_lease_free(leases[j].lease);
    sigfresh_credential_cache_free(cache);
    return ok;
}

/* ---- IMDS / container exchanges --------------------------------------------------------- */

static const sigfresh_pair *find_header(const sigfresh_http_request *r, const char *name) {
    for (size_t i = 0; i < r->headers_len; i++) {
        const sigfresh_pair *h = &r->headers[i];
        if (h->name_len == strlen(name) && strncasecmp(h->name, name, h->name_len) == 0) return h;
    }
    return NULL;
}

static int check_send(int i, const sigfresh_http_request *r, const cJSON *w) {
    const char *m = js(w, "method"), *u = js(w, "url");
    if (m && !str_eq(r->method.ptr, r->method.len, m))
        return failf("step %d: method %.*s, want %s", i, (int)r->method.len, r->method.ptr, m);
    if (u && !str_eq(r->url.ptr, r->url.len, u))
        return failf("step %d: url %.*s, want %s", i, (int)r->url.len, r->url.ptr, u);
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(w, "headers")) {
        const sigfresh_pair *got = find_header(r, h->string);
        if (!got || !str_eq(got->value, got->value_len, h->valuestring))
            return failf("step %d: header %s: got %.*s, want %s", i, h->string,
                         got ? (int)got->value_len : 4, got ? got->value : "none", h->valuestring);
    }
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(w, "absent_headers")) {
        if (find_header(r, h->valuestring))
            return failf("step %d: header %s is present", i, h->valuestring);
    }
    return 1;
}

static int poll_step(sigfresh_source *src, int i, int64_t now, const cJSON *want) {
    sigfresh_step st;
    sigfresh_result rc = sigfresh_source_poll(src, now, &st);
    if (rc != SIGFRESH_OK) return failf("step %d: poll: %s", i, sigfresh_result_name(rc));
    const cJSON *send = cJSON_GetObjectItemCaseSensitive(want, "send");
    const cJSON *done = cJSON_GetObjectItemCaseSensitive(want, "done");
    const char *error = js(done, "error");
    if (st.kind == SIGFRESH_STEP_SEND && send) return check_send(i, &st.request, send);
    if (st.kind == SIGFRESH_STEP_DONE && done && !error) {
        const sigfresh_credentials *c = NULL;
        rc = sigfresh_source_credentials(src, &c);
        if (rc != SIGFRESH_OK) return failf("step %d: credentials: %s", i, sigfresh_result_name(rc));
        int ok = check_credentials(c, done);
        sigfresh_credentials_free(c);
        return ok;
    }
    char kind[64];
    if (st.kind == SIGFRESH_STEP_FAILED && error) {
        if (strcmp(kind_name(st.error, "SOURCE_", kind), error) != 0)
            return failf("step %d: error %s, want %s", i, kind, error);
        return 1;
    }
    char *ws = cJSON_PrintUnformatted(want);
    failf("step %d: got step kind %u (error %s), want %s", i, st.kind,
          st.kind == SIGFRESH_STEP_FAILED ? sigfresh_result_name(st.error) : "-", ws);
    free(ws);
    return 0;
}

int run_exchange(const cJSON *c) {
    size_t n = 0;
    sigfresh_pair *env = json_object_pairs(cJSON_GetObjectItemCaseSensitive(c, "env"), &n);
    sigfresh_source *src = NULL;
    const char *which = js(c, "source");
    sigfresh_result rc = SIGFRESH_INVALID_ARGUMENT;
    if (strcmp(which, "imds") == 0) rc = sigfresh_source_new_imds(env, n, NULL, NULL, 0, &src);
    if (strcmp(which, "container") == 0) rc = sigfresh_source_new_container(env, n, &src);
    free(env);
    if (rc != SIGFRESH_OK) return failf("source %s: %s", which, sigfresh_result_name(rc));
    int ok = 1, i = 0;
    const cJSON *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(c, "steps")) {
        int64_t now = 0;
        const char *op = js(step, "op");
        if (!parse_time(js(step, "at"), &now)) {
            ok = 0;
        } else if (strcmp(op, "start") == 0) {
            rc = sigfresh_source_start(src, now, 0);
            ok = rc == SIGFRESH_OK ? 1 : failf("step %d: start: %s", i, sigfresh_result_name(rc));
        } else if (strcmp(op, "respond") == 0) {
            size_t nh = 0;
            sigfresh_pair *hs = json_pairs(cJSON_GetObjectItemCaseSensitive(step, "headers"), &nh);
            const char *body = js(step, "body");
            uint16_t status = (uint16_t)cJSON_GetObjectItemCaseSensitive(step, "status")->valuedouble;
            rc = sigfresh_source_handle_response(src, now, status, hs, nh, (const uint8_t *)body,
                                                 body ? strlen(body) : 0);
            free(hs);
            ok = rc == SIGFRESH_OK ? 1 : failf("step %d: respond: %s", i, sigfresh_result_name(rc));
        } else if (strcmp(op, "poll") == 0) {
            ok = poll_step(src, i, now, cJSON_GetObjectItemCaseSensitive(step, "expect"));
        } else {
            ok = failf("step %d: unknown op %s", i, op);
        }
        if (!ok) break;
        i++;
    }
    sigfresh_source_free(src);
    return ok;
}
