#!/usr/bin/env python3
"""Regenerates the byte-format seed corpora in fuzz/seeds/ from the repository's test data
(tests/documents, tests/errors, tests/vectors/sigv4-suite). The structured targets (env,
source_*) are not generated here: their seeds (cmin-*) are the largest entries of a short run's
corpus. Inputs of fixed findings (finding-*) are kept when a directory is regenerated.

Run from anywhere: python3 fuzz/seeds/make_seeds.py
"""
import json
import pathlib
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fuzz" / "seeds"
DOCS = ROOT / "tests" / "documents"
SUITE = ROOT / "tests" / "vectors" / "sigv4-suite"
ERRORS = ROOT / "tests" / "errors"


def fresh(target):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    for f in d.iterdir():
        if not f.name.startswith("finding-"):
            f.unlink()
    return d


def copy(target, files):
    d = fresh(target)
    for f in files:
        shutil.copy(f, d / f"{f.parent.name}-{f.name}")


# A few real samples per format: valid ones and characteristic failures.
DOC_PICKS = {
    "imds": ["valid-basic.json", "valid-bom-crlf.json", "valid-no-code-escapes.json",
             "error-code.json", "duplicate-token.json", "truncated.json"],
    "container": ["valid-account-and-arn.json", "valid-eks-pod-identity.json",
                  "error-shape.json", "bad-utf8-in-string.json", "token-with-space.json"],
    "process": ["valid-full.json", "valid-windows-bom-crlf.json", "version-2.json",
                "duplicate-access-key-id.json", "trailing-comma.json"],
    "sso": ["valid.json", "expiration-float.json", "null-session-token.json",
            "role-credentials-not-object.json", "duplicate-role-credentials.json"],
    "sts": ["valid-assume-role.xml", "valid-session-token-entities-cdata.xml",
            "valid-web-identity-prefixed.xml", "error-access-denied.xml",
            "doctype-billion-laughs.xml", "element-inside-secret.xml", "undeclared-prefix.xml"],
}
for fmt, names in DOC_PICKS.items():
    copy(f"document_{fmt}", [DOCS / fmt / n for n in names])
copy("document_any", [DOCS / fmt / names[0] for fmt, names in DOC_PICKS.items()]
     + [DOCS / "imds" / "error-code.json", DOCS / "sts" / "error-access-denied.xml"])

# profile: u16 LE split (end of the credentials file), a byte saying which files exist, text.
d = fresh("profile")
prof = DOCS / "profile"
for i, (creds, config) in enumerate([("basic.credentials", "basic.config"),
                                      ("windows.credentials", "bad-line.config"),
                                      ("bad-keys.credentials", "bad-header.config")]):
    c = (prof / creds).read_bytes()
    g = (prof / config).read_bytes()
    (d / f"pair-{i}").write_bytes(struct.pack("<HB", len(c), 3) + c + g)

# raw_request: the suite's request files.
REQS = ["get-vanilla", "get-header-value-multiline", "get-utf8", "normalize-path",
        "post-sts-token", "post-x-www-form-urlencoded", "get-vanilla-query-order-key-case"]
copy("raw_request", [SUITE / n / f"{n}.req" for n in REQS if (SUITE / n / f"{n}.req").exists()])

# sigv4_roundtrip: a 20-byte control prefix (flags u16, ...) then a suite request.
d = fresh("sigv4_roundtrip")
FLAGS = [0x0000, 0x0200, 0x0100 | 0x0200, 0x0002 | 0x0020, 0x0010 | 0x0200, 0x0400 | 0x0004]
for i, n in enumerate(REQS):
    req = SUITE / n / f"{n}.req"
    if not req.exists():
        continue
    flags = FLAGS[i % len(FLAGS)]
    ctl = struct.pack("<H", flags) + bytes([i, 0x84, 0x03, i % 5, 4, i * 8]) + struct.pack("<i", 0)
    ctl = ctl.ljust(20, b"\0")
    (d / n).write_bytes(ctl + req.read_bytes())

# time: Date headers in the three HTTP formats, RFC 3339, x-amz-date, epochs.
d = fresh("time")
for i, s in enumerate(["Sun, 30 Aug 2015 12:46:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                       "Sun Nov  6 08:49:37 1994", "2023-11-15T04:13:20Z",
                       "2023-11-15T04:13:20.123+05:30", "20150830T123600Z", "1700000000",
                       "1700000000123", "9999-12-31T23:59:59.999Z"]):
    (d / f"t{i}").write_text(s)

# classify: status u16 LE, flags, i32 LE clock offset, header lines, blank line, body.
d = fresh("classify")
cases = json.loads((ERRORS / "cases.json").read_text())["cases"]
for c in cases[::3]:
    head = "".join(f"{n}: {v}\r\n" for n, v in c.get("headers", []))
    body = (ERRORS / "bodies" / c["body"]).read_bytes() if c.get("body") else b""
    prefix = struct.pack("<HBi", c["status"], 1, 0)
    (d / c["name"]).write_bytes(prefix + head.encode() + b"\r\n" + body)
print("seeds written to", SEEDS)
