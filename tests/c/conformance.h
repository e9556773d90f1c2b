/* The conformance corpus (tests/vectors/, format in its README.md) through the C ABI: shared
 * helpers of tests/c/conformance*.c. JSON is read with cJSON (Debian's libcjson-dev). */
#ifndef SIGFRESH_CONFORMANCE_H
#define SIGFRESH_CONFORMANCE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sigfresh.h"

/* The repository root (argv[1]). */
extern const char *conf_root;

/* The failure text of the case being run; set by failf, printed by the report. */
extern char conf_err[4096];

/* Formats the failure of the current case into conf_err; returns 0 (false) for `return failf(..)`. */
int failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads `path` (relative to the root unless absolute) whole, NUL-terminated; NULL when missing. */
char *read_file(const char *path, size_t *len_out);

/* A string member, or NULL. */
const char *js(const cJSON *obj, const char *key);

/* A time (RFC 3339 or AMZ date) through the library's parsers; 0 on failure (conf_err set). */
int parse_time(const char *text, int64_t *ms_out);

/* `[[name, value], ...]` as pairs borrowing the JSON strings (free the array with free()). */
sigfresh_pair *json_pairs(const cJSON *arr, size_t *n_out);

/* `{name: value, ...}` as pairs borrowing the JSON strings (free the array with free()). */
sigfresh_pair *json_object_pairs(const cJSON *obj, size_t *n_out);

/* The corpus name of a result code: sigfresh_result_name without "SIGFRESH_" and `strip`
 * (e.g. "SOURCE_"), lowercased, into `out` (64 bytes). */
const char *kind_name(sigfresh_result r, const char *strip, char out[64]);

/* The last error detail on this thread, into `out` (4096 bytes). */
const char *last_error(char out[4096]);

/* Whether a (ptr, len) string equals a C string. */
int str_eq(const char *ptr, size_t len, const char *want);

/* Compares credentials with an expectation object (README: documents). 1 when they match. */
int check_credentials(const sigfresh_credentials *c, const cJSON *want);

/* One function per kind: 1 = passed, 0 = failed (conf_err says why). */
int run_suite_case(const cJSON *manifest, const char *rel);
int run_signing(const cJSON *c);
int run_document(const cJSON *c);
int run_error(const cJSON *c);
int run_refresh(const cJSON *c);
int run_exchange(const cJSON *c);

#endif
