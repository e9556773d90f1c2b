#!/usr/bin/env python3
"""Writes the conformance corpus's document and error-classification cases from the
hand-written expectations the core's own tests use:

  tests/documents/*/cases.json  ->  tests/vectors/documents/*.json
  tests/errors/cases.json       ->  tests/vectors/errors/*.json

Inputs stay where they are (tests/documents/, tests/errors/bodies/); each vector names its input
file. Only what every host can observe is carried over: credential fields, source, error kind
(plus the field or code the error must mention); for errors the action, kind, code, message,
skew and server time. Offsets, Debug forms and profile lookups stay in core/tests/documents.rs
and core/tests/classify.rs. Nothing here is produced by sigfresh: it is a change of format.

Usage: python3 tests/vectors/tools/import_corpus.py          rewrite the vectors
       python3 tests/vectors/tools/import_corpus.py --check  fail if they are out of date
"""
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SRC = os.path.join(ROOT, "tests", "documents")
VECTORS = os.path.join(ROOT, "tests", "vectors")


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


SOURCES = {
    "InstanceMetadata": "instance_metadata",
    "ContainerEndpoint": "container_endpoint",
    "Process": "process",
    "Sso": "sso",
    "Sts": "sts",
    "Environment": "environment",
    "Profile": "profile",
}


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70].strip("-")


def ok(o):
    e = {}
    for k in ("access_key_id", "secret_access_key", "session_token", "expiry_ms", "account_id"):
        if k in o:
            e[k] = o[k]
    if "source" in o and o["source"] in SOURCES:
        e["source"] = SOURCES[o["source"]]
    return e


def error(o):
    kind = o["kind"]
    # The error kinds of the C ABI (SIGFRESH_DOCUMENT_*), lowercased without the prefix.
    e = {"error": "document_" + snake(kind)}
    if "field" in o:
        e["mentions"] = o["field"]
    if "code" in o:
        e["mentions_code"] = o["code"]
    return e


def error_vectors():
    out = {}
    cases = json.load(open(os.path.join(ROOT, "tests", "errors", "cases.json")))
    for c in cases["cases"]:
        exp = c["expected"]
        e = {"action": snake(exp["action"]), "kind": snake(exp["kind"])}
        for k in ("code", "message", "skew_ms", "server_time", "offset_after_ms"):
            if k in exp:
                e[k] = exp[k]
        if "skew_verdict" in exp:
            e["skew_verdict"] = snake(exp["skew_verdict"])
        v = {
            "description": c["name"].replace("_", " "),
            "status": c["status"],
            "headers": c["headers"],
            "body_file": "tests/errors/bodies/" + c["body"] if c["body"] else None,
            "local_now": c.get("local_now", cases["default_local_now"]),
            "expect": e,
        }
        if "must_not_contain" in c:
            v["must_not_contain"] = c["must_not_contain"]
        out[slug(c["name"])] = v
    return out


def document_vectors():
    out = {}
    for fmt in ("imds", "container", "process", "sso", "sts"):
        for c in json.load(open(os.path.join(SRC, fmt, "cases.json")))["cases"]:
            v = {
                "description": c["name"],
                "format": fmt,
                "input": {"file": "tests/documents/%s/%s" % (fmt, c["file"])},
                "expect": ok(c["ok"]) if "ok" in c else error(c["error"]),
            }
            if "pad_to" in c:
                v["input"]["pad_to"] = c["pad_to"]
            out["%s-%s" % (fmt, slug(c["name"]))] = v
    for c in json.load(open(os.path.join(SRC, "env", "cases.json")))["cases"]:
        if "none" in c:
            expect = {"none": True}
        elif "ok" in c:
            expect = ok(c["ok"])
        else:
            expect = error(c["error"])
        out["env-" + slug(c["name"])] = {
            "description": c["name"],
            "format": "env",
            "input": {"env": c["env"]},
            "expect": expect,
        }
    for c in json.load(open(os.path.join(SRC, "profile", "cases.json")))["cases"]:
        files = {}
        for key in ("credentials", "config"):
            if c.get(key):
                files[key + "_file"] = "tests/documents/profile/" + c[key]
        if "error" in c:
            out["profile-" + slug(c["name"])] = {
                "description": c["name"],
                "format": "profile",
                "input": dict(files, profile="default"),
                "expect": error(c["error"]),
            }
            continue
        for chk in c.get("checks", []):
            if "profile" not in chk or "credentials" not in chk:
                continue
            cr = chk["credentials"]
            if cr is None:
                expect = {"none": True}
            elif "error" in cr:
                expect = error(cr["error"])
            else:
                expect = ok(cr)
            out["profile-%s-%s" % (slug(c["name"]), slug(chk["profile"]))] = {
                "description": "%s: profile %s" % (c["name"], chk["profile"]),
                "format": "profile",
                "input": dict(files, profile=chk["profile"]),
                "expect": expect,
            }
    return out


def main():
    check = "--check" in sys.argv[1:]
    status = 0
    for kind, vectors in (("documents", document_vectors), ("errors", error_vectors)):
        status |= sync(os.path.join(VECTORS, kind), "tests/vectors/" + kind, vectors(), check)
    return status


def sync(OUT, label, vectors, check):
    want = {k + ".json": json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for k, v in vectors.items()}
    os.makedirs(OUT, exist_ok=True)
    have = {f: open(os.path.join(OUT, f), encoding="utf-8").read()
            for f in os.listdir(OUT) if f.endswith(".json")}
    stale = sorted(set(want) ^ set(have) | {f for f in want if have.get(f) != want[f]})
    if check:
        if stale:
            print("%s is out of date with its source (run %s): %s" % (label, sys.argv[0], stale))
            return 1
        print("%s: %d cases, up to date" % (label, len(want)))
        return 0
    for f in set(have) - set(want):
        os.remove(os.path.join(OUT, f))
    for f, text in want.items():
        with open(os.path.join(OUT, f), "w", encoding="utf-8") as fh:
            fh.write(text)
    print("wrote %d cases to %s" % (len(want), label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
