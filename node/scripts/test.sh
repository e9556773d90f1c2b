#!/usr/bin/env bash
# Runs every test of the npm package against the BUILT package (node/dist), from anywhere:
#
#   1. builds dist/ (scripts/build.sh) unless it is up to date with its inputs;
#   2. installs the npm dev dependencies with `npm ci` from package-lock.json when needed;
#   3. builds the Rust oracle (wasm/examples/oracle.rs) the byte-for-byte tests compare with;
#   4. installs Debian's `chromium` with apt when /usr/bin/chromium is missing (browser test);
#   5. installs the IMDS emulator with tests/imds/install-emulator.sh when it is missing;
#   6. runs `node --test` on node/test/*.test.mjs.
#
# Environment: CARGO_TARGET_DIR (default <repo>/target), SIGFRESH_REQUIRE_EMULATOR (fail instead
# of skipping when the IMDS emulator cannot be installed), SIGFRESH_CORPUS (differential corpus
# size, default 1500).
set -euo pipefail

NODE_DIR="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$NODE_DIR/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

# 1-2. The build, when any input changed (the build also runs `npm ci` when the lock changed).
stamp() {
  find core wasm node/src node/scripts/build.sh node/package.json node/package-lock.json \
    Cargo.toml Cargo.lock -type f -not -path '*/target/*' -print0 | sort -z | xargs -0 sha256sum |
    sha256sum | cut -d' ' -f1
}
STAMP="$(stamp)"
if [ "$(cat "$NODE_DIR/dist/.stamp" 2>/dev/null)" != "$STAMP" ] || [ ! -f "$NODE_DIR/dist/node/index.cjs" ]; then
  bash "$NODE_DIR/scripts/build.sh"
  echo "$STAMP" > "$NODE_DIR/dist/.stamp"
else
  step "dist/ is up to date"
  LOCK_SUM="$(sha256sum "$NODE_DIR/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$NODE_DIR/node_modules/.sigfresh-lock" 2>/dev/null)" != "$LOCK_SUM" ]; then
    step "installing npm dependencies (npm ci)"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$LOCK_SUM" > "$NODE_DIR/node_modules/.sigfresh-lock"
  fi
fi

# 3. The Rust reference signer.
step "building the Rust oracle (sigfresh-wasm example)"
cargo build --locked -q -p sigfresh-wasm --example oracle
export SIGFRESH_ORACLE="$CARGO_TARGET_DIR/debug/examples/oracle"

# 4. A real browser.
if ! [ -x /usr/bin/chromium ]; then
  step "installing Debian's chromium (browser test)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# 5. The IMDS emulator of the sources issue (skipped loudly by the test if it cannot be had).
EMU_DIR="${SIGFRESH_EMULATOR_DIR:-$ROOT/target/imds-emulator}"
if ! [ -x "$EMU_DIR/bin/ec2-metadata-mock" ] && [ -f "$ROOT/tests/imds/install-emulator.sh" ]; then
  step "installing the IMDS emulator (tests/imds/install-emulator.sh)"
  bash "$ROOT/tests/imds/install-emulator.sh" || echo "warning: the IMDS emulator could not be installed; its tests will skip" >&2
fi

# 6. The tests.
step "node --test (against node/dist)"
cd "$NODE_DIR"
node --test --test-concurrency=1 test/*.test.mjs
echo "node tests finished in $(($(date +%s) - started)) s"
