#!/usr/bin/env bash
# Everything for the Java binding from a fresh clone: builds the native library (cargo, with the
# `jni` feature), the multi-release jar, and runs the JUnit 5 tests three times from the jar:
# JDK 25 + JNI, JDK 25 + Panama, JDK 17 + JNI. Also checks that the `jni` feature leaves the
# committed C header unchanged.
#
# Needs: Rust (cargo), Maven, Temurin 25 and OpenJDK 17 (paths below, overridable).
# Env: CARGO_TARGET_DIR (honoured), JAVA25_HOME, JDK17_JAVA, SIGFRESH_REQUIRE_EMULATOR=1 (the
# IMDS emulator test fails instead of skipping when amazon-ec2-metadata-mock is missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
JAVA25_HOME="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JDK17_JAVA="${JDK17_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"

echo "== java: the jni feature does not change include/sigfresh.h =="
cargo build --locked -q -p sigfresh-ffi --features jni
git diff --exit-code include/sigfresh.h

echo "== java: mvn clean verify (JDK 25 jni + panama, JDK 17 jni) =="
JAVA_HOME="$JAVA25_HOME" mvn -B -ntp -q -f java/pom.xml clean verify -Djdk17.java="$JDK17_JAVA" "$@"

for f in java/sigfresh-aws-sdk-v*/target/failsafe-reports/failsafe-summary.xml; do
  [ -f "$f" ] || continue   # not built in this run (e.g. -pl sigfresh)
  n="$(grep -o '<completed>[0-9]*' "$f" | grep -o '[0-9]*$')"
  echo "java: $(echo "$f" | cut -d/ -f2): $n tests passed (JDK 25 + Panama, JDK 17 + JNI)"
done
for d in java/sigfresh/target/failsafe-reports/*/; do
  n="$(grep -o '<completed>[0-9]*' "$d/summary.xml" | grep -o '[0-9]*$')"
  echo "java: $(basename "$d"): $n tests passed"
done
