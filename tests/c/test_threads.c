/* Eight threads sign through one credential cache while a ninth plays the refresher across
 * rotations, on a fake clock (an atomic integer the refresher advances in 10 s steps).
 *
 * After every step the refresher waits until each signer has seen the new time, so every phase
 * is observed by every thread and the counts below are deterministic lower bounds (no timing
 * is asserted). Rotations cycle through four behaviours of the source:
 *   0 prompt   - refreshed as soon as a lease is offered (refresh window, with jitter);
 *   1 late     - the refresher ignores the cache until inside the mandatory window;
 *   2 very late - until 20 s after expiry;
 *   3 failing  - the first two attempts fail (retryable), the third succeeds.
 * Signers use sigfresh_credential_cache_current (lock-free, no lease) and sign only when the
 * decision does not say to wait. Asserted: zero signatures with expired credentials, every
 * signature made with the credentials it names, every rotation installed and used by every
 * thread, the waits and failures each phase must produce. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define CHECK_MAIN
#include "check.h"

#define THREADS 8
#define ROTATIONS 12
#define STEP_MS 10000
#define LIFETIME_MS (15 * 60 * 1000)
#define T0 1714564800000LL

static const sigfresh_credential_cache *cache;
static const sigfresh_signer *signer;
static _Atomic int64_t clock_ms = T0;
static atomic_int epoch = 0;
static atomic_int stop = 0;
static atomic_int seen[THREADS];

typedef struct {
    int id;
    long signatures;
    long expired;         /* signatures made with credentials expired at the signing time */
    long mismatched;      /* Authorization not naming the credentials used, or sign failed */
    long waits_required;  /* REFRESH_REQUIRED observed: waited */
    long waits_expired;   /* EXPIRED observed: waited */
    long per_key[ROTATIONS + 1];
} signer_stats;

static signer_stats stats[THREADS];

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *sign_loop(void *arg) {
    signer_stats *st = arg;
    const sigfresh_pair headers[] = {{"host", 4, "examplebucket.s3.amazonaws.com", 30}};
    sigfresh_request r = {"GET", 3, "/test.txt", 9, headers, 1, {SIGFRESH_PAYLOAD_UNSIGNED, NULL, 0}};
    int done_in_epoch = 0, last_epoch = -1;
    while (!atomic_load(&stop)) {
        int e = atomic_load(&epoch);
        if (e == last_epoch && done_in_epoch >= 3) {
            sched_yield();
            continue;
        }
        if (e != last_epoch) {
            last_epoch = e;
            done_in_epoch = 0;
        }
        int64_t now = atomic_load(&clock_ms);
        sigfresh_refresh_decision d;
        const sigfresh_credentials *c = NULL;
        if (sigfresh_credential_cache_current(cache, now, &d, &c) != SIGFRESH_OK) {
            st->mismatched++;
            break;
        }
        if (c != NULL && !d.must_wait) {
            char buf[1024];
            sigfresh_pair out[SIGFRESH_MAX_SIGNING_HEADERS];
            size_t count = 0, used = 0;
            sigfresh_result rc = sigfresh_signer_sign(signer, &r, c, now, buf, sizeof buf, out,
                                                      SIGFRESH_MAX_SIGNING_HEADERS, &count, &used);
            int64_t expiry = INT64_MAX;
            sigfresh_credentials_expiry(c, &expiry);
            char akid[32];
            size_t n = 0;
            sigfresh_credentials_access_key_id(c, akid, sizeof akid, &n);
            char want[64];
            snprintf(want, sizeof want, "Credential=%s/", akid);
            if (rc != SIGFRESH_OK || count < 2 || strstr(out[count - 1].value, want) == NULL) {
                st->mismatched++;
            }
            if (expiry <= now) st->expired++;
            int key = atoi(akid + 7); /* "ASIAKEY<n>" */
            if (key >= 0 && key <= ROTATIONS) st->per_key[key]++;
            st->signatures++;
        } else if (d.kind == SIGFRESH_DECISION_REFRESH_REQUIRED) {
            st->waits_required++;
        } else if (d.kind == SIGFRESH_DECISION_EXPIRED) {
            st->waits_expired++;
        }
        sigfresh_credentials_free(c);
        done_in_epoch++;
        atomic_store(&seen[st->id], e);
    }
    return NULL;
}

