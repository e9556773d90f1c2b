/* Helpers and fixtures shared by the C API test files (test_api.c and test_*.c). */
#ifndef SIGFRESH_TEST_API_H
#define SIGFRESH_TEST_API_H

#include <stdint.h>

#include "check.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T_SUITE 1440938160000LL /* 2015-08-30T12:36:00Z */

static inline sigfresh_pair P(const char *name, const char *value) {
    sigfresh_pair p = {name, strlen(name), value, strlen(value)};
    return p;
}

static inline sigfresh_request req_of(const char *method, const char *uri, const sigfresh_pair *headers,
                               size_t n, sigfresh_payload_kind kind, const void *data,
                               size_t data_len) {
    sigfresh_request r;
    r.method = method;
    r.method_len = strlen(method);
    r.uri = uri;
    r.uri_len = strlen(uri);
    r.headers = headers;
    r.headers_len = n;
    r.payload.kind = kind;
    r.payload.data = (const uint8_t *)data;
    r.payload.data_len = data_len;
    return r;
}

static inline const sigfresh_credentials *creds_of(const char *akid, const char *secret,
                                            const char *token, const int64_t *expiry,
                                            sigfresh_credential_source source) {
    const sigfresh_credentials *c = NULL;
    OK(sigfresh_credentials_new(akid, strlen(akid), secret, strlen(secret), token,
                                token ? strlen(token) : 0, expiry, NULL, 0, source, &c));
    return c;
}

static inline const sigfresh_signer *signer_of(const sigfresh_signing_settings *s, const char *region,
                                        const char *service) {
    const sigfresh_signer *signer = NULL;
    OK(sigfresh_signer_new(s, region, strlen(region), service, strlen(service), &signer));
    return signer;
}

#define BYTES(s) (const uint8_t *)(s), strlen(s)

static const char *const IMDS_DOC =
    "{\"Code\":\"Success\",\"LastUpdated\":\"2024-05-01T11:49:32Z\",\"Type\":\"AWS-HMAC\","
    "\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"imdsSecret\",\"Token\":\"imdsToken\","
    "\"Expiration\":\"2024-05-01T18:00:00Z\"}";
static const char *const CONTAINER_DOC =
    "{\"AccessKeyId\":\"ASIACONT\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
    "\"Expiration\":\"2024-05-01T18:00:00Z\",\"RoleArn\":\"arn:aws:iam::123456789012:role/r\"}";
static const char *const PROCESS_DOC =
    "{\"Version\":1,\"AccessKeyId\":\"AKIAPROC\",\"SecretAccessKey\":\"s\"}";
static const char *const SSO_DOC =
    "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSO\",\"secretAccessKey\":\"s\","
    "\"sessionToken\":\"t\",\"expiration\":1714586400000}}";
static const char *const STS_DOC =
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    "<AssumeRoleResult><Credentials><AccessKeyId>ASIASTS</AccessKeyId>"
    "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
    "<Expiration>2024-05-01T18:00:00Z</Expiration></Credentials></AssumeRoleResult>"
    "</AssumeRoleResponse>";

static inline void expect_akid(const sigfresh_credentials *c, const char *want) {
    char buf[64];
    size_t n = 0;
    OK(sigfresh_credentials_access_key_id(c, buf, sizeof buf, &n));
    CHECK(strcmp(buf, want) == 0);
}

void test_signing_settings(void);
void test_sign_buffers(void);
void test_sign_output_and_presign(void);
void test_verify(void);
void test_refresh(void);
void test_skew(void);
void test_classify(void);
void test_source_imds(void);
void test_source_container_and_chain(void);
void test_moved_rules(void);
int run_suite(const char *root);

#endif
