/* The refresh policy and credential cache, clock skew, error classification. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"

/* ---- refresh ---------------------------------------------------------------------------- */

static const char *imds_doc_expiring(char *buf, size_t len, int64_t expiry_ms, const char *akid) {
    char when[32];
    size_t n = 0;
    OK(sigfresh_time_format_rfc3339(expiry_ms, when, sizeof when, &n));
    snprintf(buf, len,
             "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"%s\","
             "\"SecretAccessKey\":\"s\",\"Token\":\"t\",\"Expiration\":\"%s\"}",
             akid, when);
    return buf;
}

void test_refresh(void) {
    const int64_t t0 = 1700000000000LL, H = 3600000;
    sigfresh_refresh_policy *policy = NULL;
    OK(sigfresh_refresh_policy_new(&policy));
    /* Invalid values are accepted by setters and rejected, by rule, when a cache is made. */
    const sigfresh_credential_cache *cache = NULL;
    OK(sigfresh_refresh_policy_set_duration(policy, SIGFRESH_POLICY_LEASE_TIMEOUT, 0));
    CHECK_RC(sigfresh_credential_cache_new(policy, &cache), SIGFRESH_POLICY_ZERO);
    CHECK_DETAIL("lease timeout");
    OK(sigfresh_refresh_policy_set_duration(policy, SIGFRESH_POLICY_LEASE_TIMEOUT, 30000));
    OK(sigfresh_refresh_policy_set_duration(policy, SIGFRESH_POLICY_MANDATORY_WINDOW, 600000));
    CHECK_RC(sigfresh_credential_cache_new(policy, &cache), SIGFRESH_POLICY_MANDATORY_WINDOW_TOO_LONG);
    OK(sigfresh_refresh_policy_set_duration(policy, SIGFRESH_POLICY_MANDATORY_WINDOW, 60000));
    OK(sigfresh_refresh_policy_set_jitter_percent(policy, 101));
    CHECK_RC(sigfresh_credential_cache_new(policy, &cache), SIGFRESH_POLICY_JITTER_PERCENT_TOO_LARGE);
    CHECK_RC(sigfresh_refresh_policy_set_jitter_percent(policy, 256), SIGFRESH_LENGTH_TOO_LARGE);
    OK(sigfresh_refresh_policy_set_jitter_percent(policy, 0));
    OK(sigfresh_refresh_policy_set_duration(policy, SIGFRESH_POLICY_BACKOFF_MAX, 10));
    CHECK_RC(sigfresh_credential_cache_new(policy, &cache), SIGFRESH_POLICY_BACKOFF_MAX_BELOW_INITIAL);
    CHECK(cache == NULL);
    const sigfresh_policy_duration all[] = {
        SIGFRESH_POLICY_REFRESH_WINDOW, SIGFRESH_POLICY_MAX_AGE_WITHOUT_EXPIRY,
        SIGFRESH_POLICY_BACKOFF_INITIAL, SIGFRESH_POLICY_MIN_REFRESH_INTERVAL,
        SIGFRESH_POLICY_NON_RETRYABLE_TTL, SIGFRESH_POLICY_STATIC_STABILITY_INTERVAL};
    const uint64_t vals[] = {300000, 900000, 1000, 30000, 60000, 300000};
    for (size_t i = 0; i < 6; i++) OK(sigfresh_refresh_policy_set_duration(policy, all[i], vals[i]));
    OK(sigfresh_refresh_policy_set_duration(policy, SIGFRESH_POLICY_BACKOFF_MAX, 300000));
    CHECK_RC(sigfresh_refresh_policy_set_duration(policy, 99, 1), SIGFRESH_INVALID_ARGUMENT);
    OK(sigfresh_refresh_policy_set_imds_static_stability(policy, false));
    OK(sigfresh_credential_cache_new(policy, &cache));

    /* Empty cache: MISSING; get hands this caller a lease to REFRESH. */
    sigfresh_refresh_decision d;
    const sigfresh_credentials *c = (const sigfresh_credentials *)&d; /* overwritten */
    OK(sigfresh_credential_cache_current(cache, t0, &d, &c));
    CHECK(d.kind == SIGFRESH_DECISION_MISSING && d.must_wait && !d.usable && c == NULL);
    sigfresh_access a;
    sigfresh_lease *lease = NULL;
    OK(sigfresh_credential_cache_get(cache, t0, &a, &c, &lease));
    CHECK(a.kind == SIGFRESH_ACCESS_REFRESH && lease != NULL && c == NULL);
    CHECK(a.decision.kind == SIGFRESH_DECISION_MISSING);
    int64_t issued = 0, deadline = 0;
    OK(sigfresh_lease_issued_at(lease, &issued));
    OK(sigfresh_lease_deadline(lease, &deadline));
    CHECK(issued == t0 && deadline == t0 + 30000);
    /* A second caller waits for the lease holder. */
    sigfresh_lease *other = NULL;
    OK(sigfresh_credential_cache_get(cache, t0, &a, &c, &other));
    CHECK(a.kind == SIGFRESH_ACCESS_WAIT && other == NULL && a.until_ms == deadline + 1);
    bool changed = true;
    OK(sigfresh_credential_cache_wait_for_change(cache, a.generation, 1, &changed));
    CHECK(!changed);

    /* Complete with a document: INSTALLED; then FRESH until refresh_at. */
    char doc[512];
    sigfresh_document_format f = 0;
    sigfresh_completion done;
    CHECK_RC(sigfresh_credential_cache_complete_document(cache, lease, BYTES("{oops"), t0, 0, &f,
                                                         &done),
             SIGFRESH_DOCUMENT_SYNTAX);
    OK(sigfresh_credential_cache_complete_document(
        cache, lease, BYTES(imds_doc_expiring(doc, sizeof doc, t0 + H, "ASIAONE")), t0, 0, &f,
        &done));
    CHECK(f == SIGFRESH_FORMAT_INSTANCE_METADATA && done.kind == SIGFRESH_COMPLETION_INSTALLED);
    CHECK(done.at_ms == t0 + H - 300000);
    CHECK_RC(sigfresh_credential_cache_complete_document(cache, lease, BYTES(doc), t0, 0, &f, &done),
             SIGFRESH_LEASE_ALREADY_USED);
    CHECK_RC(sigfresh_lease_deadline(lease, &deadline), SIGFRESH_LEASE_ALREADY_USED);
    CHECK_RC(sigfresh_lease_issued_at(lease, &issued), SIGFRESH_LEASE_ALREADY_USED);
    OK(sigfresh_lease_free(lease));
    CHECK_RC(sigfresh_lease_deadline(lease, &deadline), SIGFRESH_HANDLE_FREED);
    CHECK_RC(sigfresh_lease_free(lease), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_lease_free(NULL));

    OK(sigfresh_credential_cache_current(cache, t0 + 1000, &d, &c));
    CHECK(d.kind == SIGFRESH_DECISION_FRESH && d.refresh_at_ms == t0 + H - 300000 && c != NULL);
    expect_akid(c, "ASIAONE");
    OK(sigfresh_credentials_free(c));
    int64_t next = 0;
    OK(sigfresh_credential_cache_next_refresh_at(cache, &next));
    CHECK(next == t0 + H - 300000);
    uint64_t gen = 0;
    OK(sigfresh_credential_cache_generation(cache, &gen));
    sigfresh_failure lf;
    CHECK_RC(sigfresh_credential_cache_last_failure(cache, &lf), SIGFRESH_ABSENT);

    /* At refresh time one caller uses the credentials and gets a background lease; it fails. */
    int64_t t1 = t0 + H - 200000;
    OK(sigfresh_credential_cache_get(cache, t1, &a, &c, &lease));
    CHECK(a.kind == SIGFRESH_ACCESS_USE && c != NULL && lease != NULL);
    CHECK(a.decision.kind == SIGFRESH_DECISION_REFRESH_ADVISED && a.decision.has_expiry);
    OK(sigfresh_credentials_free(c));
    sigfresh_failure fail = {SIGFRESH_FAILURE_THROTTLED, true, 20000};
    sigfresh_failure bad_fail = {77, false, 0};
    CHECK_RC(sigfresh_credential_cache_complete_failure(cache, lease, &bad_fail, t1, 0, &done),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_credential_cache_complete_failure(cache, lease, NULL, t1, 0, &done),
             SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_credential_cache_complete_failure(cache, lease, &fail, t1, 0, &done));
    CHECK(done.kind == SIGFRESH_COMPLETION_FAILED && done.at_ms == t1 + 20000);
    OK(sigfresh_lease_free(lease));
    OK(sigfresh_credential_cache_last_failure(cache, &lf));
    CHECK(lf.kind == SIGFRESH_FAILURE_THROTTLED && lf.has_retry_after && lf.retry_after_ms == 20000);
    uint64_t gen2 = 0;
    OK(sigfresh_credential_cache_generation(cache, &gen2));
    CHECK(gen2 != gen);
    OK(sigfresh_credential_cache_wait_for_change(cache, gen, 0, &changed));
    CHECK(changed);

    /* After the backoff: a lease again; released unused. */
    OK(sigfresh_credential_cache_get(cache, t1 + 20000, &a, &c, &lease));
    CHECK(a.kind == SIGFRESH_ACCESS_USE && lease != NULL);
    OK(sigfresh_credentials_free(c));
    bool current = false;
    OK(sigfresh_credential_cache_release(cache, lease, &current));
    CHECK(current);
    CHECK_RC(sigfresh_credential_cache_release(cache, lease, &current), SIGFRESH_LEASE_ALREADY_USED);
    OK(sigfresh_lease_free(lease));

    /* Complete with credentials: the rotation is installed. */
    OK(sigfresh_credential_cache_get(cache, t1 + 20000, &a, &c, &lease));
    CHECK(lease != NULL);
    OK(sigfresh_credentials_free(c));
    int64_t exp2 = t1 + H;
    const sigfresh_credentials *two = creds_of("ASIATWO", "s", "t", &exp2, SIGFRESH_CREDENTIAL_SOURCE_STS);
    OK(sigfresh_credential_cache_complete_success(cache, lease, two, t1 + 20000, 0, &done));
    CHECK(done.kind == SIGFRESH_COMPLETION_INSTALLED);
    CHECK_RC(sigfresh_credential_cache_complete_success(cache, lease, two, t1, 0, &done),
             SIGFRESH_LEASE_ALREADY_USED);
    OK(sigfresh_lease_free(lease));

    /* Invalidate only if still current. */
    const sigfresh_credentials *one = creds_of("ASIAONE", "s", NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STS);
    bool dropped = true;
    OK(sigfresh_credential_cache_invalidate_if_current(cache, one, &dropped));
    CHECK(!dropped);
    OK(sigfresh_credential_cache_invalidate_if_current(cache, two, &dropped));
    CHECK(dropped);
    OK(sigfresh_credential_cache_current(cache, t1 + 21000, &d, &c));
    CHECK(d.kind == SIGFRESH_DECISION_MISSING && c == NULL);

    /* Install without a lease; expired credentials; superseded leases. */
    OK(sigfresh_credential_cache_install(cache, two, t1 + 21000, 0, &done));
    CHECK(done.kind == SIGFRESH_COMPLETION_INSTALLED);
    OK(sigfresh_credential_cache_current(cache, exp2 + 1, &d, &c));
    CHECK(d.kind == SIGFRESH_DECISION_EXPIRED && d.expires_at_ms == exp2 && !d.usable);
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_credential_cache_current(cache, exp2 - 30000, &d, &c));
    CHECK(d.kind == SIGFRESH_DECISION_REFRESH_REQUIRED && d.must_wait && d.usable);
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_credential_cache_get(cache, exp2 + 1, &a, &c, &lease));
    CHECK(a.kind == SIGFRESH_ACCESS_REFRESH && c == NULL && lease != NULL);
    OK(sigfresh_credential_cache_complete_success(cache, lease, one, exp2 + 2, 0, &done));
    CHECK(done.kind == SIGFRESH_COMPLETION_INSTALLED);
    OK(sigfresh_lease_free(lease));
    /* A lease that is never completed expires; the next caller takes over. */
    OK(sigfresh_credential_cache_invalidate_if_current(cache, one, &dropped));
    OK(sigfresh_credential_cache_get(cache, exp2 + 40000, &a, &c, &lease));
    CHECK(lease != NULL);
    sigfresh_lease *late = lease;
    OK(sigfresh_credential_cache_get(cache, exp2 + 80000, &a, &c, &lease));
    CHECK(a.kind == SIGFRESH_ACCESS_REFRESH && lease != NULL && lease != late);
    int64_t old_exp = exp2 + 60000;
    const sigfresh_credentials *expired = creds_of("ASIAOLD", "s", NULL, &old_exp,
                                                   SIGFRESH_CREDENTIAL_SOURCE_STS);
    OK(sigfresh_credential_cache_complete_success(cache, lease, expired, exp2 + 80000, 0, &done));
    CHECK(done.kind == SIGFRESH_COMPLETION_REJECTED_EXPIRED);
    OK(sigfresh_credential_cache_complete_failure(cache, late, &fail, exp2 + 80000, 0, &done));
    CHECK(done.kind == SIGFRESH_COMPLETION_SUPERSEDED);
    OK(sigfresh_lease_free(late));
    OK(sigfresh_lease_free(lease));
    OK(sigfresh_credential_cache_get(cache, exp2 + 80500, &a, &c, &lease));
    CHECK(a.kind == SIGFRESH_ACCESS_FAILED && a.failure.kind == SIGFRESH_FAILURE_RETRYABLE);
    CHECK(lease == NULL && c == NULL && a.until_ms == exp2 + 81000); /* 1 s backoff */
    OK(sigfresh_credential_cache_next_refresh_at(cache, &next));
    CHECK(next == a.until_ms);

    /* Misuse. */
    CHECK_RC(sigfresh_credential_cache_get(cache, t0, &a, &c, NULL), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_credential_cache_current(NULL, t0, &d, &c), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_credential_cache_new(NULL, &cache), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_credential_cache_complete_success(cache, (sigfresh_lease *)two, two, t0, 0,
                                                        &done),
             SIGFRESH_INVALID_HANDLE);
    CHECK_RC(sigfresh_refresh_policy_new(NULL), SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_credentials_free(one));
    OK(sigfresh_credentials_free(two));
    OK(sigfresh_credentials_free(expired));
    OK(sigfresh_credential_cache_free(cache));
    CHECK_RC(sigfresh_credential_cache_current(cache, t0, &d, &c), SIGFRESH_HANDLE_FREED);
    CHECK_RC(sigfresh_credential_cache_free(cache), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_credential_cache_free(NULL));

    /* An empty cache has no next refresh time: a lease may be handed out now. */
    OK(sigfresh_credential_cache_new(policy, &cache));
    CHECK_RC(sigfresh_credential_cache_next_refresh_at(cache, &next), SIGFRESH_ABSENT);
    OK(sigfresh_credential_cache_free(cache));
    OK(sigfresh_refresh_policy_free(policy));
    CHECK_RC(sigfresh_refresh_policy_set_jitter_percent(policy, 1), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_refresh_policy_free(NULL));
}