/* Advances the fake clock one step and waits until every signer has seen it. */
static int step(double deadline) {
    atomic_fetch_add(&clock_ms, STEP_MS);
    int e = atomic_fetch_add(&epoch, 1) + 1;
    for (int i = 0; i < THREADS; i++) {
        while (atomic_load(&seen[i]) < e) {
            if (wall_seconds() > deadline) return 0;
            sched_yield();
        }
    }
    return 1;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t jitter(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static long installs = 0, failures = 0;

/* Offers the cache a refresh at the current time: takes a lease if one is due, then completes
 * it with new credentials or, while `fail` > 0, with a retryable failure. Returns 1 when new
 * credentials were installed. */
static int refresh(int key, int *fail) {
    int64_t now = atomic_load(&clock_ms);
    sigfresh_access a;
    const sigfresh_credentials *c = NULL;
    sigfresh_lease *lease = NULL;
    OK(sigfresh_credential_cache_get(cache, now, &a, &c, &lease));
    sigfresh_credentials_free(c);
    if (lease == NULL) return 0;
    sigfresh_completion done;
    int installed = 0;
    if (*fail > 0) {
        sigfresh_failure f = {SIGFRESH_FAILURE_RETRYABLE, false, 0};
        OK(sigfresh_credential_cache_complete_failure(cache, lease, &f, now, jitter(), &done));
        CHECK(done.kind == SIGFRESH_COMPLETION_FAILED);
        (*fail)--;
        failures++;
    } else {
        char when[40], doc[256];
        size_t n = 0;
        OK(sigfresh_time_format_rfc3339(now + LIFETIME_MS, when, sizeof when, &n));
        snprintf(doc, sizeof doc,
                 "{\"Version\":1,\"AccessKeyId\":\"ASIAKEY%d\",\"SecretAccessKey\":\"secret%d\","
                 "\"SessionToken\":\"token%d\",\"Expiration\":\"%s\"}",
                 key, key, key, when);
        sigfresh_document_format format = 0;
        OK(sigfresh_credential_cache_complete_document(cache, lease, (const uint8_t *)doc,
                                                       strlen(doc), now, jitter(), &format, &done));
        CHECK(format == SIGFRESH_FORMAT_PROCESS);
        CHECK(done.kind == SIGFRESH_COMPLETION_INSTALLED);
        installed = done.kind == SIGFRESH_COMPLETION_INSTALLED;
        installs += installed;
    }
    OK(sigfresh_lease_free(lease));
    return installed;
}

int main(void) {
    sigfresh_refresh_policy *policy = NULL;
    OK(sigfresh_refresh_policy_new(&policy));
    OK(sigfresh_credential_cache_new(policy, &cache));
    OK(sigfresh_refresh_policy_free(policy));
    sigfresh_signing_settings *settings = NULL;
    OK(sigfresh_signing_settings_new_s3(&settings));
    OK(sigfresh_signer_new(settings, "us-east-1", 9, "s3", 2, &signer));
    OK(sigfresh_signing_settings_free(settings));
    if (checks_failed) return finish("c_threads");

    int no_fail = 0;
    CHECK(refresh(0, &no_fail) == 1); /* initial credentials before the signers start */

    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        stats[i].id = i;
        atomic_store(&seen[i], -1);
        pthread_create(&threads[i], NULL, sign_loop, &stats[i]);
    }
    double deadline = wall_seconds() + 120.0;
    int ok = 1;
    long steps = 0;
    for (int key = 1; key <= ROTATIONS && ok; key++) {
        int mode = (key - 1) % 4;
        int fail = mode == 3 ? 2 : 0;
        int64_t expiry = 0;
        {
            sigfresh_refresh_decision d;
            const sigfresh_credentials *c = NULL;
            OK(sigfresh_credential_cache_current(cache, atomic_load(&clock_ms), &d, &c));
            OK(sigfresh_credentials_expiry(c, &expiry));
            sigfresh_credentials_free(c);
        }
        for (;;) {
            ok = step(deadline);
            steps++;
            if (!ok) break;
            int64_t now = atomic_load(&clock_ms);
            int offer = mode == 0 || mode == 3 || (mode == 1 && now >= expiry - 40000) ||
                        (mode == 2 && now >= expiry + 20000);
            if (offer && refresh(key, &fail)) break;
        }
    }
    /* A few more steps so every thread signs with the last rotation. */
    for (int i = 0; i < 3 && ok; i++) ok = step(deadline);
    atomic_store(&stop, 1);
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    CHECK(ok); /* no step waited more than the deadline for the signers */

    long total = 0, expired = 0, mismatched = 0, required = 0, waited_expired = 0;
    for (int i = 0; i < THREADS; i++) {
        signer_stats *st = &stats[i];
        total += st->signatures;
        expired += st->expired;
        mismatched += st->mismatched;
        required += st->waits_required;
        waited_expired += st->waits_expired;
        CHECK(st->signatures > 0);
        for (int k = 0; k <= ROTATIONS; k++) CHECK(st->per_key[k] > 0); /* every rotation used */
    }
    printf("threads: %d signers, %ld steps of %d ms, %ld signatures, %ld expired, "
           "%ld mismatched, %ld waits in the mandatory window, %ld waits after expiry, "
           "%ld installs, %ld failed refreshes\n",
           THREADS, steps, STEP_MS, total, expired, mismatched, required, waited_expired,
           installs, failures);
    CHECK(expired == 0);
    CHECK(mismatched == 0);
    CHECK(installs == ROTATIONS + 1);
    CHECK(failures == 2 * (ROTATIONS / 4));
    /* Late rotations spend >= 2 steps inside the mandatory window, very late ones >= 2 steps
     * past expiry; every thread observes every step. */
    CHECK(required >= (long)THREADS * 2 * (ROTATIONS / 4));
    CHECK(waited_expired >= (long)THREADS * 2 * (ROTATIONS / 4));
    CHECK(total >= (long)THREADS * steps / 2);

    OK(sigfresh_signer_free(signer));
    OK(sigfresh_credential_cache_free(cache));
    return finish("c_threads");
}
