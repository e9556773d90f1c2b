#!/usr/bin/env bash
# Builds the npm package into node/dist. Idempotent; run from anywhere.
#
#   1. adds the wasm32-unknown-unknown target (rustup), if missing;
#   2. installs wasm-bindgen-cli at exactly the version Cargo.lock pins for the `wasm-bindgen`
#      crate, into $SIGFRESH_TOOLS_DIR (default ~/.cache/sigfresh-tools), only if missing or of
#      another version (`cargo install` without --locked: --locked fails against the registry);
#   3. installs the npm dev dependencies (npm ci) if node_modules is missing or stale;
#   4. builds sigfresh-wasm three times with the `wasm-release` profile (Node: every feature,
#      with `std`; browser: signing and `Credentials` only; browser "full": everything but the
#      credential sources; both browser builds `no_std` with the `size` feature). The browser
#      builds use a nightly toolchain when one with rust-src is installed or installable
#      (`-Zbuild-std=core,alloc -Cpanic=immediate-abort -Zlocation-detail=none`: a panic traps
#      where it happens, so no panic messages, formatting or source paths are in the page);
#      otherwise, or if that build fails, the stable toolchain, with a warning (the same code,
#      about 3 KB gzipped larger). SIGFRESH_WASM_NIGHTLY=0 forces stable;
#   5. runs wasm-bindgen (--target web --weak-refs) and npm binaryen's wasm-opt -Oz on each;
#   6. bundles the JS (esbuild) and assembles dist/: node/index.cjs + index.mjs, web/index.js,
#      web-full/index.js, the .wasm files and the TypeScript declarations.
#
# Environment: CARGO_TARGET_DIR (default <repo>/target), SIGFRESH_TOOLS_DIR, CARGO_BUILD_JOBS,
# SIGFRESH_WASM_NIGHTLY (0: build the browser wasm with stable Rust), SIGFRESH_NIGHTLY (the
# nightly toolchain's name, default `nightly`).
set -euo pipefail

NODE_DIR="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$NODE_DIR/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
TOOLS_DIR="${SIGFRESH_TOOLS_DIR:-$HOME/.cache/sigfresh-tools}"
BUILD="$NODE_DIR/build"
DIST="$NODE_DIR/dist"
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli, the exact version of the crate in Cargo.lock.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
PINNED="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' wasm/Cargo.toml)"
if [ -z "$WB_VERSION" ] || [ "$WB_VERSION" != "$PINNED" ]; then
  echo "error: Cargo.lock has wasm-bindgen '$WB_VERSION' but wasm/Cargo.toml pins '=$PINNED'" >&2
  exit 1
fi
WB_ROOT="$TOOLS_DIR/wasm-bindgen-$WB_VERSION"
WB="$WB_ROOT/bin/wasm-bindgen"
if ! [ -x "$WB" ] || [ "$("$WB" --version 2>/dev/null)" != "wasm-bindgen $WB_VERSION" ]; then
  step "installing wasm-bindgen-cli $WB_VERSION into $WB_ROOT (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_ROOT" --force
fi

# 3. npm dev dependencies (esbuild, binaryen's wasm-opt, test peers).
LOCK_SUM="$(sha256sum "$NODE_DIR/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$NODE_DIR/node_modules/.sigfresh-lock" 2>/dev/null)" != "$LOCK_SUM" ]; then
  step "installing npm dependencies (npm ci)"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$LOCK_SUM" > "$NODE_DIR/node_modules/.sigfresh-lock"
fi
WASM_OPT="$NODE_DIR/node_modules/.bin/wasm-opt"
ESBUILD="$NODE_DIR/node_modules/.bin/esbuild"

# The browser builds' toolchain: nightly with rust-src (build-std), else stable.
NIGHTLY="${SIGFRESH_NIGHTLY:-nightly}"
use_nightly=0
if [ "${SIGFRESH_WASM_NIGHTLY:-1}" != 0 ]; then
  if ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
    step "installing $NIGHTLY with rust-src (the browser builds' build-std)"
    rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src ||
      echo "warning: could not install $NIGHTLY; the browser builds use stable Rust" >&2
  fi
  if rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
    use_nightly=1
  fi
fi
NIGHTLY_FLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"