/* ---- skew and classification ------------------------------------------------------------ */

void test_skew(void) {
    const sigfresh_clock_skew *skew = NULL;
    OK(sigfresh_clock_skew_new(&skew));
    int64_t v = -1;
    OK(sigfresh_clock_skew_threshold(skew, &v));
    CHECK(v == 240000);
    OK(sigfresh_clock_skew_offset(skew, &v));
    CHECK(v == 0);
    sigfresh_skew_change ch;
    OK(sigfresh_clock_skew_observe(skew, T_SUITE + 600000, T_SUITE, &ch));
    CHECK(ch.kind == SIGFRESH_SKEW_ADOPTED && ch.offset_ms == 600000 && ch.previous_ms == 0);
    OK(sigfresh_clock_skew_corrected(skew, T_SUITE, &v));
    CHECK(v == T_SUITE + 600000);
    OK(sigfresh_clock_skew_observe(skew, T_SUITE + 601000, T_SUITE, &ch));
    CHECK(ch.kind == SIGFRESH_SKEW_KEPT && ch.measured_ms == 601000 && ch.offset_ms == 600000);
    CHECK_RC(sigfresh_clock_skew_observe_round_trip(skew, T_SUITE, T_SUITE, T_SUITE - 1, &ch),
             SIGFRESH_ABSENT);
    OK(sigfresh_clock_skew_observe_round_trip(skew, T_SUITE + 600000, T_SUITE, T_SUITE + 2000, &ch));
    CHECK(ch.measured_ms == 599000);
    OK(sigfresh_clock_skew_reset(skew));
    OK(sigfresh_clock_skew_offset(skew, &v));
    CHECK(v == 0);
    const char *date = "Sun, 30 Aug 2015 12:46:00 GMT";
    OK(sigfresh_clock_skew_observe_date_header(skew, date, strlen(date), T_SUITE, &v));
    CHECK(v == 600000);
    CHECK_RC(sigfresh_clock_skew_observe_date_header(skew, "nope", 4, T_SUITE, &v),
             SIGFRESH_TIME_PARSE);
    OK(sigfresh_clock_skew_free(skew));
    CHECK_RC(sigfresh_clock_skew_reset(skew), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_clock_skew_free(NULL));
    OK(sigfresh_clock_skew_new_with_threshold(-5, &skew));
    OK(sigfresh_clock_skew_threshold(skew, &v));
    CHECK(v == 0);
    OK(sigfresh_clock_skew_free(skew));
    CHECK_RC(sigfresh_clock_skew_new(NULL), SIGFRESH_NULL_PARAMETER);

    sigfresh_skew_verdict verdict = 99;
    OK(sigfresh_skew_is_skew_error("RequestTimeTooSkewed", 20, 403, NULL, &verdict));
    CHECK(verdict == SIGFRESH_SKEW_VERDICT_DEFINITE);
    int64_t off = 600000;
    OK(sigfresh_skew_is_skew_error("SignatureDoesNotMatch", 21, 403, &off, &verdict));
    CHECK(verdict == SIGFRESH_SKEW_VERDICT_LIKELY);
    OK(sigfresh_skew_is_skew_error(NULL, 0, 403, NULL, &verdict));
    CHECK(verdict == SIGFRESH_SKEW_VERDICT_POSSIBLE);
    off = 1000;
    OK(sigfresh_skew_is_skew_error("SignatureDoesNotMatch", 21, 403, &off, &verdict));
    CHECK(verdict == SIGFRESH_SKEW_VERDICT_UNLIKELY);
    OK(sigfresh_skew_is_skew_error("NoSuchKey", 9, 404, &off, &verdict));
    CHECK(verdict == SIGFRESH_SKEW_VERDICT_NOT_SKEW);
    CHECK_RC(sigfresh_skew_is_skew_error("\xff", 1, 403, NULL, &verdict), SIGFRESH_INVALID_UTF8);
}

