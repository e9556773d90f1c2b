/* The IMDS, container and chain source machines, stepped with scripted outcomes. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"

/* ---- credential sources ----------------------------------------------------------------- */

static int header_is(const sigfresh_http_request *r, const char *name, const char *value) {
    for (size_t i = 0; i < r->headers_len; i++) {
        const sigfresh_pair *h = &r->headers[i];
        if (h->name_len == strlen(name) && memcmp(h->name, name, h->name_len) == 0)
            return value == NULL || (h->value_len == strlen(value) &&
                                     memcmp(h->value, value, h->value_len) == 0);
    }
    return 0;
}

void test_source_imds(void) {
    const int64_t now = 1714564800000LL;
    sigfresh_pair env[] = {P("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338")};
    sigfresh_source *src = NULL;
    OK(sigfresh_source_new_imds(env, 1, NULL, NULL, 0, &src));
    sigfresh_step st;
    /* Polled before start: the fetch ends with SIGFRESH_SOURCE_NOT_STARTED. */
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_FAILED && st.error == SIGFRESH_SOURCE_NOT_STARTED);
    char msg[1024];
    size_t n = 0;
    OK(sigfresh_source_error_message(src, msg, sizeof msg, &n));
    CHECK(n > 0);
    const sigfresh_credentials *c = NULL;
    CHECK_RC(sigfresh_source_credentials(src, &c), SIGFRESH_ABSENT);

    /* IMDSv2: token, role, credentials. */
    OK(sigfresh_source_start(src, now, 42));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_SEND);
    CHECK(str_is(st.request.method, "PUT") && st.request.method.ptr[3] == 0);
    CHECK(str_is(st.request.url, "http://127.0.0.1:1338/latest/api/token"));
    CHECK(header_is(&st.request, "x-aws-ec2-metadata-token-ttl-seconds", "21600"));
    CHECK(st.request.timeout_ms == 1000 && !st.request.use_proxy && st.request.connect_to_len == 0);
    CHECK_RC(sigfresh_source_error_message(src, msg, sizeof msg, &n), SIGFRESH_ABSENT);
    OK(sigfresh_source_handle_response(src, now, 200, NULL, 0, BYTES("imdsTOKEN")));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_SEND && str_is(st.request.method, "GET"));
    CHECK(str_is(st.request.url, "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/"));
    CHECK(header_is(&st.request, "x-aws-ec2-metadata-token", "imdsTOKEN"));
    sigfresh_pair rh[] = {P("Content-Type", "text/plain")};
    OK(sigfresh_source_handle_response(src, now, 200, rh, 1, BYTES("my-role\n")));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(str_is(st.request.url,
                 "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/my-role"));
    OK(sigfresh_source_handle_response(src, now, 200, NULL, 0, BYTES(IMDS_DOC)));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_DONE);
    OK(sigfresh_source_poll(src, now, &st)); /* DONE until the next start */
    CHECK(st.kind == SIGFRESH_STEP_DONE);
    OK(sigfresh_source_credentials(src, &c));
    expect_akid(c, "ASIAIMDS");
    OK(sigfresh_credentials_free(c));
    size_t count = 9;
    OK(sigfresh_source_warning_count(src, &count));
    CHECK(count == 0);
    CHECK_RC(sigfresh_source_warning(src, 0, msg, sizeof msg, &n), SIGFRESH_INDEX_OUT_OF_RANGE);
    CHECK_RC(sigfresh_source_explain(src, msg, sizeof msg, &n), SIGFRESH_ABSENT);

    /* The next fetch reuses the token and role; a connection failure backs off (WAIT), and
     * when every attempt fails the fetch ends with the failure kind for the cache. */
    OK(sigfresh_source_start(src, now + 1000, 7));
    OK(sigfresh_source_poll(src, now + 1000, &st));
    CHECK(st.kind == SIGFRESH_STEP_SEND && header_is(&st.request, "x-aws-ec2-metadata-token", NULL));
    CHECK(st.request.url.len > 0 && strstr(st.request.url.ptr, "/my-role") != NULL);
    int64_t t = now + 1000;
    int sends = 0, waits = 0;
    for (int i = 0; i < 20 && st.kind != SIGFRESH_STEP_FAILED; i++) {
        if (st.kind == SIGFRESH_STEP_SEND) {
            sends++;
            OK(sigfresh_source_handle_transport_error(src, t, SIGFRESH_TRANSPORT_CONNECT,
                                                      "refused", 7));
        } else if (st.kind == SIGFRESH_STEP_WAIT) {
            waits++;
            CHECK(st.wait_until_ms > t);
            t = st.wait_until_ms;
        }
        OK(sigfresh_source_poll(src, t, &st));
    }
    CHECK(st.kind == SIGFRESH_STEP_FAILED && st.error == SIGFRESH_SOURCE_EXHAUSTED);
    CHECK(st.failure.kind == SIGFRESH_FAILURE_SOURCE_UNAVAILABLE);
    CHECK(sends == 3 && waits == 2);
    OK(sigfresh_source_error_message(src, msg, sizeof msg, &n));
    CHECK(strstr(msg, "refused") != NULL);

    /* Outcomes of the wrong kind, unknown constants, misuse. */
    OK(sigfresh_source_start(src, t, 1));
    OK(sigfresh_source_poll(src, t, &st));
    CHECK_RC(sigfresh_source_handle_transport_error(src, t, 9, NULL, 0), SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_source_handle_io_failure(src, t, 9, SIGFRESH_IO_NOT_FOUND, NULL, 0),
             SIGFRESH_INVALID_ARGUMENT);
    CHECK_RC(sigfresh_source_handle_io_failure(src, t, SIGFRESH_IO_ACTION_READ_FILE, 9, NULL, 0),
             SIGFRESH_INVALID_ARGUMENT);
    sigfresh_str bad_ip[] = {{"not-an-ip", 9}};
    CHECK_RC(sigfresh_source_handle_resolved(src, t, bad_ip, 1), SIGFRESH_INVALID_ARGUMENT);
    CHECK_DETAIL("addresses[0]");
    sigfresh_pair bad_h[] = {P("X", "\xff")};
    CHECK_RC(sigfresh_source_handle_response(src, t, 200, bad_h, 1, NULL, 0), SIGFRESH_INVALID_UTF8);
    OK(sigfresh_source_handle_file(src, t, BYTES("x")));
    OK(sigfresh_source_poll(src, t, &st));
    CHECK(st.kind == SIGFRESH_STEP_FAILED && st.error == SIGFRESH_SOURCE_UNEXPECTED_OUTCOME);
    CHECK_RC(sigfresh_source_poll(src, t, NULL), SIGFRESH_NULL_PARAMETER);
    CHECK_RC(sigfresh_source_start(NULL, t, 1), SIGFRESH_NULL_PARAMETER);
    OK(sigfresh_source_free(src));
    CHECK_RC(sigfresh_source_poll(src, t, &st), SIGFRESH_HANDLE_FREED);
    CHECK_RC(sigfresh_source_free(src), SIGFRESH_HANDLE_FREED);
    OK(sigfresh_source_free(NULL));

    /* Settings errors come from the core; a profile can configure IMDS. */
    sigfresh_pair off[] = {P("AWS_EC2_METADATA_DISABLED", "true")};
    src = NULL;
    CHECK_RC(sigfresh_source_new_imds(off, 1, NULL, NULL, 0, &src), SIGFRESH_SOURCE_IMDS_DISABLED);
    sigfresh_pair bad[] = {P("AWS_METADATA_SERVICE_TIMEOUT", "soon")};
    CHECK_RC(sigfresh_source_new_imds(bad, 1, NULL, NULL, 0, &src), SIGFRESH_SOURCE_CONFIG);
    CHECK_DETAIL("AWS_METADATA_SERVICE_TIMEOUT");
    CHECK(src == NULL);
    const char *conf = "[default]\nec2_metadata_service_endpoint = http://127.0.0.1:9\n";
    const sigfresh_profile_set *set = NULL;
    OK(sigfresh_profile_set_parse(NULL, 0, conf, strlen(conf), &set));
    OK(sigfresh_source_new_imds(NULL, 0, set, "default", 7, &src));
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(str_is(st.request.url, "http://127.0.0.1:9/latest/api/token"));
    OK(sigfresh_source_free(src));
    CHECK_RC(sigfresh_source_new_imds(NULL, 0, set, "nope", 4, &src), SIGFRESH_NOT_FOUND);
    OK(sigfresh_profile_set_free(set));
}

