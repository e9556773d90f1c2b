#!/usr/bin/env bash
# The generator check across hosts (issue 9): 3000 pseudo-random requests (fixed seeds; 2000
# shaped like peers/tests/aws_sigv4_diff.rs's, 1000 like peers/tests/botocore_diff.rs's, drawn by
# peers/tests/common/gen.rs) are written once to $CARGO_TARGET_DIR/generated/requests.jsonl and
# signed through the Rust core, the C ABI (tests/c/sign_batch.c), the npm package
# (node/test/sign-batch.mjs), Java through JNI and Panama (java/.../conformance/SignBatch.java, from
# the jar java/scripts/test.sh builds, or built here), the CLI (a sample of 100 the CLI has flags for, one process each)
# and botocore (the botocore-shaped ones, peers/botocore_sign.py).
# tests/vectors/tools/generated.py compares every signature (and canonical request, string to
# sign, Authorization where a host reports them) with the Rust core's and fails with the request
# printed on any disagreement.
#
# Usage: tests/vectors/generated.sh [N_AWS N_BOTOCORE]   (default 2000 1000)
# Needs: gcc and libcjson-dev (installed with apt-get when missing), node with the package built
# (node/scripts/build.sh runs when node/dist is missing), python3 with botocore (.ci/run installs
# botocore==1.43.11).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET_DIR/generated"
N_AWS="${1:-2000}"
N_BOTO="${2:-1000}"
step() { printf '\n== generated: %s ==\n' "$*"; }
started=$(date +%s)

if [ ! -f /usr/include/cjson/cJSON.h ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libcjson-dev >/dev/null
fi

step "requests and the Rust core's signatures"
rm -rf "$OUT"
cargo run -q --locked -p sigfresh-peers --example generated_requests -- "$OUT" "$N_AWS" "$N_BOTO"

step "C ABI"
cargo build -q --locked -p sigfresh-ffi -p sigfresh-cli
gcc -std=c11 -O2 -Wall -Wextra -Werror -Iinclude tests/c/sign_batch.c \
  "$TARGET_DIR/debug/libsigfresh_ffi.a" -lcjson -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc \
  -o "$OUT/sign_batch"
"$OUT/sign_batch" "$OUT/requests.jsonl" "$OUT/c.jsonl"

step "npm package"
if [ ! -f node/dist/node/index.cjs ]; then bash node/scripts/build.sh; fi
node node/test/sign-batch.mjs "$OUT/requests.jsonl" "$OUT/node.jsonl"

step "Java (JNI and Panama)"
JAR="java/sigfresh/target/sigfresh-0.1.0-SNAPSHOT.jar"
TEST_CLASSES="java/sigfresh/target/test-classes"
JAVA_NEW="${JAVA25_HOME:-$( (ls -d /usr/lib/jvm/temurin-*-jdk-* /usr/lib/jvm/java-2[2-9]-* 2>/dev/null || true) | sort -V | tail -n1)}"
if [ ! -f "$JAR" ] || [ ! -f "$TEST_CLASSES/dev/sigfresh/conformance/SignBatch.class" ]; then
  # Builds the jar (with the native library) and the test classes, runs no test.
  JAVA_HOME="$JAVA_NEW" mvn -B -ntp -q -f java/pom.xml -pl sigfresh -am package -DskipTests -DskipITs
fi
for binding in jni panama; do
  "$JAVA_NEW/bin/java" --enable-native-access=ALL-UNNAMED -Dsigfresh.binding="$binding" \
    -cp "$JAR:$TEST_CLASSES" dev.sigfresh.conformance.SignBatch "$OUT/requests.jsonl" "$OUT/java-$binding.jsonl"
done

step "CLI and botocore; comparison"
python3 tests/vectors/tools/generated.py "$OUT" --cli "$TARGET_DIR/debug/sigfresh"
echo "generated check: $(($(date +%s) - started)) s"
