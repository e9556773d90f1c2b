#!/usr/bin/env python3
"""The generator check across hosts: compares the signatures of generated requests.

Usage: python3 tests/vectors/tools/generated.py DIR --cli SIGFRESH_BIN [--cli-sample N]

DIR holds requests.jsonl and rust.jsonl (cargo run -p sigfresh-peers --example
generated_requests), c.jsonl (tests/c/sign_batch.c), node.jsonl (node/test/sign-batch.mjs) and
java-jni.jsonl / java-panama.jsonl (java/sigfresh/src/test/java/dev/sigfresh/conformance/SignBatch.java).
This script adds two hosts itself:

  - the CLI: `SIGFRESH_BIN sign - ... --print json` on a sample of the requests the CLI has flags
    for (no allow/deny header lists, no precomputed or streaming payloads), one process each;
  - botocore: peers/botocore_sign.py on the botocore-shaped requests (their `botocore` spec).

Every host's signature must equal the Rust core's, and so must the canonical request, string
to sign and Authorization wherever a host reports them (botocore: presigned requests have no
Authorization; a signing error must be the same error everywhere). Any disagreement prints the
request and the differing values and exits 1. Run by tests/vectors/generated.sh.
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIELDS = ("signature", "canonical_request", "string_to_sign", "authorization", "error")


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cli_args(r):
    """The CLI flags for request r, or None when the CLI has no flag for its settings."""
    s = r["settings"]
    if "headers" in s or not isinstance(r["payload"], str) or r["payload"] not in ("bytes", "unsigned"):
        return None
    args = ["sign", "-", "--region", r["region"], "--service", r["service"], "--time", r["amz_time"],
            "--access-key-id", r["access_key_id"], "--secret-access-key", r["secret_access_key"],
            "--print", "json"]
    if r["session_token"] is not None:
        args += ["--session-token", r["session_token"]]
    single, normalize, sha = s["uri_encoding"] == "single", s["path_normalization"], s["content_sha256"]
    if single and not normalize and sha:
        args.append("--s3")
    else:
        if single:
            args.append("--single-encode")
        if not normalize:
            args.append("--no-normalize-path")
        if sha:
            args.append("--sign-body")
    if r["payload"] == "unsigned":
        args.append("--unsigned-payload")
    if s["session_token"] == "append-after-signing":
        args.append("--omit-session-token")
    if "presign_expires" in s:
        args += ["--query", "--expires", str(s["presign_expires"])]
    return args


def raw_request(r):
    head = "%s %s HTTP/1.1\r\n" % (r["method"], r["uri"])
    for name, value in r["headers"]:
        head += "%s: %s\r\n" % (name, value)
    return (head + "\r\n").encode("utf-8") + bytes.fromhex(r["body_hex"])


def sign_cli(binary, requests, sample):
    fit = [r for r in requests if cli_args(r) is not None]
    step = max(1, len(fit) // sample) if sample else 1
    picked = fit[::step][:sample]
    out = {}
    for r in picked:
        p = subprocess.run([binary] + cli_args(r), input=raw_request(r), capture_output=True)
        if p.returncode == 0:
            j = json.loads(p.stdout)
            out[r["id"]] = {k: j.get(k) for k in ("signature", "canonical_request", "string_to_sign")}
            if "presign_expires" not in r["settings"]:
                out[r["id"]]["authorization"] = j.get("authorization")
        else:
            out[r["id"]] = {"error": "cli: " + p.stderr.decode("utf-8", "replace").strip()}
    return out, len(fit)


def sign_botocore(requests, tmp):
    specs = [r["botocore"] for r in requests if r.get("botocore")]
    with open(tmp, "w", encoding="utf-8") as f:
        for s in specs:
            f.write(json.dumps(s) + "\n")
    script = os.path.join(ROOT, "peers", "botocore_sign.py")
    p = subprocess.run([os.environ.get("PYTHON", sys.executable), script, tmp], capture_output=True)
    if p.returncode != 0:
        sys.exit("botocore_sign.py failed (pip install botocore==1.43.11?):\n"
                 + p.stderr.decode("utf-8", "replace"))
    lines = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines() if line.strip()]
    version = lines.pop()["botocore_version"]
    out = {}
    for b in lines:
        r = requests[b["id"]]
        if "error" in b:
            out[b["id"]] = {"error": "botocore: " + b["error"]}
            continue
        got = {k: b[k] for k in ("signature", "canonical_request", "string_to_sign")}
        if "presign_expires" not in r["settings"]:
            got["authorization"] = b["authorization"]
        out[b["id"]] = got
    return out, version


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--cli", required=True)
    ap.add_argument("--cli-sample", type=int, default=100)
    a = ap.parse_args()
    requests = load(os.path.join(a.dir, "requests.jsonl"))
    assert [r["id"] for r in requests] == list(range(len(requests))), "ids are 0..n-1"
    rust = {o["id"]: o for o in load(os.path.join(a.dir, "rust.jsonl"))}
    hosts = {}
    full = ("c", "node", "java-jni", "java-panama")
    for name in full:
        hosts[name] = {o["id"]: o for o in load(os.path.join(a.dir, name + ".jsonl"))}
    hosts["cli"], cli_fit = sign_cli(a.cli, requests, a.cli_sample)
    hosts["botocore"], boto_version = sign_botocore(requests, os.path.join(a.dir, "botocore-specs.jsonl"))

    failures = []
    for host, results in hosts.items():
        if host in full and len(results) != len(requests):
            failures.append("%s signed %d of %d requests" % (host, len(results), len(requests)))
        for i, got in sorted(results.items()):
            want = rust[i]
            diffs = [f for f in FIELDS if f in got and got.get(f) != want.get(f)]
            if "error" in want and "error" not in got:
                diffs.append("error")
            if diffs:
                failures.append("%s disagrees with the Rust core on request %d (%s):\n  request: %s\n%s" % (
                    host, i, ", ".join(diffs), json.dumps(requests[i]),
                    "\n".join("  %s: rust %r\n  %s %s: %r" % (f, want.get(f), " " * len(f), host, got.get(f))
                              for f in diffs)))
    notes = {"c": "every request", "node": "every request", "java-jni": "every request",
             "java-panama": "every request",
             "cli": "a sample of the %d requests it has flags for" % cli_fit,
             "botocore": "the botocore-shaped requests, botocore %s" % boto_version}
    for host, results in hosts.items():
        print("generated (%s): %d requests signed (%s)" % (host, len(results), notes[host]))
    print("generated: %d requests in all, %d signed by the Rust core with an error" % (
        len(requests), sum("error" in o for o in rust.values())))
    if failures:
        for f in failures[:10]:
            print("DISAGREEMENT " + f, file=sys.stderr)
        sys.exit("generated: %d disagreement(s)" % len(failures))
    print("generated: every host agrees with the Rust core")


if __name__ == "__main__":
    main()
