/* The conformance corpus (tests/vectors/, format in its README.md) through the C ABI.
 *
 * Reads the same files as core/tests/conformance.rs, the CLI and the Node runners and checks the
 * same expectations, for every kind: the official suite (sigv4-suite.json), our signing cases,
 * credential documents (each format, environment maps, profiles), error classification,
 * refresh scenarios (through the cache/lease API) and IMDS/container exchanges (through the
 * source machine API). A case the C ABI could not express would be counted and listed as "not
 * applicable for this host"; today there is none.
 *
 *   conformance <repository root>
 *
 * Prints "conformance (c): <kind>: N passed, M not applicable for this host" per kind, every
 * failure with its case, and exits 1 when any case failed. Run by tests/c/run.sh (natively,
 * under valgrind and under ASan/UBSan) and tests/vectors/run.sh. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conformance.h"

const char *conf_root = ".";
char conf_err[4096];

int failf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(conf_err, sizeof conf_err, fmt, ap);
    va_end(ap);
    return 0;
}

char *read_file(const char *path, size_t *len_out) {
    char full[8192];
    if (path[0] == '/') {
        snprintf(full, sizeof full, "%s", path);
    } else {
        snprintf(full, sizeof full, "%s/%s", conf_root, path);
    }
    FILE *f = fopen(full, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        if (got == 0) break;
        len += got;
    }
    fclose(f);
    buf[len] = 0;
    if (len_out) *len_out = len;
    return buf;
}

const char *js(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int parse_time(const char *text, int64_t *ms_out) {
    if (!text) return failf("a time is missing");
    if (sigfresh_time_parse_rfc3339(text, strlen(text), ms_out) == SIGFRESH_OK) return 1;
    if (sigfresh_time_parse_amz_date(text, strlen(text), ms_out) == SIGFRESH_OK) return 1;
    return failf("bad time \"%s\"", text);
}

sigfresh_pair *json_pairs(const cJSON *arr, size_t *n_out) {
    size_t n = (size_t)cJSON_GetArraySize(arr);
    sigfresh_pair *p = calloc(n ? n : 1, sizeof *p);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        const char *name = cJSON_GetArrayItem(e, 0)->valuestring;
        const char *value = cJSON_GetArrayItem(e, 1)->valuestring;
        p[i++] = (sigfresh_pair){name, strlen(name), value, strlen(value)};
    }
    *n_out = i;
    return p;
}

sigfresh_pair *json_object_pairs(const cJSON *obj, size_t *n_out) {
    size_t n = (size_t)cJSON_GetArraySize(obj);
    sigfresh_pair *p = calloc(n ? n : 1, sizeof *p);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, obj) {
        p[i++] = (sigfresh_pair){e->string, strlen(e->string), e->valuestring,
                                 strlen(e->valuestring)};
    }
    *n_out = i;
    return p;
}

const char *kind_name(sigfresh_result r, const char *strip, char out[64]) {
    const char *name = sigfresh_result_name(r);
    if (strncmp(name, "SIGFRESH_", 9) == 0) name += 9;
    if (strip && strncmp(name, strip, strlen(strip)) == 0) name += strlen(strip);
    size_t i = 0;
    for (; name[i] && i < 63; i++) out[i] = (char)tolower((unsigned char)name[i]);
    out[i] = 0;
    return out;
}

const char *last_error(char out[4096]) {
    size_t n = 0;
    if (sigfresh_last_error_message(out, 4096, &n) != SIGFRESH_OK) strcpy(out, "?");
    return out;
}

int str_eq(const char *ptr, size_t len, const char *want) {
    size_t n = strlen(want);
    return len == n && (n == 0 || memcmp(ptr, want, n) == 0);
}

/* ---- the report ------------------------------------------------------------------------- */

typedef struct {
    const char *kind;
    int passed, failed, not_applicable;
} tally;

static tally tallies[6];
static int ntallies = 0;
static int failures = 0;

