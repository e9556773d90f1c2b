#!/usr/bin/env bash
# Runs the tests of the AWS SDK adapters only (sigfresh-aws-sdk-v2: differential against the SDK
# v2 signer, known differences, STS client over IMDS; sigfresh-aws-sdk-v1: STS client over IMDS),
# each on the current JDK through Panama and on JDK 17 through JNI. It builds the core jar (with
# the native library) but skips the core's own tests; `mvn verify` in java/ runs everything.
#
# IMDS: amazon-ec2-metadata-mock from tests/imds/install-emulator.sh when installed, else an
# in-process fake; with SIGFRESH_REQUIRE_EMULATOR=1 a missing emulator fails the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -ntp -pl sigfresh-aws-sdk-v2,sigfresh-aws-sdk-v1 -am verify \
  -Dit.test='SdkV*Test,Sigfresh*Test,BindingInUseTest' -Dfailsafe.failIfNoSpecifiedTests=false "$@"
