/* The rules moved into the core from the CLI, through the C ABI: parse_any's text formats,
 * expired credentials in verification, the presigned payload setting, the presigned lifetime,
 * the shared-file paths / profile / region, and the canonical request / string to sign AWS
 * echoes in a SignatureDoesNotMatch. */
#include "api.h"

static const sigfresh_credentials *lookup_one(void *userdata, const char *akid, size_t len) {
    const sigfresh_credentials *const *c = userdata;
    (void)len;
    return strcmp(akid, AKID) == 0 ? *c : NULL;
}

static void test_parse_any_text(void) {
    const sigfresh_credentials *c = NULL;
    sigfresh_document_format f = 1234;
    const char *env = "# aws configure export-credentials --format env\n"
                      "export AWS_ACCESS_KEY_ID=ASIAENVLINES\n"
                      "export AWS_SECRET_ACCESS_KEY=\"s\"\n"
                      "export AWS_SESSION_TOKEN='t'\n";
    OK(sigfresh_document_parse_any(BYTES(env), &f, &c));
    CHECK(f == SIGFRESH_FORMAT_ENVIRONMENT);
    expect_akid(c, "ASIAENVLINES");
    bool has_token = false;
    OK(sigfresh_credentials_has_session_token(c, &has_token));
    CHECK(has_token);
    OK(sigfresh_credentials_free(c));

    const char *cred = "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n"
                       "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n";
    OK(sigfresh_document_parse_any(BYTES(cred), &f, &c));
    CHECK(f == SIGFRESH_FORMAT_CREDENTIALS_FILE);
    expect_akid(c, "AKIADEFAULT");
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_document_parse_any_profile(BYTES(cred), "dev", 3, &f, &c));
    expect_akid(c, "AKIADEV");
    OK(sigfresh_credentials_free(c));

    const char *config = "[profile ops]\naws_access_key_id = AKIAOPS\naws_secret_access_key = s\n"
                         "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\n";
    OK(sigfresh_document_parse_any_profile(BYTES(config), "ops", 3, &f, &c));
    CHECK(f == SIGFRESH_FORMAT_CONFIG_FILE);
    expect_akid(c, "AKIAOPS");
    OK(sigfresh_credentials_free(c));

    c = NULL;
    f = 1234;
    CHECK_RC(sigfresh_document_parse_any_profile(BYTES(config), "nope", 4, &f, &c),
             SIGFRESH_DOCUMENT_PROFILE_NOT_FOUND);
    CHECK_DETAIL("nope");
    CHECK_RC(sigfresh_document_parse_any_profile(BYTES(config), "role", 4, &f, &c),
             SIGFRESH_DOCUMENT_PROFILE_WITHOUT_KEYS);
    CHECK_RC(sigfresh_document_parse_any(BYTES("PATH=/bin\n"), &f, &c),
             SIGFRESH_DOCUMENT_UNRECOGNIZED);
    CHECK_RC(sigfresh_document_parse_any(BYTES("AWS_ACCESS_KEY_ID=A\n"), &f, &c),
             SIGFRESH_DOCUMENT_MISSING_FIELD);
    CHECK_DETAIL("AWS_SECRET_ACCESS_KEY");
    CHECK_RC(sigfresh_document_parse_any_profile(BYTES(cred), NULL, 3, &f, &c),
             SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_document_parse_any_profile(BYTES(cred), "\xff", 1, &f, &c),
             SIGFRESH_INVALID_UTF8);
    CHECK(c == NULL && f == 1234);
}