static void record(const char *kind, const char *name, int ok) {
    tally *t = NULL;
    for (int i = 0; i < ntallies; i++)
        if (strcmp(tallies[i].kind, kind) == 0) t = &tallies[i];
    if (!t) {
        t = &tallies[ntallies++];
        t->kind = kind;
    }
    if (ok) {
        t->passed++;
    } else {
        t->failed++;
        failures++;
        fprintf(stderr, "FAILED %s/%s: %s\n", kind, name, conf_err);
    }
    conf_err[0] = 0;
}

/* ---- listing cases ---------------------------------------------------------------------- */

typedef struct {
    char **items;
    size_t n, cap;
} names;

static void names_push(names *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = strdup(s);
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(names *l) {
    for (size_t i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
}

/* Every <case>/<name>.req under the suite directory, as "<case>" relative paths. */
static void walk_suite(const char *dir, const char *rel, names *out) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[4096], sub[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
            walk_suite(path, sub, out);
        } else {
            size_t n = strlen(e->d_name);
            if (n > 4 && strcmp(e->d_name + n - 4, ".req") == 0) names_push(out, rel);
        }
    }
    closedir(d);
}

/* The *.json files of a kind directory, sorted, without the extension. */
static names list_kind(const char *kind) {
    names out = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/vectors/%s", conf_root, kind);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            e->d_name[n - 5] = 0;
            names_push(&out, e->d_name);
        }
    }
    closedir(d);
    qsort(out.items, out.n, sizeof *out.items, cmp_names);
    return out;
}

static cJSON *load_json(const char *path) {
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    cJSON *v = cJSON_ParseWithLength(text, len);
    free(text);
    if (!v) {
        fprintf(stderr, "%s: not JSON\n", path);
        exit(2);
    }
    return v;
}

static void run_kind(const char *kind, int (*run)(const cJSON *)) {
    names l = list_kind(kind);
    for (size_t i = 0; i < l.n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "tests/vectors/%s/%s.json", kind, l.items[i]);
        cJSON *c = load_json(path);
        record(kind, l.items[i], run(c));
        cJSON_Delete(c);
    }
    names_free(&l);
}

static void run_suite(void) {
    cJSON *manifest = load_json("tests/vectors/sigv4-suite.json");
    const cJSON *listed = cJSON_GetObjectItemCaseSensitive(manifest, "cases");
    names found = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/vectors/sigv4-suite", conf_root);
    walk_suite(dir, "", &found);
    qsort(found.items, found.n, sizeof *found.items, cmp_names);
    for (size_t i = 0; i < found.n; i++) {
        int ok = cJSON_GetObjectItemCaseSensitive(listed, found.items[i]) != NULL
                     ? run_suite_case(manifest, found.items[i])
                     : failf("not listed in tests/vectors/sigv4-suite.json");
        record("sigv4-suite", found.items[i], ok);
    }
    if ((int)found.n != cJSON_GetArraySize(listed)) {
        conf_err[0] = 0;
        failf("%zu suite cases on disk, %d listed", found.n, cJSON_GetArraySize(listed));
        record("sigv4-suite", "(listing)", 0);
    }
    names_free(&found);
    cJSON_Delete(manifest);
}

int main(int argc, char **argv) {
    if (argc > 1) conf_root = argv[1];
    run_suite();
    run_kind("signing", run_signing);
    run_kind("documents", run_document);
    run_kind("errors", run_error);
    run_kind("refresh", run_refresh);
    run_kind("exchanges", run_exchange);
    for (int i = 0; i < ntallies; i++) {
        printf("conformance (c): %s: %d passed, %d not applicable for this host%s\n",
               tallies[i].kind, tallies[i].passed, tallies[i].not_applicable,
               tallies[i].failed ? " — FAILURES" : "");
    }
    if (failures) {
        printf("conformance (c): %d case(s) failed\n", failures);
        return 1;
    }
    return 0;
}
