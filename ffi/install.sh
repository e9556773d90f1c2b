#!/usr/bin/env bash
# Builds the release static and shared libraries of sigfresh's C ABI and installs them with the
# header, a pkg-config file and a CMake package file:
#
#   PREFIX/include/sigfresh.h
#   PREFIX/lib/libsigfresh.a
#   PREFIX/lib/libsigfresh.so -> libsigfresh.so.<soversion> -> libsigfresh.so.<version>
#   PREFIX/lib/pkgconfig/sigfresh.pc          (pkg-config --cflags --libs [--static] sigfresh)
#   PREFIX/lib/cmake/sigfresh/sigfresh-config.cmake   (find_package(sigfresh))
#
# Usage: ffi/install.sh PREFIX        (honours CARGO_TARGET_DIR; Linux)
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
mkdir -p "$1"
PREFIX="$(cd "$1" && pwd)"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
MAJOR="${VERSION%%.*}"
REST="${VERSION#*.}"
MINOR="${REST%%.*}"
# 0.x releases break compatibility on the minor version, later ones on the major.
if [ "$MAJOR" = 0 ]; then SOVERSION="0.$MINOR"; else SOVERSION="$MAJOR"; fi
SONAME="libsigfresh.so.$SOVERSION"

# The static library, and the system libraries it needs (printed by rustc).
BUILD_LOG="$(cargo rustc --release --locked -p sigfresh-ffi --lib --crate-type staticlib -- \
  --print native-static-libs 2>&1)" || { printf '%s\n' "$BUILD_LOG" >&2; exit 1; }
printf '%s\n' "$BUILD_LOG" >&2
LIBS_PRIVATE="$(printf '%s\n' "$BUILD_LOG" | sed -n 's/.*native-static-libs: //p' | tail -1)"
if [ -z "$LIBS_PRIVATE" ]; then
  LIBS_PRIVATE="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
fi
cp "$TARGET_DIR/release/libsigfresh_ffi.a" "$TARGET_DIR/release/libsigfresh.a.staged"
# The shared library, with a SONAME so programs record the compatible version.
cargo rustc --release --locked -p sigfresh-ffi --lib --crate-type cdylib -- \
  -C "link-arg=-Wl,-soname,$SONAME"

install -d "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/sigfresh"
install -m 644 include/sigfresh.h "$PREFIX/include/sigfresh.h"
install -m 644 "$TARGET_DIR/release/libsigfresh.a.staged" "$PREFIX/lib/libsigfresh.a"
rm -f "$TARGET_DIR/release/libsigfresh.a.staged"
install -m 755 "$TARGET_DIR/release/libsigfresh_ffi.so" "$PREFIX/lib/libsigfresh.so.$VERSION"
ln -sf "libsigfresh.so.$VERSION" "$PREFIX/lib/$SONAME"
ln -sf "$SONAME" "$PREFIX/lib/libsigfresh.so"
CMAKE_LIBS="$(echo "$LIBS_PRIVATE" | sed 's/-l//g; s/ \+/;/g')"
sed -e "s|@PREFIX@|$PREFIX|" -e "s|@VERSION@|$VERSION|" -e "s|@LIBS_PRIVATE@|$LIBS_PRIVATE|" \
  ffi/sigfresh.pc.in > "$PREFIX/lib/pkgconfig/sigfresh.pc"
sed -e "s|@VERSION@|$VERSION|" -e "s|@SONAME@|$SONAME|" -e "s|@CMAKE_LIBS_PRIVATE@|$CMAKE_LIBS|" \
  ffi/sigfresh-config.cmake.in > "$PREFIX/lib/cmake/sigfresh/sigfresh-config.cmake"
echo "installed sigfresh $VERSION into $PREFIX (soname $SONAME)"
