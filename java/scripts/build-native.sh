#!/usr/bin/env bash
# Builds the native library (sigfresh-ffi with the JNI entry points) and copies it to
# <classes dir>/dev/sigfresh/native/<platform>/ so Maven packs it into the jar.
# Usage: build-native.sh <classes dir>. Honours CARGO_TARGET_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLASSES="${1:?usage: build-native.sh <classes dir>}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux-x86_64 LIB=libsigfresh_ffi.so ;;
  Linux-aarch64) PLATFORM=linux-aarch64 LIB=libsigfresh_ffi.so ;;
  Darwin-arm64) PLATFORM=macos-aarch64 LIB=libsigfresh_ffi.dylib ;;
  Darwin-x86_64) PLATFORM=macos-x86_64 LIB=libsigfresh_ffi.dylib ;;
  *) echo "build-native.sh: unsupported build platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
(cd "$ROOT" && cargo build --release --locked -q -p sigfresh-ffi --features jni)
mkdir -p "$CLASSES/dev/sigfresh/native/$PLATFORM"
cp "$TARGET_DIR/release/$LIB" "$CLASSES/dev/sigfresh/native/$PLATFORM/$LIB"
# The release profile keeps line tables (debug = 1); the jar does not need them.
if command -v strip >/dev/null 2>&1; then strip --strip-debug "$CLASSES/dev/sigfresh/native/$PLATFORM/$LIB"; fi
