/* Tiny assertion helpers shared by the C tests. Every check counts; failures print the
 * location, the result code's name and the library's last-error detail. */
#ifndef SIGFRESH_TEST_CHECK_H
#define SIGFRESH_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigfresh.h"

/* Defined once, in the file that defines CHECK_MAIN before including this header. */
extern long checks_passed;
extern long checks_failed;
#ifdef CHECK_MAIN
long checks_passed = 0;
long checks_failed = 0;
#endif

static inline void report_failure(const char *file, int line, const char *what) {
    checks_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
}

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (cond) {                                                                          \
            checks_passed++;                                                                 \
        } else {                                                                             \
            report_failure(__FILE__, __LINE__, #cond);                                       \
        }                                                                                    \
    } while (0)

static inline void check_rc(sigfresh_result got, sigfresh_result want, const char *call,
                     const char *file, int line) {
    if (got == want) {
        checks_passed++;
        return;
    }
    char detail[4096];
    size_t n = 0;
    if (sigfresh_last_error_message(detail, sizeof detail, &n) != SIGFRESH_OK) {
        strcpy(detail, "(detail unavailable)");
    }
    checks_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s returned %s (%u), wanted %s (%u): %s\n", file, line, call,
            sigfresh_result_name(got), got, sigfresh_result_name(want), want, detail);
}

/* The call must return `want`. */
#define CHECK_RC(call, want) check_rc((call), (want), #call, __FILE__, __LINE__)
/* The call must succeed. */
#define OK(call) CHECK_RC(call, SIGFRESH_OK)

/* The last error detail on this thread contains `needle`. */
#define CHECK_DETAIL(needle)                                                                 \
    do {                                                                                     \
        char d_[4096];                                                                       \
        size_t n_ = 0;                                                                       \
        sigfresh_result r_ = sigfresh_last_error_message(d_, sizeof d_, &n_);                \
        if (r_ == SIGFRESH_OK && strstr(d_, (needle)) != NULL) {                             \
            checks_passed++;                                                                 \
        } else {                                                                             \
            checks_failed++;                                                                 \
            fprintf(stderr, "%s:%d: FAILED: last error \"%s\" lacks \"%s\"\n", __FILE__,     \
                    __LINE__, r_ == SIGFRESH_OK ? d_ : "?", (needle));                       \
        }                                                                                    \
    } while (0)

/* A borrowed sigfresh_str equals a C string. */
static inline int str_is(sigfresh_str s, const char *want) {
    size_t n = strlen(want);
    return s.len == n && (n == 0 || memcmp(s.ptr, want, n) == 0);
}

/* Prints the closing line CI reads: "<name>: N passed, M failed". */
static inline int finish(const char *name) {
    printf("%s: %ld passed, %ld failed\n", name, checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

#endif
