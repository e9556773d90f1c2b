#!/usr/bin/env bash
# Runs the core's tests under Miri (nightly): the unit tests, then the integration tests that
# make sense there, with small case counts. What is skipped and why: FUZZING.md ("Miri").
#
#   scripts/miri.sh            everything below (about 6 minutes on 2 cores, cold)
#
# Installs the nightly toolchain and the miri + rust-src components when missing. Uses its own
# target directory (target/miri unless CARGO_TARGET_DIR is set).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! rustup component list --toolchain nightly --installed | grep -q '^miri'; then
  rustup component add miri rust-src --toolchain nightly
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/miri}"
cargo +nightly miri setup

step() { printf '\n== miri: %s ==\n' "$*"; }

# Unit tests: isolation stays on (they read no file, clock or environment). Three tests are
# skipped: each loops over tens of thousands of inputs (minutes under Miri) through code the
# others already cover.
step "unit tests (core/src)"
MIRIFLAGS="${MIRIFLAGS:-}" cargo +nightly miri test -p sigfresh --lib -- \
  --skip classify::body::tests::bounded_and_total \
  --skip time::tests::civil_round_trips_every_day_across_leap_rules \
  --skip sigv4::signing_key::tests::own_sha256_padding_matches_sha2_at_every_length

# Integration tests: the cache with real threads (refresh_cache, torture: Miri's data-race
# detector and weak-memory emulation over the cache and arc-swap) and the source machines.
# Isolation stays on; TORTURE_OPS is forwarded to the torture test. The rest of
# core/tests is left out for time (FUZZING.md lists each with its reason and Miri timing).
step "integration tests (core/tests)"
export TORTURE_OPS="${TORTURE_OPS:-1000}"
MIRIFLAGS="${MIRIFLAGS:-} -Zmiri-env-forward=TORTURE_OPS" cargo +nightly miri test -p sigfresh \
  --test refresh_cache --test torture \
  --test source_imds --test source_container --test source_sts --test source_chain \
  -- \
  --skip exactly_one_of_many_racing_callers_gets_the_lease \
  --skip readers_never_see_a_torn_key_and_secret

# The C ABI crate: its unit tests (handles, tags, the panic boundary) and ffi/tests/abi.rs, the
# ABI called from Rust along the paths the C tests take (Miri cannot run C). Two unit tests that
# read the crate's own source files are ignored under Miri (isolation).
step "C ABI (ffi/src unit tests, ffi/tests/abi.rs)"
MIRIFLAGS="${MIRIFLAGS:-}" cargo +nightly miri test -p sigfresh-ffi --lib --test abi

echo
echo "miri: all selected tests passed"
