/*
 * A JVMTI agent that counts calls of the native methods of dev.sigfresh.internal.JniNative, i.e.
 * JNI crossings into libsigfresh_ffi. Counting is done between calls of
 * dev.sigfresh.bench.CrossingCount.mark(label): each mark prints the counts since the previous one
 * on stdout ("crossings <total> [<name>=<n> ...]", then mark itself prints " <- label") and starts
 * again.
 * Build: gcc -shared -fPIC -O2 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -o libcountjni.so count_jni.c
 * Use:   java -agentpath:/abs/libcountjni.so ...   (forces the interpreter: counting only, no timing)
 */
#include <jvmti.h>
#include <stdio.h>
#include <string.h>

#define MAX_METHODS 256

static jvmtiEnv *jvmti;
static jrawMonitorID lock;
static char *names[MAX_METHODS];
static long counts[MAX_METHODS];
static int used;

static void report(void) {
    long total = 0;
    for (int i = 0; i < used; i++) total += counts[i];
    printf("crossings %ld [", total);
    for (int i = 0; i < used; i++) {
        if (counts[i]) printf(" %s=%ld", names[i], counts[i]);
        counts[i] = 0;
    }
    printf(" ]");
    fflush(stdout);
}

static void JNICALL on_entry(jvmtiEnv *env, JNIEnv *jni, jthread thread, jmethodID method) {
    jclass cls;
    char *sig = NULL, *name = NULL;
    (void)jni;
    (void)thread;
    if ((*env)->GetMethodDeclaringClass(env, method, &cls) != JVMTI_ERROR_NONE) return;
    if ((*env)->GetClassSignature(env, cls, &sig, NULL) != JVMTI_ERROR_NONE) return;
    int jni_native = strcmp(sig, "Ldev/sigfresh/internal/JniNative;") == 0;
    int marker = strcmp(sig, "Ldev/sigfresh/bench/CrossingCount;") == 0;
    (*env)->Deallocate(env, (unsigned char *)sig);
    if (!jni_native && !marker) return;
    if ((*env)->GetMethodName(env, method, &name, NULL, NULL) != JVMTI_ERROR_NONE) return;
    (*env)->RawMonitorEnter(env, lock);
    if (marker) {
        if (strcmp(name, "mark") == 0) report();
    } else {
        jboolean is_native = JNI_FALSE;
        (*env)->IsMethodNative(env, method, &is_native);
        if (is_native) {
            int i = 0;
            while (i < used && strcmp(names[i], name) != 0) i++;
            if (i == used && used < MAX_METHODS) names[used++] = strdup(name);
            if (i < MAX_METHODS) counts[i]++;
        }
    }
    (*env)->RawMonitorExit(env, lock);
    (*env)->Deallocate(env, (unsigned char *)name);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiCapabilities caps;
    jvmtiEventCallbacks cb;
    (void)options;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK) return JNI_ERR;
    memset(&caps, 0, sizeof caps);
    caps.can_generate_method_entry_events = 1;
    if ((*jvmti)->AddCapabilities(jvmti, &caps) != JVMTI_ERROR_NONE) return JNI_ERR;
    memset(&cb, 0, sizeof cb);
    cb.MethodEntry = on_entry;
    (*jvmti)->SetEventCallbacks(jvmti, &cb, sizeof cb);
    (*jvmti)->CreateRawMonitor(jvmti, "count_jni", &lock);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_METHOD_ENTRY, NULL);
    return JNI_OK;
}
