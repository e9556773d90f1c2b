#!/usr/bin/env bash
# Installs the two IMDS emulators the `source_emulator` tests drive, at pinned versions, into
# target/imds-emulator/ (override with SIGFRESH_EMULATOR_DIR). Idempotent: an install at the
# pinned version is kept; anything else is replaced.
#
#   amazon-ec2-metadata-mock (AWS, Go)   -> $DIR/bin/ec2-metadata-mock        (go install)
#   moto[server] (Python)                -> $DIR/moto-venv/bin/moto_server    (pip, in a venv)
#
# Needs `go` (the Go module proxy) and `python3` with the venv module (PyPI).
set -euo pipefail
cd "$(dirname "$0")/../.."

AEMM_MODULE=github.com/aws/amazon-ec2-metadata-mock
AEMM_VERSION=v1.13.0
MOTO_VERSION=5.1.4
DIR="${SIGFRESH_EMULATOR_DIR:-$PWD/target/imds-emulator}"
mkdir -p "$DIR/bin"

aemm="$DIR/bin/ec2-metadata-mock"
if [ -x "$aemm" ] && go version -m "$aemm" 2>/dev/null | grep -q "mod	$AEMM_MODULE	$AEMM_VERSION"; then
  echo "amazon-ec2-metadata-mock $AEMM_VERSION already at $aemm"
else
  echo "installing amazon-ec2-metadata-mock $AEMM_VERSION into $DIR/bin"
  GOBIN="$DIR/bin" go install "$AEMM_MODULE/cmd/ec2-metadata-mock@$AEMM_VERSION"
fi
"$aemm" --version >/dev/null

venv="$DIR/moto-venv"
have_moto() {
  [ -x "$venv/bin/moto_server" ] &&
    [ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$MOTO_VERSION" ]
}
if have_moto; then
  echo "moto $MOTO_VERSION already at $venv"
else
  echo "installing moto[server]==$MOTO_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  have_moto
fi
echo "IMDS emulators ready in $DIR"