static void test_verify_expired_credentials(void) {
    sigfresh_signing_settings *settings = NULL;
    OK(sigfresh_signing_settings_new(&settings));
    const sigfresh_signer *signer = signer_of(settings, "us-east-1", "service");
    int64_t expiry = T_SUITE + 500;
    const sigfresh_credentials *c =
        creds_of(AKID, SECRET, "tokenEXAMPLE12345", &expiry, SIGFRESH_CREDENTIAL_SOURCE_STS);
    sigfresh_pair given[] = {P("Host", "example.amazonaws.com")};
    sigfresh_request r = req_of("GET", "/", given, 1, SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    char buf[1024];
    sigfresh_pair hs[SIGFRESH_MAX_SIGNING_HEADERS];
    size_t count = 0, used = 0;
    OK(sigfresh_signer_sign(signer, &r, c, T_SUITE, buf, sizeof buf, hs,
                            SIGFRESH_MAX_SIGNING_HEADERS, &count, &used));
    sigfresh_pair arrived[1 + SIGFRESH_MAX_SIGNING_HEADERS];
    arrived[0] = given[0];
    for (size_t i = 0; i < count; i++) arrived[1 + i] = hs[i];
    sigfresh_request in = req_of("GET", "/", arrived, 1 + count, SIGFRESH_PAYLOAD_BYTES, NULL, 0);

    sigfresh_verifier *v = NULL;
    OK(sigfresh_verifier_new(&v));
    const sigfresh_verified *ok = NULL;
    /* Before the expiry the signature is accepted; after it, refused with its own code. */
    OK(sigfresh_verifier_verify(v, &in, lookup_one, (void *)&c, T_SUITE + 100, &ok));
    OK(sigfresh_verified_free(ok));
    ok = NULL;
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_one, (void *)&c, T_SUITE + 1000, &ok),
             SIGFRESH_VERIFY_CREDENTIALS_EXPIRED);
    CHECK(ok == NULL);
    CHECK(strcmp(sigfresh_result_name(SIGFRESH_VERIFY_CREDENTIALS_EXPIRED),
                 "SIGFRESH_VERIFY_CREDENTIALS_EXPIRED") == 0);
    OK(sigfresh_verifier_set_reject_expired_credentials(v, false));
    OK(sigfresh_verifier_verify(v, &in, lookup_one, (void *)&c, T_SUITE + 1000, &ok));
    OK(sigfresh_verified_free(ok));
    CHECK_RC(sigfresh_verifier_set_reject_expired_credentials(NULL, true),
             SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_verifier_free(v));
    OK(sigfresh_signer_free(signer));

    /* The presigned lifetime: a one-hour URL from credentials that expire in 500 ms. */
    OK(sigfresh_signing_settings_set_location(settings, SIGFRESH_LOCATION_QUERY_STRING, 3600));
    signer = signer_of(settings, "us-east-1", "service");
    sigfresh_presigned_lifetime l;
    memset(&l, 0, sizeof l);
    OK(sigfresh_signer_presigned_lifetime(signer, c, T_SUITE, &l));
    CHECK(l.signed_at_ms == T_SUITE);
    CHECK(l.url_expires_at_ms == T_SUITE + 3600000);
    CHECK(l.ends_at_ms == expiry);
    CHECK(l.cut_short && !l.expiry_unknown);
    const sigfresh_credentials *no_expiry =
        creds_of(AKID, SECRET, "tokenEXAMPLE12345", NULL, SIGFRESH_CREDENTIAL_SOURCE_STS);
    OK(sigfresh_signer_presigned_lifetime(signer, no_expiry, T_SUITE, &l));
    CHECK(l.ends_at_ms == T_SUITE + 3600000 && !l.cut_short && l.expiry_unknown);
    OK(sigfresh_credentials_free(no_expiry));
    CHECK_RC(sigfresh_signer_presigned_lifetime(signer, c, T_SUITE, NULL),
             SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_signer_free(signer));
    OK(sigfresh_signing_settings_set_location(settings, SIGFRESH_LOCATION_HEADERS, 0));
    signer = signer_of(settings, "us-east-1", "service");
    CHECK_RC(sigfresh_signer_presigned_lifetime(signer, c, T_SUITE, &l),
             SIGFRESH_SIGN_MODE_MISMATCH);
    OK(sigfresh_signer_free(signer));
    OK(sigfresh_credentials_free(c));
    OK(sigfresh_signing_settings_free(settings));
}

