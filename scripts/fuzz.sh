#!/usr/bin/env bash
# Runs every cargo-fuzz target of the core (fuzz/, see FUZZING.md) for SECONDS each.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 60 s, every target
#
# Installs what it needs when missing (the nightly toolchain, cargo-fuzz from crates.io into
# the default cargo bin), builds once, then runs each target on a scratch corpus
# (fuzz/corpus/<target>, not committed) seeded from the committed fuzz/seeds/<target>, and
# prints executions and findings per target. Exits non-zero if any target crashed; the input
# is in fuzz/artifacts/<target>/ (reproduce: see FUZZING.md).
#
# Environment:
#   FUZZ_SANITIZER  cargo fuzz --sanitizer (default: none — the core is safe Rust and
#                   debug assertions/overflow checks stay on; "address" for ASan)
#   FUZZ_JOBS       parallel fuzzing processes per target (default 1)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-max_len=8192"
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
shift || true
sanitizer="${FUZZ_SANITIZER:-none}"
jobs="${FUZZ_JOBS:-1}"
case "$secs" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

cd fuzz
build_flags=(--sanitizer "$sanitizer")
cargo +nightly fuzz build "${build_flags[@]}"

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT
failed=()
total=0
printf '\n%-20s %12s %10s %8s  %s\n' target executions exec/s corpus finding
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t" "seeds/$t"
  log="$logdir/$t.log"
  status=0
  # shellcheck disable=SC2086
  cargo +nightly fuzz run "${build_flags[@]}" --jobs "$jobs" "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
  # With --jobs > 1 libFuzzer writes per-job logs (fuzz-N.log) in the current directory.
  if [ "$jobs" -gt 1 ]; then cat fuzz-*.log >>"$log" 2>/dev/null || true; rm -f fuzz-*.log; fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  corpus=$(find "corpus/$t" -type f | wc -l)
  total=$((total + execs))
  finding="none"
  if [ "$status" -ne 0 ] || grep -qE '^==[0-9]+==ERROR|panicked at|deadly signal' "$log"; then
    artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n1 | sed 's/Test unit written to //')
    finding="CRASH ${artifact:-(see log)}"
    failed+=("$t")
    echo "---- $t: last lines of the log ----" >&2
    grep -E 'panicked at|ERROR|SUMMARY|Test unit written' "$log" | head -n 20 >&2 || true
    tail -n 30 "$log" >&2
  fi
  printf '%-20s %12s %10s %8s  %s\n' "$t" "$execs" "$rate" "$corpus" "$finding"
done
printf '%-20s %12s\n' total "$total"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)  seconds/target: $secs  sanitizer: $sanitizer"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no findings"