# 4-5. Three wasm builds: name, wasm-opt passes, cargo flags. Node is built for speed (the
# profile's opt-level 3, wasm-opt -O4), the browser builds for size (opt-level "z", no_std, the
# crate's `size` feature: talc and the compact SHA-256; wasm-opt -Oz run to a fixed point).
SIZE='--config profile.wasm-release.opt-level="z"'
variants=(
  "node|-O4|"
  "web|-Oz --converge|--no-default-features --features size $SIZE"
  "web-full|-Oz --converge|--no-default-features --features documents,verify,classify,cache,skew,size $SIZE"
)
WASM_OUT="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/sigfresh_wasm.wasm"
rm -rf "$BUILD" "$DIST"
mkdir -p "$BUILD" "$DIST"
: > "$BUILD/toolchains"
for v in "${variants[@]}"; do
  IFS='|' read -r name opt flags <<<"$v"
  built=0
  if [ "$name" != node ] && [ "$use_nightly" = 1 ]; then
    step "cargo +$NIGHTLY build sigfresh-wasm ($name: $flags, build-std, panic=immediate-abort)"
    # shellcheck disable=SC2086
    if CARGO_TARGET_DIR="$TARGET_DIR" RUSTFLAGS="$NIGHTLY_FLAGS" cargo "+$NIGHTLY" build --locked \
      -p sigfresh-wasm --target wasm32-unknown-unknown --profile wasm-release $flags \
      -Zbuild-std=core,alloc; then
      built=1
      echo "$name $(rustc "+$NIGHTLY" --version)" >> "$BUILD/toolchains"
    else
      echo "warning: the $NIGHTLY build of $name failed; building it with stable Rust (larger)" >&2
    fi
  fi
  if [ "$built" = 0 ]; then
    step "cargo build sigfresh-wasm ($name: ${flags:-all features})"
    # shellcheck disable=SC2086
    CARGO_TARGET_DIR="$TARGET_DIR" cargo build --locked -p sigfresh-wasm --target wasm32-unknown-unknown \
      --profile wasm-release $flags
    echo "$name $(rustc --version)" >> "$BUILD/toolchains"
  fi
  mkdir -p "$BUILD/$name" "$DIST/$name"
  "$WB" --target web --weak-refs --out-dir "$BUILD/$name" --out-name sigfresh "$WASM_OUT"
  # shellcheck disable=SC2086
  "$WASM_OPT" $opt --strip-debug --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$BUILD/$name/sigfresh_bg.wasm" -o "$DIST/$name/sigfresh_bg.wasm"
done

# 6. JavaScript.
step "bundling JavaScript"
cd "$NODE_DIR"
"$ESBUILD" src/entry-node.js --bundle --format=cjs --platform=node --target=node18 \
  --alias:sigfresh-glue=./build/node/sigfresh.js --log-override:empty-import-meta=silent \
  --legal-comments=none --outfile=dist/node/index.cjs --log-level=warning
mv "$DIST/node/sigfresh_bg.wasm" "$DIST/node/sigfresh.wasm"
# Node ESM: a wrapper over the CommonJS bundle, so both module systems share one instance.
node -e '
  const names = Object.keys(require(process.argv[1])).filter((n) => n !== "default").sort();
  const lines = [
    "// Node ESM entry: re-exports the CommonJS build, so ESM and CommonJS code share one instance.",
    "import m from \"./index.cjs\";",
    ...names.map((n) => `export const ${n} = m.${n};`),
    "export default m;",
    "",
  ];
  require("fs").writeFileSync(process.argv[2], lines.join("\n"));
' "$DIST/node/index.cjs" "$DIST/node/index.mjs"
for name in web web-full; do
  "$ESBUILD" "src/entry-$name.js" --bundle --format=esm --platform=browser --target=es2020 --minify \
    --alias:sigfresh-glue="./build/$name/sigfresh.js" --legal-comments=none \
    --outfile="dist/$name/index.js" --log-level=warning
done
cp src/index.d.ts dist/index.d.ts
cp src/index.d.ts dist/index.d.cts
step "built $DIST"
sed 's/^/  toolchain: /' "$BUILD/toolchains"
( cd "$DIST" && find . -type f | sort | while read -r f; do printf '  %8d  %s\n' "$(wc -c < "$f")" "$f"; done )