static void test_presigned_payload(void) {
    const sigfresh_credentials *c = creds_of(AKID, SECRET, NULL, NULL, SIGFRESH_CREDENTIAL_SOURCE_STATIC);
    sigfresh_signing_settings *settings = NULL;
    OK(sigfresh_signing_settings_new(&settings));
    OK(sigfresh_signing_settings_set_location(settings, SIGFRESH_LOCATION_QUERY_STRING, 60));
    OK(sigfresh_signing_settings_set_presigned_payload(settings, SIGFRESH_PRESIGNED_PAYLOAD_UNSIGNED));
    CHECK_RC(sigfresh_signing_settings_set_presigned_payload(settings, 7), SIGFRESH_INVALID_ARGUMENT);
    const sigfresh_signer *signer = signer_of(settings, "us-east-1", "service");
    sigfresh_request get = req_of("GET", "https://example.amazonaws.com/x", NULL, 0,
                                  SIGFRESH_PAYLOAD_BYTES, NULL, 0);
    char url[1024];
    size_t url_len = 0;
    OK(sigfresh_signer_presign(signer, &get, c, T_SUITE, url, sizeof url, &url_len));
    sigfresh_request in = req_of("GET", url, NULL, 0, SIGFRESH_PAYLOAD_BYTES, NULL, 0);

    /* Signed over UNSIGNED-PAYLOAD: a verifier expecting the request's own (empty) payload
     * disagrees until told. */
    sigfresh_verifier *v = NULL;
    OK(sigfresh_verifier_new(&v));
    const sigfresh_verified *ok = NULL;
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_one, (void *)&c, T_SUITE, &ok),
             SIGFRESH_VERIFY_SIGNATURE_MISMATCH);
    /* The verifier's canonical request ends with the empty payload's hash. */
    CHECK_DETAIL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    OK(sigfresh_verifier_set_presigned_payload(v, SIGFRESH_PRESIGNED_PAYLOAD_UNSIGNED));
    OK(sigfresh_verifier_verify(v, &in, lookup_one, (void *)&c, T_SUITE, &ok));
    OK(sigfresh_verified_free(ok));
    OK(sigfresh_verifier_set_presigned_payload(v, SIGFRESH_PRESIGNED_PAYLOAD_AS_GIVEN));
    CHECK_RC(sigfresh_verifier_verify(v, &in, lookup_one, (void *)&c, T_SUITE, &ok),
             SIGFRESH_VERIFY_SIGNATURE_MISMATCH);
    CHECK_RC(sigfresh_verifier_set_presigned_payload(v, 7), SIGFRESH_INVALID_ARGUMENT);
    OK(sigfresh_verifier_free(v));
    OK(sigfresh_signer_free(signer));
    OK(sigfresh_signing_settings_free(settings));
    OK(sigfresh_credentials_free(c));
}

