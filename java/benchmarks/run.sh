#!/usr/bin/env bash
# JMH: W1/W2/W3 (tests/bench/workload.json) signed by sigfresh through JNI, sigfresh through
# Panama and the AWS SDK for Java v2's AwsV4HttpSigner, in one run; prints the table with ratios.
# Then counts the JNI crossings per signature with a JVMTI agent (fails if more than one).
#
#   java/benchmarks/run.sh              build (core jar incl. cargo, benchmarks), run, count
#   java/benchmarks/run.sh crossings    only build and count the JNI crossings
#
# Environment: JAVA_HOME (default Temurin 25; the JDK must be 22+ for the Panama rows),
# SIGFRESH_JMH_ROUNDS (default 1: how many times the whole set runs; rounds spread the rows over
# time, so a burst of load on a shared machine hits every signer), SIGFRESH_JMH_ARGS (default:
# 1 fork per row, 10 x 2 s warmup, 5 x 1 s measurement: the SDK
# signer's code needs about 15 s of a loaded 2-core machine to be fully compiled, sigfresh's a
# few; with 3 x 1 s warmup the SDK rows were still falling, which overstated sigfresh's lead), SIGFRESH_MVN_ARGS (extra Maven arguments, e.g. -Dsigfresh.native.skip=true with the
# library already in java/sigfresh/target/classes), CARGO_TARGET_DIR (honoured by the native
# build). Not run in CI.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAVA_DIR="$(dirname "$HERE")"
ROOT="$(dirname "$JAVA_DIR")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JMH_ARGS="${SIGFRESH_JMH_ARGS:--f 1 -wi 10 -w 2s -i 5 -r 1s}"
OUT="$HERE/target"

echo "== build (core jar with the native library, benchmarks)"
(cd "$JAVA_DIR" && mvn -B -ntp -q -pl benchmarks -am package dependency:build-classpath \
  -DskipTests -Dmdep.outputFile="$OUT/classpath.txt" ${SIGFRESH_MVN_ARGS:-})
# Run from a private copy of what was built: a `mvn clean` elsewhere in the tree during the
# run (another build of the same checkout) must not pull the jars from under the forks.
RUN="$(mktemp -d "${TMPDIR:-/tmp}/sigfresh-jmh.XXXXXX")"
cp -r "$OUT/classes" "$RUN/classes"
CP="$RUN/classes"
IFS=: read -r -a entries < "$OUT/classpath.txt" || true  # no trailing newline
for e in "${entries[@]}"; do
  case "$e" in
    "$JAVA_DIR"/*) cp "$e" "$RUN/"; CP="$CP:$RUN/$(basename "$e")" ;;
    *) CP="$CP:$e" ;;
  esac
done
trap 'mkdir -p "$OUT" && cp "$RUN"/*.txt "$RUN"/*.json "$OUT"/ 2>/dev/null; rm -rf "$RUN"' EXIT

echo "== JNI crossings per signature (JVMTI agent; interpreter only, counts not times)"
gcc -shared -fPIC -O2 -Wall -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" \
  -o "$RUN/libcountjni.so" "$HERE/crossings/count_jni.c"
"$JAVA" --enable-native-access=ALL-UNNAMED -agentpath:"$RUN/libcountjni.so" \
  -Dsigfresh.workload="$ROOT/tests/bench/workload.json" -cp "$CP" dev.sigfresh.bench.CrossingCount \
  | tee "$RUN/crossings.txt"
# Every "explicit credentials" interval must be exactly one crossing per signature.
python3 - "$RUN/crossings.txt" <<'EOF'
import re, sys
bad = []
for line in open(sys.argv[1]):
    m = re.match(r"crossings (\d+) \[.*\] <- (W\d) explicit credentials x(\d+)", line)
    if m and int(m.group(1)) > int(m.group(3)):
        bad.append(line.strip())
    elif m:
        print(f"{m.group(2)}: {int(m.group(1)) / int(m.group(3)):.0f} JNI crossing per signature (explicit credentials)")
    c = re.match(r"crossings (\d+) \[.*\] <- (W\d) through CredentialCache x(\d+)", line)
    if c:
        n = int(c.group(1)) / int(c.group(3))
        print(f"{c.group(2)}: {n:.0f} JNI crossing{'' if n == 1 else 's'} per signature through CredentialCache")
if bad:
    sys.exit("more than one JNI crossing per signature:\n" + "\n".join(bad))
EOF
[ "${1:-}" = crossings ] && exit 0

ROUNDS="${SIGFRESH_JMH_ROUNDS:-1}"
for round in $(seq 1 "$ROUNDS"); do
  echo "== JMH round $round/$ROUNDS ($JMH_ARGS); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main SignBenchmark $JMH_ARGS \
    -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Dsigfresh.workload=$ROOT/tests/bench/workload.json" \
    -rf json -rff "$RUN/jmh-result-$round.json"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc); $("$JAVA" -version 2>&1 | head -1)"

{
python3 - "$RUN"/jmh-result-*.json <<'EOF'
import json, statistics, sys
rows, per_round = {}, []
for f in sys.argv[1:]:
    this = {}
    for r in json.load(open(f)):
        p = r["params"]
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        rows.setdefault((p["workload"], p["signer"]), []).extend(raw)
        this[(p["workload"], p["signer"])] = statistics.median(raw)
    per_round.append(this)
rows = {k: (statistics.median(v), min(v), max(v)) for k, v in rows.items()}
def cell(k):
    med, lo, hi = rows[k]
    return f"{med:.2f} ({lo:.2f}–{hi:.2f})"
print()
print(f"µs per signature: median of the measurement iterations of {len(per_round)} round(s) (min–max);")
print("ratios of the medians (in brackets: the lowest and highest ratio of a single round)")
print()
print("| workload | sigfresh JNI | sigfresh Panama | AWS SDK v2 AwsV4HttpSigner | SDK / JNI | SDK / Panama |")
print("|---|---:|---:|---:|---:|---:|")
slower = []
for w in ("W1", "W2", "W3"):
    sdk, jni, pan = rows[(w, "sdk")][0], rows[(w, "jni")][0], rows[(w, "panama")][0]
    def spread(b):
        rs = [r[(w, "sdk")] / r[(w, b)] for r in per_round]
        return f" ({min(rs):.1f}–{max(rs):.1f})" if len(rs) > 1 else ""
    print(f"| {w} | {cell((w, 'jni'))} | {cell((w, 'panama'))} | {cell((w, 'sdk'))} | {sdk / jni:.1f}×{spread('jni')} | {sdk / pan:.1f}×{spread('panama')} |")
    for name, v in (("JNI", jni), ("Panama", pan)):
        if v >= sdk:
            slower.append(f"{w} {name}")
print()
print("target (faster than the SDK signer on every workload):", "MET" if not slower else "NOT MET: " + ", ".join(slower))
EOF
} | tee "$RUN/table.txt"
