/* The generator check's C host (tests/vectors/generated.sh): signs every request of a
 * requests.jsonl (written by `cargo run -p sigfresh-peers --example generated_requests`) through
 * the C ABI and writes one JSON line per request: id, signature, canonical_request,
 * string_to_sign, authorization (null when presigned), or id and error (the result's name
 * without SIGFRESH_, lowercased).
 *
 *   sign_batch REQUESTS.jsonl OUT.jsonl */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigfresh.h"

static const char *js(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

static void settings_of(const cJSON *v, sigfresh_signing_settings *st) {
    const char *enc = js(v, "uri_encoding"), *tok = js(v, "session_token");
    if (enc && strcmp(enc, "single") == 0)
        sigfresh_signing_settings_set_uri_encoding(st, SIGFRESH_URI_ENCODING_SINGLE);
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(v, "path_normalization")))
        sigfresh_signing_settings_set_path_normalization(st, SIGFRESH_PATH_NORMALIZATION_DISABLED);
    if (tok && strcmp(tok, "append-after-signing") == 0)
        sigfresh_signing_settings_set_session_token_mode(st,
                                                         SIGFRESH_SESSION_TOKEN_APPEND_AFTER_SIGNING);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "content_sha256")))
        sigfresh_signing_settings_set_content_sha256(st, SIGFRESH_CONTENT_SHA256_ADD);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(v, "headers");
    const cJSON *allow = cJSON_GetObjectItemCaseSensitive(h, "allow");
    const cJSON *list = allow ? allow : cJSON_GetObjectItemCaseSensitive(h, "deny");
    if (list) {
        sigfresh_str names[16];
        size_t n = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, list) {
            if (n < 16) names[n++] = (sigfresh_str){e->valuestring, strlen(e->valuestring)};
        }
        sigfresh_signing_settings_set_header_selection(
            st, allow ? SIGFRESH_HEADERS_ALLOW_LIST : SIGFRESH_HEADERS_DENY_LIST, names, n);
    }
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(v, "presign_expires");
    if (cJSON_IsNumber(exp))
        sigfresh_signing_settings_set_location(st, SIGFRESH_LOCATION_QUERY_STRING,
                                               (uint32_t)exp->valuedouble);
}

static void add_str(cJSON *o, const char *k, sigfresh_result rc, sigfresh_str s) {
    if (rc != SIGFRESH_OK) {
        cJSON_AddNullToObject(o, k);
        return;
    }
    char *t = malloc(s.len + 1);
    memcpy(t, s.ptr, s.len);
    t[s.len] = 0;
    cJSON_AddStringToObject(o, k, t);
    free(t);
}

