#!/usr/bin/env bash
# Runs the conformance corpus (tests/vectors/README.md) through every host that has a runner.
#
# Usage: tests/vectors/run.sh [all|rust|c|java|cli|node|peers|import|generated]   (default: all)
#   rust   core/tests/conformance.rs
#   c      tests/c/conformance*.c through the C ABI (natively, valgrind, ASan/UBSan)
#   java   java/sigfresh/src/test/java/dev/sigfresh/conformance/ through JNI (JDK 25, JDK 17) and
#          Panama (JDK 25); builds the native library and the jar (java/scripts/test.sh)
#   cli    cli/tests/conformance.rs (the sigfresh binary)
#   node   node/test/conformance.test.mjs against the built npm package (builds it when stale)
#   peers  peers/tests/vectors.rs: the signing expectations are the peers' output (needs botocore)
#   import tests/vectors/tools/import_corpus.py --check
#   generated  tests/vectors/generated.sh: 3000 generated requests through Rust, C, Node, the CLI
#          and botocore, all signatures compared (needs node and botocore)
# Fails when any host disagrees with the corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
WHAT="${1:-all}"
step() { printf '\n== conformance: %s ==\n' "$*"; }
want() { [ "$WHAT" = all ] || [ "$WHAT" = "$1" ]; }

if want import; then
  step "corpus import is up to date"
  python3 tests/vectors/tools/import_corpus.py --check
fi
if want peers; then
  step "signing expectations = peers' output (aws-sigv4, botocore)"
  cargo test -p sigfresh-peers --locked --test vectors
fi
if want rust; then
  step "Rust core"
  cargo test -p sigfresh --locked --test conformance -- --nocapture 2>&1 | grep -E 'conformance \(rust\)|test result|panicked|failure' 
  test "${PIPESTATUS[0]}" = 0
fi
if want c; then
  step "C ABI"
  bash tests/c/run.sh conformance 2>&1 | grep -E 'conformance \(c\)|FAILED|no memory errors|no sanitizer findings|ERROR'
  test "${PIPESTATUS[0]}" = 0
fi
if want java; then
  step "Java (JNI on JDK 25 and 17, Panama on JDK 25)"
  bash java/scripts/test.sh -pl sigfresh -Dit.test=ConformanceTest -Dfailsafe.failIfNoSpecifiedTests=false 2>&1 | grep -E 'conformance \(java|FAIL|ERROR\]|AssertionError'
  test "${PIPESTATUS[0]}" = 0
fi
if want cli; then
  step "CLI"
  cargo test -p sigfresh-cli --locked --test conformance -- --nocapture 2>&1 | grep -E 'conformance \(cli\)|test result|panicked|failure'
  test "${PIPESTATUS[0]}" = 0
fi
if want node; then
  step "Node (wasm package)"
  if [ ! -f node/dist/node/index.cjs ]; then bash node/scripts/build.sh; fi
  (cd node && node --test --test-reporter=spec test/conformance.test.mjs 2>&1 | grep -E 'conformance \(node\)|^# (pass|fail)|not ok|Error' ; test "${PIPESTATUS[0]}" = 0)
fi
if want generated; then
  step "generated requests through every host and botocore"
  bash tests/vectors/generated.sh
fi
