/* Exercises every function of include/sigfresh.h from C, including misuse (NULL, invalid
 * UTF-8, oversized lengths, small buffers, unknown constants, use after free, double free,
 * wrong handle types), and runs the official SigV4 suite through the C API. This file holds
 * main and the general, time, credentials, document, profile and raw-request checks; the
 * others are in test_sign.c, test_refresh.c, test_source.c and suite.c (helpers in api.h).
 *
 * Usage: test_api <repo root>. Exit status 0 when every check passed. */
#define _POSIX_C_SOURCE 200809L
#define CHECK_MAIN
#include "api.h"

/* ---- general ---------------------------------------------------------------------------- */

static void test_general(void) {
    CHECK(strcmp(sigfresh_version(), "0.1.0") == 0);
    CHECK(strcmp(sigfresh_result_name(SIGFRESH_OK), "SIGFRESH_OK") == 0);
    CHECK(strcmp(sigfresh_result_message(SIGFRESH_OK), "success") == 0);
    CHECK(strcmp(sigfresh_result_name(SIGFRESH_INVALID_UTF8), "SIGFRESH_INVALID_UTF8") == 0);
    CHECK(strcmp(sigfresh_result_name(98), "SIGFRESH_UNKNOWN") == 0);
    CHECK(strcmp(sigfresh_result_message(0xFFFFFFFFu), "unknown result code") == 0);
    /* Every code in every group has a name and text. */
    const sigfresh_result codes[] = {
        SIGFRESH_NULL_PARAMETER, SIGFRESH_BUFFER_TOO_SMALL, SIGFRESH_INVALID_HANDLE,
        SIGFRESH_HANDLE_FREED, SIGFRESH_PANIC, SIGFRESH_LENGTH_TOO_LARGE,
        SIGFRESH_INVALID_ARGUMENT, SIGFRESH_ABSENT, SIGFRESH_INDEX_OUT_OF_RANGE,
        SIGFRESH_NOT_FOUND, SIGFRESH_LEASE_ALREADY_USED, SIGFRESH_SIGN_INVALID_REGION,
        SIGFRESH_SIGN_OTHER, SIGFRESH_VERIFY_SIGNATURE_MISMATCH, SIGFRESH_CREDENTIALS_EMPTY,
        SIGFRESH_DOCUMENT_SYNTAX, SIGFRESH_POLICY_ZERO, SIGFRESH_TIME_PARSE,
        SIGFRESH_RAW_REQUEST_BAD_REQUEST_LINE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(strncmp(sigfresh_result_name(codes[i]), "SIGFRESH_", 9) == 0);
        CHECK(strcmp(sigfresh_result_name(codes[i]), "SIGFRESH_UNKNOWN") != 0);
        CHECK(strlen(sigfresh_result_message(codes[i])) > 0);
    }

    /* The last error detail: set by a failing call, read with the buffer rules. */
    int64_t ms = 0;
    CHECK_RC(sigfresh_time_parse_rfc3339("x", 1, NULL), SIGFRESH_NULL_PARAMETER);
    CHECK_DETAIL("ms_out");
    size_t n = 0;
    char small[4];
    CHECK_RC(sigfresh_last_error_message(small, sizeof small, &n), SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(n == strlen("`ms_out` is NULL") + 1);
    CHECK_RC(sigfresh_last_error_message(NULL, 0, &n), SIGFRESH_BUFFER_TOO_SMALL);
    char *big = malloc(n);
    OK(sigfresh_last_error_message(big, n, &n));
    CHECK(strcmp(big, "`ms_out` is NULL") == 0 && n == strlen(big));
    free(big);
    CHECK_RC(sigfresh_last_error_message(small, sizeof small, NULL), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_last_error_message(NULL, 5, &n), SIGFRESH_NULL_PARAMETER);
    /* Reading the detail does not change it, and a success leaves it alone. */
    OK(sigfresh_time_parse_rfc3339("2015-08-30T12:36:00Z", 20, &ms));
    CHECK_DETAIL("`ms_out` is NULL");
}

/* ---- time ------------------------------------------------------------------------------- */

static void test_time(void) {
    int64_t ms = -1;
    OK(sigfresh_time_parse_rfc3339("2015-08-30T12:36:00Z", 20, &ms));
    CHECK(ms == T_SUITE);
    OK(sigfresh_time_parse_amz_date("20150830T123600Z", 16, &ms));
    CHECK(ms == T_SUITE);
    OK(sigfresh_time_parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT", 29, &ms));
    CHECK(ms == T_SUITE);
    ms = 7;
    CHECK_RC(sigfresh_time_parse_rfc3339("2015-13-30T12:36:00Z", 20, &ms), SIGFRESH_TIME_PARSE);
    CHECK(ms == 7); /* outputs only on success */
    CHECK_RC(sigfresh_time_parse_amz_date("2015\xff", 5, &ms), SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("byte 4");
    CHECK_RC(sigfresh_time_parse_http_date(NULL, 3, &ms), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_time_parse_http_date("x", SIZE_MAX, &ms), SIGFRESH_LENGTH_TOO_LARGE);
    CHECK_RC(sigfresh_time_parse_http_date(NULL, 0, &ms), SIGFRESH_TIME_PARSE); /* empty */

    char buf[32];
    size_t n = 0;
    OK(sigfresh_time_format_rfc3339(T_SUITE + 5, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "2015-08-30T12:36:00.005Z") == 0 && n == 24);
    OK(sigfresh_time_format_amz_date(T_SUITE + 5, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "20150830T123600Z") == 0 && n == 16);
    memset(buf, 'x', sizeof buf);
    CHECK_RC(sigfresh_time_format_amz_date(T_SUITE, buf, 16, &n), SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(n == 17 && buf[0] == 'x');
    CHECK_RC(sigfresh_time_format_amz_date(INT64_MAX, buf, sizeof buf, &n),
             SIGFRESH_TIME_OUT_OF_RANGE);
    CHECK_RC(sigfresh_time_format_rfc3339(INT64_MIN, buf, sizeof buf, &n),
             SIGFRESH_TIME_OUT_OF_RANGE);
    CHECK_RC(sigfresh_time_format_rfc3339(0, buf, sizeof buf, NULL), SIGFRESH_NULL_PARAMETER);
}

/* ---- credentials ------------------------------------------------------------------------ */

static void test_credentials(void) {
    int64_t exp = T_SUITE + 3600000;
    const sigfresh_credentials *c = NULL;
    OK(sigfresh_credentials_new(AKID, 11, SECRET, 40, "token", 5, &exp, "123456789012", 12,
                                SIGFRESH_CREDENTIAL_SOURCE_STS, &c));
    char buf[64];
    size_t n = 0;
    OK(sigfresh_credentials_access_key_id(c, buf, sizeof buf, &n));
    CHECK(strcmp(buf, AKID) == 0 && n == 11);
    OK(sigfresh_credentials_secret_access_key_expose(c, buf, sizeof buf, &n));
    CHECK(strcmp(buf, SECRET) == 0 && n == 40);
    CHECK_RC(sigfresh_credentials_secret_access_key_expose(c, buf, 40, &n),
             SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(n == 41);
    OK(sigfresh_credentials_session_token_expose(c, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "token") == 0);
    bool has = false;
    OK(sigfresh_credentials_has_session_token(c, &has));
    CHECK(has);
    int64_t got = 0;
    OK(sigfresh_credentials_expiry(c, &got));
    CHECK(got == exp);
    OK(sigfresh_credentials_account_id(c, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "123456789012") == 0);
    sigfresh_credential_source src = 1234;
    OK(sigfresh_credentials_source(c, &src));
    CHECK(src == SIGFRESH_CREDENTIAL_SOURCE_STS);
    CHECK_RC(sigfresh_credentials_profile_name(c, buf, sizeof buf, &n), SIGFRESH_ABSENT);

    /* Long-term credentials: the optional parts are absent. */
    const sigfresh_credentials *lt = creds_of(AKID, SECRET, NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
    CHECK_RC(sigfresh_credentials_session_token_expose(lt, buf, sizeof buf, &n),
             SIGFRESH_ABSENT);
    OK(sigfresh_credentials_has_session_token(lt, &has));
    CHECK(!has);
    got = 99;
    CHECK_RC(sigfresh_credentials_expiry(lt, &got), SIGFRESH_ABSENT);
    CHECK(got == 99);
    CHECK_RC(sigfresh_credentials_account_id(lt, buf, sizeof buf, &n), SIGFRESH_ABSENT);

    /* Validation is the core's; details name the field and offset, never the value. */
    const sigfresh_credentials *bad = NULL;
    CHECK_RC(sigfresh_credentials_new(AKID, 11, "", 0, NULL, 0, NULL, NULL, 0,
                                      SIGFRESH_CREDENTIAL_SOURCE_STATIC, &bad),
             SIGFRESH_CREDENTIALS_EMPTY);
    CHECK_DETAIL("secret access key");
    CHECK_RC(sigfresh_credentials_new(AKID, 11, "sec ret", 7, NULL, 0, NULL, NULL, 0,
                                      SIGFRESH_CREDENTIAL_SOURCE_STATIC, &bad),
             SIGFRESH_CREDENTIALS_INVALID_CHARACTER);
    CHECK_DETAIL("byte 3");
    {
        char d[512];
        size_t dn;
        OK(sigfresh_last_error_message(d, sizeof d, &dn));
        CHECK(strstr(d, "sec ret") == NULL);
    }
    CHECK_RC(sigfresh_credentials_new("AK\xc3", 3, SECRET, 40, NULL, 0, NULL, NULL, 0,
                                      SIGFRESH_CREDENTIAL_SOURCE_STATIC, &bad),
             SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("access_key_id");
    CHECK_RC(sigfresh_credentials_new(AKID, 11, SECRET, 40, NULL, 0, NULL, NULL, 0,
                                      SIGFRESH_CREDENTIAL_SOURCE_PROFILE, &bad),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_credentials_new(AKID, 11, SECRET, 40, NULL, 0, NULL, NULL, 0, 77, &bad),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_credentials_new(AKID, 11, SECRET, 40, NULL, 0, NULL, NULL, 0,
                                      SIGFRESH_CREDENTIAL_SOURCE_STATIC, NULL),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_credentials_new(NULL, 11, SECRET, 40, NULL, 0, NULL, NULL, 0,
                                      SIGFRESH_CREDENTIAL_SOURCE_STATIC, &bad),
             SIGFRESH_NULL_PARAMETER);
    CHECK(bad == NULL);

    /* NULL, foreign and freed handles. */
    CHECK_RC(sigfresh_credentials_access_key_id(NULL, buf, sizeof buf, &n),
             SIGFRESH_NULL_PARAMETER);
    uint64_t junk = 0x1234;
    CHECK_RC(sigfresh_credentials_source((const sigfresh_credentials *)&junk, &src),
             SIGFRESH_INVALID_HANDLE);
    CHECK_RC(sigfresh_credentials_free((const sigfresh_credentials *)&junk),
             SIGFRESH_INVALID_HANDLE);
    OK(sigfresh_credentials_free(NULL));
    OK(sigfresh_credentials_free(c));
    CHECK_RC(sigfresh_credentials_access_key_id(c, buf, sizeof buf, &n), SIGFRESH_HANDLE_FREED);
    CHECK_DETAIL("already freed");
    CHECK_RC(sigfresh_credentials_free(c), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_credentials_free(lt));
}

/* ---- documents and profiles ------------------------------------------------------------- */

static void test_documents(void) {
    const sigfresh_credentials *c = NULL;
    sigfresh_credential_source src = 0;
    int64_t exp = 0;
    OK(sigfresh_document_parse_imds(BYTES(IMDS_DOC), &c));
    expect_akid(c, "ASIAIMDS");
    OK(sigfresh_credentials_source(c, &src));
    CHECK(src == SIGFRESH_CREDENTIAL_SOURCE_INSTANCE_METADATA);
    OK(sigfresh_credentials_expiry(c, &exp));
    CHECK(exp == 1714586400000LL);
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_document_parse_container(BYTES(CONTAINER_DOC), &c));
    expect_akid(c, "ASIACONT");
    {
        char buf[32];
        size_t n;
        OK(sigfresh_credentials_account_id(c, buf, sizeof buf, &n));
        CHECK(strcmp(buf, "123456789012") == 0);
    }
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_document_parse_process(BYTES(PROCESS_DOC), &c));
    expect_akid(c, "AKIAPROC");
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_document_parse_sso(BYTES(SSO_DOC), &c));
    expect_akid(c, "ASIASSO");
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_document_parse_sts(BYTES(STS_DOC), &c));
    expect_akid(c, "ASIASTS");
    OK(sigfresh_credentials_free(c));

    const char *docs[] = {IMDS_DOC, CONTAINER_DOC, PROCESS_DOC, SSO_DOC, STS_DOC};
    const sigfresh_document_format formats[] = {
        SIGFRESH_FORMAT_INSTANCE_METADATA, SIGFRESH_FORMAT_CONTAINER, SIGFRESH_FORMAT_PROCESS,
        SIGFRESH_FORMAT_SSO, SIGFRESH_FORMAT_STS};
    for (size_t i = 0; i < 5; i++) {
        sigfresh_document_format f = 1234;
        OK(sigfresh_document_parse_any(BYTES(docs[i]), &f, &c));
        CHECK(f == formats[i]);
        CHECK(sigfresh_document_format_name(f) != NULL);
        OK(sigfresh_credentials_free(c));
    }
    CHECK(strcmp(sigfresh_document_format_name(SIGFRESH_FORMAT_STS), "STS response") == 0);
    CHECK(sigfresh_document_format_name(SIGFRESH_FORMAT_ENVIRONMENT) != NULL);
    CHECK(sigfresh_document_format_name(SIGFRESH_FORMAT_CREDENTIALS_FILE) != NULL);
    CHECK(sigfresh_document_format_name(SIGFRESH_FORMAT_CONFIG_FILE) != NULL);
    CHECK(sigfresh_document_format_name(SIGFRESH_FORMAT_OTHER) == NULL);

    /* Errors name the field or offset. */
    c = NULL;
    CHECK_RC(sigfresh_document_parse_imds(BYTES("{\"Code\":\"Success\""), &c),
             SIGFRESH_DOCUMENT_SYNTAX);
    CHECK_DETAIL("byte");
    CHECK_RC(sigfresh_document_parse_process(BYTES("{\"Version\":1,\"AccessKeyId\":\"A\"}"), &c),
             SIGFRESH_DOCUMENT_MISSING_FIELD);
    CHECK_DETAIL("SecretAccessKey");
    CHECK_RC(sigfresh_document_parse_sts(BYTES("<x/>"), &c), SIGFRESH_DOCUMENT_UNEXPECTED_ROOT);
    CHECK_RC(sigfresh_document_parse_sso(BYTES("{}"), &c), SIGFRESH_DOCUMENT_MISSING_FIELD);
    CHECK_RC(sigfresh_document_parse_container(BYTES("{\"code\":\"X\",\"message\":\"m\"}"), &c),
             SIGFRESH_DOCUMENT_SERVICE_ERROR);
    sigfresh_document_format f = 1234;
    CHECK_RC(sigfresh_document_parse_any(BYTES("{\"a\":1}"), &f, &c),
             SIGFRESH_DOCUMENT_UNRECOGNIZED);
    CHECK(f == 1234 && c == NULL);
    CHECK_RC(sigfresh_document_parse_any(NULL, 3, &f, &c), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_document_parse_any(BYTES(IMDS_DOC), NULL, &c), SIGFRESH_NULL_PARAMETER);
    CHECK(c == NULL);
    {
        size_t big = 70 * 1024;
        uint8_t *doc = malloc(big);
        memset(doc, ' ', big);
        CHECK_RC(sigfresh_document_parse_imds(doc, big, &c), SIGFRESH_DOCUMENT_TOO_LARGE);
        free(doc);
    }

    /* Environment variables. */
    sigfresh_pair env[] = {P("HOME", "/root"), P("AWS_ACCESS_KEY_ID", "AKIAENV"),
                           P("AWS_SECRET_ACCESS_KEY", "envSecret"),
                           P("AWS_SESSION_TOKEN", "envToken")};
    OK(sigfresh_document_parse_env(env, 4, &c));
    expect_akid(c, "AKIAENV");
    OK(sigfresh_credentials_source(c, &src));
    CHECK(src == SIGFRESH_CREDENTIAL_SOURCE_ENVIRONMENT);
    OK(sigfresh_credentials_free(c));
    c = NULL;
    CHECK_RC(sigfresh_document_parse_env(env, 1, &c), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_document_parse_env(NULL, 0, &c), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_document_parse_env(env, 2, &c), SIGFRESH_DOCUMENT_MISSING_FIELD);
    CHECK_DETAIL("AWS_SECRET_ACCESS_KEY");
    sigfresh_pair bad_env[] = {P("AWS_ACCESS_KEY_ID", "AKIA\xff")};
    CHECK_RC(sigfresh_document_parse_env(bad_env, 1, &c), SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("vars[0].value");
    CHECK_RC(sigfresh_document_parse_env(env, SIZE_MAX / 4, &c), SIGFRESH_LENGTH_TOO_LARGE);
    CHECK(c == NULL);
}

static void test_profiles(void) {
    const char *cred = "[default]\naws_access_key_id = AKIAPROF\naws_secret_access_key = s\n"
                       "[dev]\nregion = eu-west-1\n";
    const char *conf = "[default]\nregion = us-west-2 # comment\n[profile dev]\n"
                       "role_arn = arn:aws:iam::123456789012:role/dev\n"
                       "[sso-session corp]\nsso_region = us-east-1\n";
    const sigfresh_profile_set *set = NULL;
    OK(sigfresh_profile_set_parse(cred, strlen(cred), conf, strlen(conf), &set));
    size_t count = 0;
    OK(sigfresh_profile_set_profile_count(set, &count));
    CHECK(count == 2);
    sigfresh_str s = {0};
    OK(sigfresh_profile_set_profile_name(set, 0, &s));
    CHECK(str_is(s, "default"));
    OK(sigfresh_profile_set_profile_name(set, 1, &s));
    CHECK(str_is(s, "dev"));
    CHECK_RC(sigfresh_profile_set_profile_name(set, 2, &s), SIGFRESH_INDEX_OUT_OF_RANGE);
    OK(sigfresh_profile_set_get(set, "default", 7, "REGION", 6, &s));
    CHECK(str_is(s, "us-west-2"));
    OK(sigfresh_profile_set_get(set, "dev", 3, "region", 6, &s));
    CHECK(str_is(s, "eu-west-1"));
    CHECK_RC(sigfresh_profile_set_get(set, "dev", 3, "nope", 4, &s), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_profile_set_get(set, "prod", 4, "region", 6, &s), SIGFRESH_NOT_FOUND);
    CHECK_DETAIL("prod");
    OK(sigfresh_profile_set_sso_session_get(set, "corp", 4, "sso_region", 10, &s));
    CHECK(str_is(s, "us-east-1"));
    CHECK_RC(sigfresh_profile_set_sso_session_get(set, "dev", 3, "sso_region", 10, &s),
             SIGFRESH_NOT_FOUND);

    const sigfresh_credentials *c = NULL;
    OK(sigfresh_profile_set_credentials(set, "default", 7, &c));
    expect_akid(c, "AKIAPROF");
    sigfresh_credential_source src = 0;
    OK(sigfresh_credentials_source(c, &src));
    CHECK(src == SIGFRESH_CREDENTIAL_SOURCE_PROFILE);
    char buf[16];
    size_t n = 0;
    OK(sigfresh_credentials_profile_name(c, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "default") == 0);
    CHECK_RC(sigfresh_credentials_profile_name(c, buf, 3, &n), SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(n == 8);
    OK(sigfresh_credentials_free(c));
    c = NULL;
    CHECK_RC(sigfresh_profile_set_credentials(set, "dev", 3, &c), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_profile_set_credentials(set, "x", 1, &c), SIGFRESH_NOT_FOUND);
    CHECK(c == NULL);
    OK(sigfresh_profile_set_free(set));
    CHECK_RC(sigfresh_profile_set_profile_count(set, &count), SIGFRESH_HANDLE_FREED);

    /* Only one file, and file errors naming the line. */
    OK(sigfresh_profile_set_parse(NULL, 0, conf, strlen(conf), &set));
    OK(sigfresh_profile_set_free(set));
    set = NULL;
    const char *bad = "[default]\naws_access_key_id = A\nnot a property\n";
    CHECK_RC(sigfresh_profile_set_parse(bad, strlen(bad), NULL, 0, &set),
             SIGFRESH_DOCUMENT_INI_SYNTAX);
    CHECK_DETAIL("line 3");
    const char *half = "[p]\naws_access_key_id = A\n";
    OK(sigfresh_profile_set_parse(half, strlen(half), NULL, 0, &set));
    CHECK_RC(sigfresh_profile_set_credentials(set, "p", 1, &c), SIGFRESH_DOCUMENT_PROFILE_MISSING_KEY);
    OK(sigfresh_profile_set_free(set));
    const char *badkey = "[p]\naws_access_key_id = A/B\naws_secret_access_key = s\n";
    OK(sigfresh_profile_set_parse(badkey, strlen(badkey), NULL, 0, &set));
    CHECK_RC(sigfresh_profile_set_credentials(set, "p", 1, &c), SIGFRESH_DOCUMENT_PROFILE_INVALID_KEY);
    OK(sigfresh_profile_set_free(set));
    OK(sigfresh_profile_set_free(NULL));
    CHECK_RC(sigfresh_profile_set_parse("\xff", 1, NULL, 0, &set), SIGFRESH_INVALID_UTF8);
}

/* ---- raw requests ----------------------------------------------------------------------- */

static void test_raw_request(void) {
    const char *text = "POST /a b HTTP/1.1\r\nHost:example.com\r\nX-A: 1\r\n  2\r\n\r\nbody";
    const sigfresh_raw_request *r = NULL;
    OK(sigfresh_raw_request_parse(BYTES(text), &r));
    sigfresh_str s;
    OK(sigfresh_raw_request_method(r, &s));
    CHECK(str_is(s, "POST"));
    OK(sigfresh_raw_request_target(r, &s));
    CHECK(str_is(s, "/a b"));
    OK(sigfresh_raw_request_version(r, &s));
    CHECK(str_is(s, "HTTP/1.1"));
    size_t count = 0;
    OK(sigfresh_raw_request_header_count(r, &count));
    CHECK(count == 2);
    sigfresh_pair h;
    OK(sigfresh_raw_request_header(r, 1, &h));
    CHECK(h.name_len == 3 && memcmp(h.name, "X-A", 3) == 0);
    CHECK(h.value_len == 3 && memcmp(h.value, "1 2", 3) == 0);
    CHECK_RC(sigfresh_raw_request_header(r, 2, &h), SIGFRESH_INDEX_OUT_OF_RANGE);
    CHECK_DETAIL("count is 2");
    sigfresh_bytes b;
    OK(sigfresh_raw_request_body(r, &b));
    CHECK(b.len == 4 && memcmp(b.ptr, "body", 4) == 0);
    OK(sigfresh_raw_request_free(r));
    CHECK_RC(sigfresh_raw_request_body(r, &b), SIGFRESH_HANDLE_FREED);

    OK(sigfresh_raw_request_parse(BYTES("GET /"), &r));
    CHECK_RC(sigfresh_raw_request_version(r, &s), SIGFRESH_ABSENT);
    OK(sigfresh_raw_request_free(r));
    r = NULL;
    CHECK_RC(sigfresh_raw_request_parse(BYTES(""), &r), SIGFRESH_RAW_REQUEST_BAD_REQUEST_LINE);
    CHECK_RC(sigfresh_raw_request_parse(BYTES("GET / HTTP/1.1\nbad line\n"), &r),
             SIGFRESH_RAW_REQUEST_BAD_HEADER_LINE);
    CHECK_DETAIL("line 2");
    CHECK_RC(sigfresh_raw_request_parse(BYTES("GET / HTTP/1.1\n folded\n"), &r),
             SIGFRESH_RAW_REQUEST_FOLD_WITHOUT_HEADER);
    CHECK_RC(sigfresh_raw_request_parse(BYTES("GET /\xff HTTP/1.1\n"), &r),
             SIGFRESH_RAW_REQUEST_NOT_UTF8);
    CHECK(r == NULL);
    OK(sigfresh_raw_request_free(NULL));
}

/* ---- quarantine: use-after-free detection stays sound across many frees ------------------ */

static void test_many_frees(void) {
    /* More frees than the quarantine holds: every handle is still freed exactly once and
     * valgrind/ASan see no leak or invalid access. */
    const sigfresh_credentials *first = creds_of(AKID, SECRET, NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
    OK(sigfresh_credentials_free(first));
    CHECK_RC(sigfresh_credentials_free(first), SIGFRESH_HANDLE_FREED);
    for (int i = 0; i < 1500; i++) {
        const sigfresh_credentials *c = creds_of(AKID, SECRET, NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
        OK(sigfresh_credentials_free(c));
    }
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : ".";
    test_general();
    test_time();
    test_credentials();
    test_documents();
    test_profiles();
    test_raw_request();
    test_signing_settings();
    test_sign_buffers();
    test_sign_output_and_presign();
    test_verify();
    test_refresh();
    test_skew();
    test_classify();
    test_source_imds();
    test_source_container_and_chain();
    test_moved_rules();
    test_many_frees();
    int suite_cases = run_suite(root);
    printf("sigv4 suite through the C API: %d cases checked\n", suite_cases);
    CHECK(suite_cases == 34);
    return finish("c_api");
}
