/* Signing settings, signing into buffers and results, presigning, verification. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"

/* ---- signing ---------------------------------------------------------------------------- */

void test_signing_settings(void) {
    sigfresh_signing_settings *s = NULL;
    OK(sigfresh_signing_settings_new(&s));
    OK(sigfresh_signing_settings_set_uri_encoding(s, SIGFRESH_URI_ENCODING_SINGLE));
    OK(sigfresh_signing_settings_set_path_normalization(s, SIGFRESH_PATH_NORMALIZATION_DISABLED));
    OK(sigfresh_signing_settings_set_session_token_mode(s, SIGFRESH_SESSION_TOKEN_APPEND_AFTER_SIGNING));
    OK(sigfresh_signing_settings_set_content_sha256(s, SIGFRESH_CONTENT_SHA256_ADD));
    OK(sigfresh_signing_settings_set_location(s, SIGFRESH_LOCATION_QUERY_STRING, 900));
    OK(sigfresh_signing_settings_set_location(s, SIGFRESH_LOCATION_HEADERS, 0));
    sigfresh_str names[] = {{"Range", 5}, {"x-custom", 8}};
    OK(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_ALLOW_LIST, names, 2));
    OK(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_DENY_LIST, names, 1));
    OK(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_DEFAULT, NULL, 0));
    /* Unknown constants and misuse. */
    CHECK_RC(sigfresh_signing_settings_set_uri_encoding(s, 2), SIGFRESH_INVALID_ARGUMENT);
    CHECK_DETAIL("encoding");
    CHECK_RC(sigfresh_signing_settings_set_path_normalization(s, 9), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_signing_settings_set_session_token_mode(s, 9), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_signing_settings_set_content_sha256(s, 9), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_signing_settings_set_location(s, 9, 1), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_signing_settings_set_header_selection(s, 9, NULL, 0),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_DEFAULT, names, 1),
             SIGFRESH_INVALID_ARGUMENT);
    sigfresh_str bad_names[] = {{"ok", 2}, {"\xff", 1}};
    CHECK_RC(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_ALLOW_LIST,
                                                            bad_names, 2),
             SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("names[1]");
    CHECK_RC(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_ALLOW_LIST, NULL, 2),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signing_settings_set_uri_encoding(NULL, 0), SIGFRESH_NULL_PARAMETER);

    /* Signer construction errors come from the core. */
    const sigfresh_signer *signer = NULL;
    CHECK_RC(sigfresh_signer_new(s, "us east", 7, "s3", 2, &signer), SIGFRESH_SIGN_INVALID_REGION);
    CHECK_RC(sigfresh_signer_new(s, "us-east-1", 9, "", 0, &signer), SIGFRESH_SIGN_INVALID_SERVICE);
    CHECK_RC(sigfresh_signer_new(s, "us-east-1", 9, "s3", 2, NULL), SIGFRESH_NULL_PARAMETER);
    sigfresh_str bad_header[] = {{"bad header", 10}};
    OK(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_ALLOW_LIST, bad_header, 1));
    CHECK_RC(sigfresh_signer_new(s, "us-east-1", 9, "s3", 2, &signer),
             SIGFRESH_SIGN_INVALID_HEADER_SELECTION);
    OK(sigfresh_signing_settings_set_header_selection(s, SIGFRESH_HEADERS_DEFAULT, NULL, 0));
    OK(sigfresh_signing_settings_set_location(s, SIGFRESH_LOCATION_QUERY_STRING, 604801));
    CHECK_RC(sigfresh_signer_new(s, "us-east-1", 9, "s3", 2, &signer), SIGFRESH_SIGN_INVALID_EXPIRES);
    CHECK_DETAIL("604801");
    CHECK(signer == NULL);
    OK(sigfresh_signing_settings_free(s));
    CHECK_RC(sigfresh_signing_settings_set_uri_encoding(s, 0), SIGFRESH_HANDLE_FREED);
    CHECK_RC(sigfresh_signing_settings_free(s), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_signing_settings_free(NULL));
    OK(sigfresh_signing_settings_new_s3(&s));
    OK(sigfresh_signing_settings_free(s));
    CHECK_RC(sigfresh_signing_settings_new(NULL), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signing_settings_new_s3(NULL), SIGFRESH_NULL_PARAMETER);
}