void test_source_container_and_chain(void) {
    const int64_t now = 1714564800000LL;
    sigfresh_source *src = NULL;
    sigfresh_pair none[] = {P("HOME", "/root")};
    CHECK_RC(sigfresh_source_new_container(none, 1, &src), SIGFRESH_ABSENT);
    sigfresh_pair env[] = {P("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:8080/creds"),
                           P("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token")};
    OK(sigfresh_source_new_container(env, 2, &src));
    OK(sigfresh_source_start(src, now, 1));
    sigfresh_step st;
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_RESOLVE && str_is(st.text, "localhost") && st.text.ptr[9] == 0);
    sigfresh_str addrs[] = {{"127.0.0.1", 9}};
    OK(sigfresh_source_handle_resolved(src, now, addrs, 1));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_READ_FILE && str_is(st.text, "/var/run/token"));
    OK(sigfresh_source_handle_file(src, now, BYTES("Bearer-token")));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_SEND && str_is(st.request.url, "http://localhost:8080/creds"));
    CHECK(st.request.connect_to_len == 1 && str_is(st.request.connect_to[0], "127.0.0.1"));
    CHECK(header_is(&st.request, "authorization", "Bearer-token"));
    OK(sigfresh_source_handle_response(src, now, 200, NULL, 0, BYTES(CONTAINER_DOC)));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_DONE);
    const sigfresh_credentials *c = NULL;
    OK(sigfresh_source_credentials(src, &c));
    expect_akid(c, "ASIACONT");
    OK(sigfresh_credentials_free(c));
    /* A token with a line break is refused (header injection); an unreadable file too. */
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    if (st.kind == SIGFRESH_STEP_RESOLVE) {
        OK(sigfresh_source_handle_resolved(src, now, addrs, 1));
        OK(sigfresh_source_poll(src, now, &st));
    }
    OK(sigfresh_source_handle_file(src, now, BYTES("Bearer-token\r\nX-Evil: 1")));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_FAILED &&
          st.error == SIGFRESH_SOURCE_INVALID_AUTHORIZATION_TOKEN);
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    if (st.kind == SIGFRESH_STEP_RESOLVE) {
        OK(sigfresh_source_handle_resolved(src, now, addrs, 1));
        OK(sigfresh_source_poll(src, now, &st));
    }
    CHECK(st.kind == SIGFRESH_STEP_READ_FILE);
    OK(sigfresh_source_handle_io_failure(src, now, SIGFRESH_IO_ACTION_READ_FILE,
                                         SIGFRESH_IO_NOT_FOUND, NULL, 0));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_FAILED && st.error == SIGFRESH_SOURCE_FILE);
    OK(sigfresh_source_free(src));
    sigfresh_pair far[] = {P("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/creds")};
    CHECK_RC(sigfresh_source_new_container(far, 1, &src), SIGFRESH_SOURCE_URL_NOT_ALLOWED);

    /* The chain: credential_process from the config file. */
    const char *conf = "[default]\ncredential_process = /opt/bin/creds --json\n";
    OK(sigfresh_source_new_chain(NULL, 0, NULL, 0, conf, strlen(conf), &src));
    char text[4096];
    size_t n = 0;
    OK(sigfresh_source_explain(src, text, sizeof text, &n));
    CHECK(strstr(text, "credential_process") != NULL || strstr(text, "profile") != NULL);
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_RUN_PROCESS && str_is(st.text, "/opt/bin/creds --json"));
    int32_t code = 0;
    OK(sigfresh_source_handle_process(src, now, &code, BYTES(PROCESS_DOC)));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_DONE);
    OK(sigfresh_source_credentials(src, &c));
    expect_akid(c, "AKIAPROC");
    OK(sigfresh_credentials_free(c));
    size_t count = 0;
    OK(sigfresh_source_warning_count(src, &count));
    for (size_t i = 0; i < count; i++) OK(sigfresh_source_warning(src, i, text, sizeof text, &n));
    /* A process killed by a signal, then one that cannot run. */
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    OK(sigfresh_source_handle_process(src, now, NULL, NULL, 0));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_FAILED && st.error == SIGFRESH_SOURCE_PROCESS);
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    OK(sigfresh_source_handle_io_failure(src, now, SIGFRESH_IO_ACTION_RUN_PROCESS,
                                         SIGFRESH_IO_OTHER, "exec failed", 11));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_FAILED && st.error == SIGFRESH_SOURCE_PROCESS);
    OK(sigfresh_source_explain(src, text, sizeof text, &n));
    OK(sigfresh_source_free(src));

    /* Environment keys win; a missing named profile is skipped with a warning (IMDS next). */
    sigfresh_pair keys[] = {P("AWS_ACCESS_KEY_ID", "AKIAENV"), P("AWS_SECRET_ACCESS_KEY", "s")};
    OK(sigfresh_source_new_chain(keys, 2, NULL, 0, NULL, 0, &src));
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_DONE);
    OK(sigfresh_source_free(src));
    sigfresh_pair missing[] = {P("AWS_PROFILE", "ghost")};
    OK(sigfresh_source_new_chain(missing, 1, NULL, 0, NULL, 0, &src));
    OK(sigfresh_source_start(src, now, 1));
    OK(sigfresh_source_poll(src, now, &st));
    CHECK(st.kind == SIGFRESH_STEP_SEND && strstr(st.request.url.ptr, "169.254.169.254") != NULL);
    OK(sigfresh_source_explain(src, text, sizeof text, &n));
    CHECK(strstr(text, "\"ghost\"") != NULL);
    OK(sigfresh_source_warning_count(src, &count));
    CHECK(count == 1);
    OK(sigfresh_source_warning(src, 0, text, sizeof text, &n));
    CHECK(strstr(text, "ghost") != NULL);
    OK(sigfresh_source_free(src));
    CHECK_RC(sigfresh_source_new_chain(NULL, 0, "\xff", 1, NULL, 0, &src), SIGFRESH_INVALID_UTF8);
}