void test_classify(void) {
    const char *body = "{\"message\":\"The security token included in the request is expired\"}";
    sigfresh_pair h[] = {P("Content-Type", "application/json")};
    const sigfresh_classification *c = NULL;
    OK(sigfresh_classification_new(403, h, 1, BYTES(body), NULL, T_SUITE, &c));
    sigfresh_action action = 99;
    OK(sigfresh_classification_action(c, &action));
    CHECK(action == SIGFRESH_ACTION_REFRESH_CREDENTIALS_AND_RETRY);
    sigfresh_error_kind kind = 99;
    OK(sigfresh_classification_kind(c, &kind));
    CHECK(kind == SIGFRESH_ERROR_KIND_EXPIRED_TOKEN);
    uint16_t status = 0;
    OK(sigfresh_classification_status(c, &status));
    CHECK(status == 403);
    sigfresh_str s;
    CHECK_RC(sigfresh_classification_code(c, &s), SIGFRESH_ABSENT);
    OK(sigfresh_classification_message(c, &s));
    CHECK(str_is(s, "The security token included in the request is expired"));
    int64_t v = 0;
    CHECK_RC(sigfresh_classification_server_time(c, &v), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_classification_skew_ms(c, &v), SIGFRESH_ABSENT);
    sigfresh_skew_change ch;
    CHECK_RC(sigfresh_classification_skew_change(c, &ch), SIGFRESH_ABSENT);
    char buf[512];
    size_t n = 0;
    OK(sigfresh_classification_explain(c, buf, sizeof buf, &n));
    CHECK(n == strlen(buf) && n > 10);
    CHECK_RC(sigfresh_classification_explain(c, buf, 5, &n), SIGFRESH_BUFFER_TOO_SMALL);
    OK(sigfresh_classification_free(c));
    CHECK_RC(sigfresh_classification_action(c, &action), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_classification_free(NULL));

    /* A skew error teaches the tracker the server's clock. */
    const sigfresh_clock_skew *skew = NULL;
    OK(sigfresh_clock_skew_new(&skew));
    sigfresh_pair dh[] = {P("Date", "Sun, 30 Aug 2015 12:46:00 GMT")};
    const char *xml = "<Error><Code>SignatureDoesNotMatch</Code></Error>";
    OK(sigfresh_classification_new(403, dh, 1, BYTES(xml), skew, T_SUITE, &c));
    OK(sigfresh_classification_action(c, &action));
    CHECK(action == SIGFRESH_ACTION_CORRECT_CLOCK_AND_RETRY);
    OK(sigfresh_classification_code(c, &s));
    CHECK(str_is(s, "SignatureDoesNotMatch"));
    OK(sigfresh_classification_server_time(c, &v));
    CHECK(v == T_SUITE + 600000);
    OK(sigfresh_classification_skew_ms(c, &v));
    CHECK(v == 600000);
    sigfresh_skew_verdict verdict = 99;
    OK(sigfresh_classification_skew_verdict(c, &verdict));
    CHECK(verdict == SIGFRESH_SKEW_VERDICT_LIKELY);
    OK(sigfresh_classification_skew_change(c, &ch));
    CHECK(ch.kind == SIGFRESH_SKEW_ADOPTED && ch.offset_ms == 600000);
    OK(sigfresh_clock_skew_offset(skew, &v));
    CHECK(v == 600000);
    OK(sigfresh_classification_free(c));

    /* Unrecognised credentials: fatal, unless they came from a rotating source. */
    const char *inv = "<Error><Code>InvalidClientTokenId</Code></Error>";
    OK(sigfresh_classification_new(403, NULL, 0, BYTES(inv), NULL, T_SUITE, &c));
    OK(sigfresh_classification_action(c, &action));
    CHECK(action == SIGFRESH_ACTION_FATAL);
    const sigfresh_credentials *imds = creds_of("ASIA", "s", "t", NULL,
                                                SIGFRESH_CREDENTIAL_SOURCE_INSTANCE_METADATA);
    OK(sigfresh_classification_action_for_source(c, imds, &action));
    CHECK(action == SIGFRESH_ACTION_REFRESH_CREDENTIALS_AND_RETRY);
    const sigfresh_credentials *st = creds_of("AKIA", "s", NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
    OK(sigfresh_classification_action_for_source(c, st, &action));
    CHECK(action == SIGFRESH_ACTION_FATAL);
    CHECK_RC(sigfresh_classification_action_for_source(c, NULL, &action), SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_classification_free(c));
    sigfresh_pair badh[] = {P("Date", "\xff")};
    CHECK_RC(sigfresh_classification_new(500, badh, 1, NULL, 0, NULL, T_SUITE, &c),
             SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("headers[0].value");
    CHECK_RC(sigfresh_classification_new(500, NULL, 0, NULL, 0, (const sigfresh_clock_skew *)imds,
                                         T_SUITE, &c),
             SIGFRESH_INVALID_HANDLE);
    OK(sigfresh_classification_new(503, NULL, 0, NULL, 0, NULL, T_SUITE, &c));
    OK(sigfresh_classification_action(c, &action));
    CHECK(action == SIGFRESH_ACTION_RETRY_TRANSIENT);
    OK(sigfresh_classification_free(c));
    OK(sigfresh_credentials_free(imds));
    OK(sigfresh_credentials_free(st));
    OK(sigfresh_clock_skew_free(skew));
}
