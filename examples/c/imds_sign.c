/* A C host for sigfresh: fetches instance-role credentials by following the IMDS state
 * machine with libcurl, then signs a request with them.
 *
 * The library decides every step (IMDSv2 token, role discovery, credentials, retries with
 * backoff, IMDSv1 fallback rules); this host only performs them: HTTP with libcurl, sleeping
 * with nanosleep, the wall clock with clock_gettime, jitter from /dev/urandom.
 *
 *   imds_sign [URL [REGION [SERVICE]]]
 *
 * IMDS settings come from the environment as the AWS SDKs read them (for example
 * AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1338 for a local emulator). Prints the
 * headers to add to the request, one "name: value" per line, with the session token elided.
 * Build: cc imds_sign.c $(pkg-config --cflags --libs sigfresh libcurl) */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sigfresh.h"

extern char **environ;

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t random_u64(void) {
    uint64_t v = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&v, sizeof v, 1, f) != 1) v = 0;
        fclose(f);
    }
    return v ^ (uint64_t)now_ms();
}

static void fail(const char *what, sigfresh_result rc) {
    char detail[1024];
    size_t n = 0;
    if (sigfresh_last_error_message(detail, sizeof detail, &n) != SIGFRESH_OK) detail[0] = 0;
    fprintf(stderr, "%s: %s (%s)\n", what, sigfresh_result_message(rc), detail);
    exit(1);
}

/* A growing byte buffer for libcurl's callbacks. */
typedef struct {
    char *data;
    size_t len;
} buffer;

static size_t on_body(char *ptr, size_t size, size_t n, void *userdata) {
    buffer *b = userdata;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown) return 0;
    memcpy(grown + b->len, ptr, add);
    b->data = grown;
    b->len += add;
    b->data[b->len] = 0;
    return add;
}

/* Response headers, kept as "Name: value" lines for sigfresh_source_handle_response. */
typedef struct {
    char *lines[64];
    size_t count;
} header_lines;

static size_t on_header(char *ptr, size_t size, size_t n, void *userdata) {
    header_lines *h = userdata;
    size_t len = size * n;
    while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n')) len--;
    if (len > 0 && memchr(ptr, ':', len) && h->count < 64) {
        char *line = malloc(len + 1);
        if (line) {
            memcpy(line, ptr, len);
            line[len] = 0;
            h->lines[h->count++] = line;
        }
    }
    return size * n;
}

/* Performs one SEND step with libcurl and reports the outcome to the source. */
static void perform(sigfresh_source *src, const sigfresh_http_request *req) {
    CURL *curl = curl_easy_init();
    if (!curl) {
        fprintf(stderr, "curl_easy_init failed\n");
        exit(1);
    }
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < req->headers_len; i++) {
        const sigfresh_pair *p = &req->headers[i];
        size_t len = p->name_len + 2 + p->value_len + 1;
        char *line = malloc(len);
        snprintf(line, len, "%.*s: %.*s", (int)p->name_len, p->name, (int)p->value_len, p->value);
        headers = curl_slist_append(headers, line);
        memset(line, 0, len); /* the IMDS token is a secret */
        free(line);
    }
    buffer body = {NULL, 0};
    header_lines got = {{NULL}, 0};
    curl_easy_setopt(curl, CURLOPT_URL, req->url.ptr); /* NUL-terminated */
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method.ptr);
    if (req->body.len > 0 || strcmp(req->method.ptr, "GET") != 0) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)req->body.ptr);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)req->body.len);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
    if (!req->use_proxy) curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &got);
    CURLcode rc = curl_easy_perform(curl);
    sigfresh_result r;
    if (rc == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        sigfresh_pair pairs[64];
        for (size_t i = 0; i < got.count; i++) {
            char *colon = strchr(got.lines[i], ':');
            const char *value = colon + 1;
            while (*value == ' ') value++;
            pairs[i].name = got.lines[i];
            pairs[i].name_len = (size_t)(colon - got.lines[i]);
            pairs[i].value = value;
            pairs[i].value_len = strlen(value);
        }
        r = sigfresh_source_handle_response(src, now_ms(), (uint16_t)status, pairs, got.count,
                                            (const uint8_t *)body.data, body.len);
    } else {
        const char *why = curl_easy_strerror(rc);
        sigfresh_transport_error kind = rc == CURLE_OPERATION_TIMEDOUT ? SIGFRESH_TRANSPORT_TIMEOUT
                                        : rc == CURLE_COULDNT_CONNECT  ? SIGFRESH_TRANSPORT_CONNECT
                                                                       : SIGFRESH_TRANSPORT_IO;
        r = sigfresh_source_handle_transport_error(src, now_ms(), kind, why, strlen(why));
    }
    if (r != SIGFRESH_OK) fail("reporting the response", r);
    for (size_t i = 0; i < got.count; i++) free(got.lines[i]);
    if (body.data) memset(body.data, 0, body.len); /* held the credentials document */
    free(body.data);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