/* get-vanilla from the suite: known canonical request and signature. */
#define VANILLA_SIG "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

void test_sign_buffers(void) {
    sigfresh_signing_settings *settings = NULL;
    OK(sigfresh_signing_settings_new(&settings));
    const sigfresh_signer *signer = signer_of(settings, "us-east-1", "service");
    const sigfresh_credentials *c = creds_of(AKID, SECRET, NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
    sigfresh_request r = req_of("GET", "https://example.amazonaws.com/", NULL, 0,
                                SIGFRESH_PAYLOAD_BYTES, NULL, 0);

    char buf[1024];
    sigfresh_pair hs[SIGFRESH_MAX_SIGNING_HEADERS];
    size_t count = 0, used = 0;
    OK(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used));
    CHECK(count == 2);
    CHECK(strcmp(hs[0].name, "x-amz-date") == 0 && strcmp(hs[0].value, "20150830T123600Z") == 0);
    CHECK(strcmp(hs[1].name, "authorization") == 0);
    CHECK(strstr(hs[1].value, "Signature=" VANILLA_SIG) != NULL);
    CHECK(hs[1].value_len == strlen(hs[1].value));
    size_t want_used = used;

    /* Size query, then too-small buffers: only the sizes are written. */
    count = used = 0;
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, NULL, 0, NULL, 0, &count, &used),
             SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(count == 2 && used == want_used);
    sigfresh_pair untouched = {0};
    hs[0] = untouched;
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, used - 1, hs, 4, &count, &used),
             SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(hs[0].name == NULL);
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 1, &count, &used),
             SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(hs[0].name == NULL && count == 2);
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, NULL, 10, hs, 4, &count, &used),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 4, NULL, &used),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 4, &count, NULL),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signer_sign(signer, NULL, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_NULL_PARAMETER);
    CHECK_DETAIL("request");
    CHECK_RC(sigfresh_signer_sign(NULL, &r, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signer_sign(signer, &r, NULL, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_NULL_PARAMETER);
    /* Wrong handle type: credentials where a signer belongs. */
    CHECK_RC(sigfresh_signer_sign((const sigfresh_signer *)c, &r, c, T_SUITE, buf, sizeof buf, hs,
                                  4, &count, &used),
             SIGFRESH_INVALID_HANDLE);
    CHECK_DETAIL("sigfresh_signer");

    /* Bad inputs, each named precisely. */
    sigfresh_pair bad_headers[] = {P("Host", "example.amazonaws.com"), P("X-A", "a\xffz")};
    sigfresh_request bad = req_of("GET", "/", bad_headers, 2, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("request.headers[1].value");
    CHECK_DETAIL("byte 1");
    sigfresh_pair ctl_headers[] = {P("Host", "example.amazonaws.com"), P("X-A", "a\nz")};
    bad = req_of("GET", "/", ctl_headers, 2, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_INVALID_HEADER_VALUE);
    CHECK_DETAIL("offset 1");
    bad = req_of("GET", "/", NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_MISSING_HOST);
    bad = req_of("G T", "https://h/", NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_INVALID_METHOD);
    bad = req_of("GET", "h/x", NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_INVALID_URI);
    bad = req_of("GET", "https://h/", NULL, 0, SIGFRESH_PAYLOAD_PRECOMPUTED, "abc", 3);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_INVALID_PAYLOAD_HASH);
    bad = req_of("GET", "https://h/", NULL, 0, 42, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_DETAIL("request.payload.kind");
    bad = req_of("GET", "https://h/", NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 5);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_NULL_PARAMETER);
    bad = req_of("GET", "https://h/", NULL, 0, SIGFRESH_PAYLOAD_BYTES, "x", SIZE_MAX);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_LENGTH_TOO_LARGE);
    bad = req_of("GET", "https://h/", bad_headers, SIZE_MAX / 8, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_LENGTH_TOO_LARGE);
    bad = req_of("GET", "https://h/", NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    bad.uri_len = 3;
    bad.uri = NULL;
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_NULL_PARAMETER);
    CHECK_DETAIL("request.uri");
    bad = req_of("GET", "https://h/", NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_signer_sign(signer, &bad, c, INT64_MAX, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_TIME_OUT_OF_RANGE);

    /* Every payload kind; more headers than fit inline (17). */
    const sigfresh_payload_kind kinds[] = {
        SIGFRESH_PAYLOAD_UNSIGNED, SIGFRESH_PAYLOAD_STREAMING_SIGNED,
        SIGFRESH_PAYLOAD_STREAMING_SIGNED_TRAILER, SIGFRESH_PAYLOAD_STREAMING_UNSIGNED_TRAILER,
        SIGFRESH_PAYLOAD_STREAMING_ECDSA, SIGFRESH_PAYLOAD_STREAMING_ECDSA_TRAILER};
    for (size_t i = 0; i < 6; i++) {
        sigfresh_request k = req_of("PUT", "https://h/k", NULL, 0, kinds[i], NULL, 0);
        OK(sigfresh_signer_sign(signer, &k, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used));
    }
    sigfresh_request pre = req_of("PUT", "https://h/k", NULL, 0, SIGFRESH_PAYLOAD_PRECOMPUTED,
                                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                  64);
    OK(sigfresh_signer_sign(signer, &pre, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used));
    sigfresh_pair many[17];
    char names[17][8];
    for (int i = 0; i < 17; i++) {
        snprintf(names[i], sizeof names[i], "x-h%d", i);
        many[i] = P(names[i], "v");
    }
    sigfresh_request m = req_of("GET", "https://h/", many, 17, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    OK(sigfresh_signer_sign(signer, &m, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used));
    CHECK(strstr(hs[1].value, "x-h16") != NULL);
    many[16] = P("x-h16", "\xff");
    CHECK_RC(sigfresh_signer_sign(signer, &m, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_INVALID_UTF8);
    CHECK_DETAIL("request.headers[16].value");

    /* The signer signs into headers: presigning with it is a mode mismatch. */
    size_t url_len = 0;
    CHECK_RC(sigfresh_signer_presign(signer, &r, c, T_SUITE, buf, sizeof buf, &url_len),
             SIGFRESH_SIGN_MODE_MISMATCH);

    /* Temporary credentials: the token header is produced. */
    const sigfresh_credentials *tc = creds_of(AKID, SECRET, "tok", NULL, SIGFRESH_CREDENTIAL_SOURCE_STS);
    OK(sigfresh_signer_sign(signer, &r, tc, T_SUITE, buf, sizeof buf, hs, 4, &count, &used));
    CHECK(count == 3 && strcmp(hs[1].name, "x-amz-security-token") == 0 &&
          strcmp(hs[1].value, "tok") == 0);

    OK(sigfresh_signer_free(signer));
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_HANDLE_FREED);
    CHECK_RC(sigfresh_signer_free(signer), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_signer_free(NULL));
    OK(sigfresh_credentials_free(tc));
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_signing_settings_free(settings));
}

void test_sign_output_and_presign(void) {
    sigfresh_signing_settings *settings = NULL;
    OK(sigfresh_signing_settings_new(&settings));
    const sigfresh_signer *signer = signer_of(settings, "us-east-1", "service");
    const sigfresh_credentials *c = creds_of(AKID, SECRET, NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
    sigfresh_request r = req_of("GET", "https://example.amazonaws.com/", NULL, 0,
                                SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    const sigfresh_signing_output *o = NULL;
    OK(sigfresh_signer_sign_output(signer, &r, c, T_SUITE, &o));
    sigfresh_str s;
    OK(sigfresh_signing_output_signature(o, &s));
    CHECK(str_is(s, VANILLA_SIG));
    OK(sigfresh_signing_output_canonical_request(o, &s));
    CHECK(str_is(s, "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                    "host;x-amz-date\n"
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    OK(sigfresh_signing_output_string_to_sign(o, &s));
    CHECK(s.len > 0 && memcmp(s.ptr, "AWS4-HMAC-SHA256\n20150830T123600Z\n", 34) == 0);
    OK(sigfresh_signing_output_authorization(o, &s));
    CHECK(s.len > 0 && memcmp(s.ptr, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 40) == 0);
    OK(sigfresh_signing_output_signed_uri(o, &s));
    CHECK(str_is(s, "https://example.amazonaws.com/"));
    size_t count = 9;
    OK(sigfresh_signing_output_header_count(o, &count));
    CHECK(count == 2);
    sigfresh_pair p;
    OK(sigfresh_signing_output_header(o, 0, &p));
    CHECK(p.name_len == 10 && memcmp(p.name, "x-amz-date", 10) == 0);
    CHECK_RC(sigfresh_signing_output_header(o, 2, &p), SIGFRESH_INDEX_OUT_OF_RANGE);
    OK(sigfresh_signing_output_query_param_count(o, &count));
    CHECK(count == 0);
    CHECK_RC(sigfresh_signing_output_query_param(o, 0, &p), SIGFRESH_INDEX_OUT_OF_RANGE);
    CHECK_RC(sigfresh_signing_output_signature(o, NULL), SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_signing_output_free(o));
    CHECK_RC(sigfresh_signing_output_signature(o, &s), SIGFRESH_HANDLE_FREED);
    CHECK_RC(sigfresh_signing_output_free(o), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_signing_output_free(NULL));
    OK(sigfresh_signer_free(signer));

    /* Presigning (W3-like): into a buffer and into an output. */
    OK(sigfresh_signing_settings_set_location(settings, SIGFRESH_LOCATION_QUERY_STRING, 900));
    signer = signer_of(settings, "us-east-1", "service");
    char url[1024];
    size_t url_len = 0;
    OK(sigfresh_signer_presign(signer, &r, c, T_SUITE, url, sizeof url, &url_len));
    CHECK(url_len == strlen(url));
    CHECK(strncmp(url, "https://example.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256&", 64) == 0);
    CHECK(strstr(url, "&X-Amz-Expires=900&") != NULL);
    size_t need = 0;
    CHECK_RC(sigfresh_signer_presign(signer, &r, c, T_SUITE, NULL, 0, &need),
             SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(need == url_len + 1);
    CHECK_RC(sigfresh_signer_presign(signer, &r, c, T_SUITE, url, sizeof url, NULL),
             SIGFRESH_NULL_PARAMETER);
    char buf[256];
    sigfresh_pair hs[4];
    size_t used = 0;
    CHECK_RC(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used),
             SIGFRESH_SIGN_MODE_MISMATCH);
    OK(sigfresh_signer_sign_output(signer, &r, c, T_SUITE, &o));
    OK(sigfresh_signing_output_signed_uri(o, &s));
    CHECK(s.len == url_len && memcmp(s.ptr, url, url_len) == 0);
    CHECK_RC(sigfresh_signing_output_authorization(o, &s), SIGFRESH_ABSENT);
    OK(sigfresh_signing_output_header_count(o, &count));
    CHECK(count == 0);
    OK(sigfresh_signing_output_query_param_count(o, &count));
    CHECK(count == 6);
    OK(sigfresh_signing_output_query_param(o, 5, &p));
    CHECK(p.name_len == 15 && memcmp(p.name, "X-Amz-Signature", 15) == 0);
    OK(sigfresh_signing_output_free(o));
    o = NULL;
    CHECK_RC(sigfresh_signer_sign_output(signer, NULL, c, T_SUITE, &o), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_signer_sign_output(signer, &r, c, T_SUITE, NULL), SIGFRESH_NULL_PARAMETER);
    CHECK(o == NULL);
    OK(sigfresh_signer_free(signer));
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_signing_settings_free(settings));
}

/* ---- verification ----------------------------------------------------------------------- */

static const sigfresh_credentials *lookup_table(void *userdata, const char *akid, size_t len) {
    const sigfresh_credentials *const *c = userdata;
    CHECK(strlen(akid) == len); /* NUL-terminated as documented */
    return strcmp(akid, AKID) == 0 ? *c : NULL;
}

static const sigfresh_credentials *lookup_none(void *userdata, const char *akid, size_t len) {
    (void)userdata;
    (void)akid;
    (void)len;
    return NULL;
}

void test_verify(void) {
    sigfresh_signing_settings *settings = NULL;
    OK(sigfresh_signing_settings_new(&settings));
    const sigfresh_signer *signer = signer_of(settings, "us-east-1", "service");
    const sigfresh_credentials *c = creds_of(AKID, SECRET, "tokenEXAMPLE12345", NULL, SIGFRESH_CREDENTIAL_SOURCE_STS);
    sigfresh_pair given[] = {P("Host", "example.amazonaws.com"), P("Content-Type", "text/plain")};
    sigfresh_request r = req_of("POST", "/path?a=1", given, 2, SIGFRESH_PAYLOAD_BYTES, "hi", 2);
    char buf[1024];
    sigfresh_pair hs[4];
    size_t count = 0, used = 0;
    OK(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs, 4, &count, &used));

    /* The request as it arrives: given headers plus the signing headers. */
    sigfresh_pair arrived[6];
    arrived[0] = given[0];
    arrived[1] = given[1];
    for (size_t i = 0; i < count; i++) arrived[2 + i] = hs[i];
    sigfresh_request in = req_of("POST", "/path?a=1", arrived, 2 + count,
                                 SIGFRESH_PAYLOAD_BYTES, "hi", 2);

    sigfresh_verifier *v = NULL;
    OK(sigfresh_verifier_new(&v));
    OK(sigfresh_verifier_set_max_skew_secs(v, 300));
    OK(sigfresh_verifier_set_uri_encoding(v, SIGFRESH_URI_ENCODING_DOUBLE));
    OK(sigfresh_verifier_set_path_normalization(v, SIGFRESH_PATH_NORMALIZATION_ENABLED));
    OK(sigfresh_verifier_set_session_token_mode(v, SIGFRESH_SESSION_TOKEN_SIGNED));
    CHECK_RC(sigfresh_verifier_set_uri_encoding(v, 5), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_verifier_set_path_normalization(v, 5), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_verifier_set_session_token_mode(v, 5), SIGFRESH_INVALID_ARGUMENT);

    const sigfresh_verified *ok = NULL;
    OK(sigfresh_verifier_verify(v, &in, lookup_table, (void *)&c, T_SUITE + 1000, &ok));
    sigfresh_str s;
    OK(sigfresh_verified_access_key_id(ok, &s));
    CHECK(str_is(s, AKID));
    OK(sigfresh_verified_region(ok, &s));
    CHECK(str_is(s, "us-east-1"));
    OK(sigfresh_verified_service(ok, &s));
    CHECK(str_is(s, "service"));
    int64_t at = 0;
    OK(sigfresh_verified_signed_at(ok, &at));
    CHECK(at == T_SUITE);
    CHECK_RC(sigfresh_verified_expires_at(ok, &at), SIGFRESH_ABSENT);
    size_t n = 0;
    OK(sigfresh_verified_signed_header_count(ok, &n));
    CHECK(n == 4);
    OK(sigfresh_verified_signed_header(ok, 0, &s));
    CHECK(str_is(s, "content-type"));
    CHECK_RC(sigfresh_verified_signed_header(ok, 4, &s), SIGFRESH_INDEX_OUT_OF_RANGE);
    OK(sigfresh_verified_free(ok));
    CHECK_RC(sigfresh_verified_region(ok, &s), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_verified_free(NULL));

    /* Failures: precise codes; the mismatch detail has the canonical request, token redacted. */
    ok = NULL;
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_table, (void *)&c, T_SUITE + 400000, &ok),
             SIGFRESH_VERIFY_REQUEST_TIME_TOO_SKEWED);
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_none, NULL, T_SUITE, &ok),
             SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY);
    CHECK_RC(sigfresh_verifier_verify(v, &in, NULL, NULL, T_SUITE, &ok), SIGFRESH_NULL_PARAMETER);
    sigfresh_request tampered = in;
    tampered.payload.data = (const uint8_t *)"ho";
    CHECK_RC(sigfresh_verifier_verify(v, &tampered, lookup_table, (void *)&c, T_SUITE, &ok),
             SIGFRESH_VERIFY_SIGNATURE_MISMATCH);
    CHECK_DETAIL("canonical request");
    CHECK_DETAIL("x-amz-security-token:<redacted>");
    sigfresh_request unsigned_req = req_of("GET", "/", given, 1, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    CHECK_RC(sigfresh_verifier_verify(v, &unsigned_req, lookup_table, (void *)&c, T_SUITE, &ok),
             SIGFRESH_VERIFY_MISSING_SIGNATURE);
    /* A lookup returning a freed handle is detected. */
    const sigfresh_credentials *gone = creds_of(AKID, SECRET, "tokenEXAMPLE12345", NULL, SIGFRESH_CREDENTIAL_SOURCE_STS);
    OK(sigfresh_credentials_free(gone));
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_table, (void *)&gone, T_SUITE, &ok),
             SIGFRESH_HANDLE_FREED);
    CHECK(ok == NULL);
    OK(sigfresh_verifier_free(v));
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_table, (void *)&c, T_SUITE, &ok),
             SIGFRESH_HANDLE_FREED);
    OK(sigfresh_verifier_free(NULL));

    /* A presigned URL verifies through the query string. */
    OK(sigfresh_signer_free(signer));
    OK(sigfresh_signing_settings_set_location(settings, SIGFRESH_LOCATION_QUERY_STRING, 60));
    signer = signer_of(settings, "us-east-1", "service");
    sigfresh_request get = req_of("GET", "https://example.amazonaws.com/x", NULL, 0,
                                  SIGFRESH_PAYLOAD_UNSIGNED, NULL, 0);
    char url[1024];
    size_t url_len = 0;
    OK(sigfresh_signer_presign(signer, &get, c, T_SUITE, url, sizeof url, &url_len));
    OK(sigfresh_verifier_new_s3(&v));
    OK(sigfresh_verifier_set_uri_encoding(v, SIGFRESH_URI_ENCODING_DOUBLE));
    OK(sigfresh_verifier_set_path_normalization(v, SIGFRESH_PATH_NORMALIZATION_ENABLED));
    sigfresh_request presigned = req_of("GET", url, NULL, 0, SIGFRESH_PAYLOAD_UNSIGNED, NULL, 0);
    OK(sigfresh_verifier_verify(v, &presigned, lookup_table, (void *)&c, T_SUITE + 30000, &ok));
    OK(sigfresh_verified_expires_at(ok, &at));
    CHECK(at == T_SUITE + 60000);
    OK(sigfresh_verified_free(ok));
    CHECK_RC(sigfresh_verifier_verify(v, &presigned, lookup_table, (void *)&c, T_SUITE + 61000, &ok),
             SIGFRESH_VERIFY_EXPIRED);
    OK(sigfresh_verifier_free(v));
    CHECK_RC(sigfresh_verifier_new(NULL), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_verifier_new_s3(NULL), SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_signer_free(signer));
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_signing_settings_free(settings));
}