static cJSON *sign_one(const cJSON *r) {
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "id", cJSON_GetObjectItemCaseSensitive(r, "id")->valuedouble);
    /* headers */
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(r, "headers");
    size_t nh = (size_t)cJSON_GetArraySize(hs), i = 0;
    sigfresh_pair *headers = calloc(nh ? nh : 1, sizeof *headers);
    const cJSON *e;
    cJSON_ArrayForEach(e, hs) {
        const char *n = cJSON_GetArrayItem(e, 0)->valuestring;
        const char *v = cJSON_GetArrayItem(e, 1)->valuestring;
        headers[i++] = (sigfresh_pair){n, strlen(n), v, strlen(v)};
    }
    /* payload */
    const char *hex = js(r, "body_hex");
    size_t blen = hex ? strlen(hex) / 2 : 0;
    uint8_t *body = malloc(blen ? blen : 1);
    for (size_t j = 0; j < blen; j++)
        body[j] = (uint8_t)(hexval(hex[2 * j]) << 4 | hexval(hex[2 * j + 1]));
    sigfresh_payload payload = {SIGFRESH_PAYLOAD_BYTES, body, blen};
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(r, "payload");
    if (cJSON_IsObject(pl)) {
        const char *h = js(pl, "precomputed");
        payload = (sigfresh_payload){SIGFRESH_PAYLOAD_PRECOMPUTED, (const uint8_t *)h, strlen(h)};
    } else if (strcmp(pl->valuestring, "unsigned") == 0) {
        payload.kind = SIGFRESH_PAYLOAD_UNSIGNED;
    } else if (strcmp(pl->valuestring, "streaming-signed") == 0) {
        payload.kind = SIGFRESH_PAYLOAD_STREAMING_SIGNED;
    } else if (strcmp(pl->valuestring, "streaming-signed-trailer") == 0) {
        payload.kind = SIGFRESH_PAYLOAD_STREAMING_SIGNED_TRAILER;
    } else if (strcmp(pl->valuestring, "streaming-unsigned-trailer") == 0) {
        payload.kind = SIGFRESH_PAYLOAD_STREAMING_UNSIGNED_TRAILER;
    }
    const char *akid = js(r, "access_key_id"), *secret = js(r, "secret_access_key");
    const char *token = js(r, "session_token");
    const char *method = js(r, "method"), *uri = js(r, "uri");
    const char *region = js(r, "region"), *service = js(r, "service");
    int64_t ms = (int64_t)cJSON_GetObjectItemCaseSensitive(r, "time")->valuedouble * 1000;
    const sigfresh_credentials *creds = NULL;
    sigfresh_signing_settings *settings = NULL;
    const sigfresh_signer *signer = NULL;
    const sigfresh_signing_output *o = NULL;
    sigfresh_signing_settings_new(&settings);
    settings_of(cJSON_GetObjectItemCaseSensitive(r, "settings"), settings);
    sigfresh_request req = {method, strlen(method), uri, strlen(uri), headers, nh, payload};
    sigfresh_result rc = sigfresh_credentials_new(akid, strlen(akid), secret, strlen(secret), token,
                                                  token ? strlen(token) : 0, NULL, NULL, 0,
                                                  SIGFRESH_CREDENTIAL_SOURCE_STATIC, &creds);
    if (rc == SIGFRESH_OK)
        rc = sigfresh_signer_new(settings, region, strlen(region), service, strlen(service),
                                 &signer);
    if (rc == SIGFRESH_OK) rc = sigfresh_signer_sign_output(signer, &req, creds, ms, &o);
    if (rc == SIGFRESH_OK) {
        sigfresh_str s = {0};
        add_str(out, "signature", sigfresh_signing_output_signature(o, &s), s);
        add_str(out, "canonical_request", sigfresh_signing_output_canonical_request(o, &s), s);
        add_str(out, "string_to_sign", sigfresh_signing_output_string_to_sign(o, &s), s);
        add_str(out, "authorization", sigfresh_signing_output_authorization(o, &s), s);
    } else {
        char kind[64];
        const char *name = sigfresh_result_name(rc) + strlen("SIGFRESH_");
        size_t k = 0;
        for (; name[k] && k < 63; k++) kind[k] = (char)tolower((unsigned char)name[k]);
        kind[k] = 0;
        cJSON_AddStringToObject(out, "error", kind);
    }
    sigfresh_signing_output_free(o);
    sigfresh_signer_free(signer);
    sigfresh_signing_settings_free(settings);
    sigfresh_credentials_free(creds);
    free(body);
    free(headers);
    return out;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: sign_batch REQUESTS.jsonl OUT.jsonl\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
    if (!in || !out) {
        perror("sign_batch");
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    long n = 0;
    while (getline(&line, &cap, in) > 0) {
        cJSON *r = cJSON_Parse(line);
        if (!r) {
            fprintf(stderr, "sign_batch: line %ld is not JSON\n", n + 1);
            return 2;
        }
        cJSON *s = sign_one(r);
        char *text = cJSON_PrintUnformatted(s);
        fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(s);
        cJSON_Delete(r);
        n++;
    }
    free(line);
    fclose(in);
    fclose(out);
    fprintf(stderr, "sign_batch: %ld requests signed through the C ABI\n", n);
    return 0;
}