/* Follows the machine until it is done; returns the credentials. */
static const sigfresh_credentials *fetch(sigfresh_source *src) {
    sigfresh_result r = sigfresh_source_start(src, now_ms(), random_u64());
    if (r != SIGFRESH_OK) fail("start", r);
    for (;;) {
        sigfresh_step step;
        r = sigfresh_source_poll(src, now_ms(), &step);
        if (r != SIGFRESH_OK) fail("poll", r);
        switch (step.kind) {
        case SIGFRESH_STEP_SEND:
            fprintf(stderr, "imds_sign: %s %s\n", step.request.method.ptr, step.request.url.ptr);
            perform(src, &step.request);
            break;
        case SIGFRESH_STEP_WAIT: {
            int64_t ms = step.wait_until_ms - now_ms();
            if (ms > 0) {
                struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
                nanosleep(&ts, NULL);
            }
            break;
        }
        case SIGFRESH_STEP_DONE: {
            const sigfresh_credentials *c = NULL;
            r = sigfresh_source_credentials(src, &c);
            if (r != SIGFRESH_OK) fail("credentials", r);
            return c;
        }
        case SIGFRESH_STEP_FAILED: {
            char msg[2048];
            size_t n = 0;
            sigfresh_source_error_message(src, msg, sizeof msg, &n);
            fprintf(stderr, "imds_sign: no credentials: %s (%s)\n", msg,
                    sigfresh_result_name(step.error));
            exit(1);
        }
        default:
            /* IMDS never asks for files, processes or name lookups. */
            r = sigfresh_source_handle_io_failure(src, now_ms(), SIGFRESH_IO_ACTION_READ_FILE,
                                                  SIGFRESH_IO_OTHER, "unsupported", 11);
            if (r != SIGFRESH_OK) fail("io failure", r);
        }
    }
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1]
                               : "https://sts.us-east-1.amazonaws.com/"
                                 "?Action=GetCallerIdentity&Version=2011-06-15";
    const char *region = argc > 2 ? argv[2] : "us-east-1";
    const char *service = argc > 3 ? argv[3] : "sts";
    curl_global_init(CURL_GLOBAL_DEFAULT);

    /* The AWS_* environment variables, as name/value pairs. */
    sigfresh_pair env[128];
    size_t env_len = 0;
    for (char **e = environ; *e && env_len < 128; e++) {
        const char *eq = strchr(*e, '=');
        if (strncmp(*e, "AWS_", 4) != 0 || !eq) continue;
        env[env_len].name = *e;
        env[env_len].name_len = (size_t)(eq - *e);
        env[env_len].value = eq + 1;
        env[env_len].value_len = strlen(eq + 1);
        env_len++;
    }
    sigfresh_source *imds = NULL;
    sigfresh_result r = sigfresh_source_new_imds(env, env_len, NULL, NULL, 0, &imds);
    if (r != SIGFRESH_OK) fail("IMDS settings", r);
    const sigfresh_credentials *creds = fetch(imds);
    size_t warnings = 0;
    sigfresh_source_warning_count(imds, &warnings);
    for (size_t i = 0; i < warnings; i++) {
        char w[1024];
        size_t n = 0;
        if (sigfresh_source_warning(imds, i, w, sizeof w, &n) == SIGFRESH_OK)
            fprintf(stderr, "imds_sign: warning: %s\n", w);
    }

    /* Sign the request. */
    sigfresh_signing_settings *settings = NULL;
    const sigfresh_signer *signer = NULL;
    if ((r = sigfresh_signing_settings_new(&settings)) != SIGFRESH_OK) fail("settings", r);
    r = sigfresh_signer_new(settings, region, strlen(region), service, strlen(service), &signer);
    if (r != SIGFRESH_OK) fail("signer", r);
    sigfresh_request req = {"GET", 3, url, strlen(url), NULL, 0, {SIGFRESH_PAYLOAD_BYTES, NULL, 0}};
    char buf[2048];
    sigfresh_pair out[SIGFRESH_MAX_SIGNING_HEADERS];
    size_t count = 0, used = 0;
    r = sigfresh_signer_sign(signer, &req, creds, now_ms(), buf, sizeof buf, out,
                             SIGFRESH_MAX_SIGNING_HEADERS, &count, &used);
    if (r != SIGFRESH_OK) fail("sign", r);
    printf("GET %s\n", url);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(out[i].name, "x-amz-security-token") == 0)
            printf("%s: <%zu characters>\n", out[i].name, out[i].value_len);
        else
            printf("%s: %s\n", out[i].name, out[i].value);
    }
    memset(buf, 0, sizeof buf);

    sigfresh_signer_free(signer);
    sigfresh_signing_settings_free(settings);
    sigfresh_credentials_free(creds);
    sigfresh_source_free(imds);
    curl_global_cleanup();
    return 0;
}