static void test_shared(void) {
    char buf[256];
    size_t n = 0;
    sigfresh_pair env[] = {P("HOME", "/home/u"), P("AWS_CONFIG_FILE", "~/cfg/aws"),
                           P("AWS_PROFILE", "dev")};
    OK(sigfresh_shared_credentials_file_path(env, 3, SIGFRESH_HOST_OS_UNIX, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "/home/u/.aws/credentials") == 0 && n == strlen(buf));
    OK(sigfresh_shared_config_file_path(env, 3, SIGFRESH_HOST_OS_UNIX, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "/home/u/cfg/aws") == 0);
    sigfresh_pair win[] = {P("USERPROFILE", "C:\\Users\\u"), P("HOME", "/ignored")};
    OK(sigfresh_shared_config_file_path(win, 2, SIGFRESH_HOST_OS_WINDOWS, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "C:\\Users\\u\\.aws\\config") == 0);
    CHECK_RC(sigfresh_shared_credentials_file_path(NULL, 0, SIGFRESH_HOST_OS_UNIX, buf, sizeof buf, &n),
             SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_shared_credentials_file_path(env, 3, 9, buf, sizeof buf, &n),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_shared_credentials_file_path(env, 3, SIGFRESH_HOST_OS_UNIX, NULL, 0, &n),
             SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(n == strlen("/home/u/.aws/credentials") + 1);

    OK(sigfresh_shared_active_profile(env, 3, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "dev") == 0);
    OK(sigfresh_shared_active_profile(env, 2, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "default") == 0);
    sigfresh_pair bad[] = {P("AWS_PROFILE", "\xff")};
    CHECK_RC(sigfresh_shared_active_profile(bad, 1, buf, sizeof buf, &n), SIGFRESH_INVALID_UTF8);

    const char *config = "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n";
    const sigfresh_profile_set *set = NULL;
    OK(sigfresh_profile_set_parse(NULL, 0, config, strlen(config), &set));
    sigfresh_region_source src = 1234;
    OK(sigfresh_shared_region(env, 3, set, &src, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "ap-south-1") == 0 && src == SIGFRESH_REGION_SOURCE_PROFILE);
    OK(sigfresh_shared_region(env, 1, set, &src, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "eu-west-1") == 0);
    sigfresh_pair regions[] = {P("AWS_DEFAULT_REGION", "us-west-1"), P("AWS_PROFILE", "dev")};
    OK(sigfresh_shared_region(regions, 2, set, &src, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "us-west-1") == 0 && src == SIGFRESH_REGION_SOURCE_AWS_DEFAULT_REGION);
    sigfresh_pair both[] = {P("AWS_DEFAULT_REGION", "us-west-1"), P("AWS_REGION", "us-east-2")};
    OK(sigfresh_shared_region(both, 2, NULL, &src, buf, sizeof buf, &n));
    CHECK(strcmp(buf, "us-east-2") == 0 && src == SIGFRESH_REGION_SOURCE_AWS_REGION);
    src = 1234;
    CHECK_RC(sigfresh_shared_region(env, 3, NULL, &src, buf, sizeof buf, &n), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_shared_region(both, 2, NULL, &src, buf, 3, &n), SIGFRESH_BUFFER_TOO_SMALL);
    CHECK(n == strlen("us-east-2") + 1 && src == 1234);
    CHECK_RC(sigfresh_shared_region(both, 2, NULL, NULL, buf, sizeof buf, &n),
             SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_profile_set_free(set));
    CHECK_RC(sigfresh_shared_region(env, 3, set, &src, buf, sizeof buf, &n), SIGFRESH_HANDLE_FREED);
}

static void test_classification_echoes(void) {
    const char *body =
        "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message>"
        "<StringToSign>AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc"
        "</StringToSign><CanonicalRequest>GET\n/\n\nhost:h\nx-amz-security-token:SECRETTOKEN\n\n"
        "host;x-amz-security-token\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>";
    const sigfresh_classification *c = NULL;
    OK(sigfresh_classification_new(403, NULL, 0, BYTES(body), NULL, T_SUITE, &c));
    sigfresh_str s;
    OK(sigfresh_classification_canonical_request(c, &s));
    CHECK(str_is(s, "GET\n/\n\nhost:h\nx-amz-security-token:<redacted>\n\n"
                    "host;x-amz-security-token\nUNSIGNED-PAYLOAD"));
    OK(sigfresh_classification_string_to_sign(c, &s));
    CHECK(str_is(s, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc"));
    CHECK_RC(sigfresh_classification_string_to_sign(c, NULL), SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_classification_free(c));
    CHECK_RC(sigfresh_classification_canonical_request(c, &s), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_classification_new(403, NULL, 0, BYTES("{\"__type\":\"InvalidSignatureException\"}"),
                                   NULL, T_SUITE, &c));
    CHECK_RC(sigfresh_classification_canonical_request(c, &s), SIGFRESH_ABSENT);
    CHECK_RC(sigfresh_classification_string_to_sign(c, &s), SIGFRESH_ABSENT);
    OK(sigfresh_classification_free(c));
}

void test_moved_rules(void) {
    test_parse_any_text();
    test_verify_expired_credentials();
    test_presigned_payload();
    test_shared();
    test_classification_echoes();
}
