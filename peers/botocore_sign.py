#!/usr/bin/env python3
"""Sign requests with botocore's own SigV4 signers, for peers/tests/botocore_diff.rs.

Usage: python3 peers/botocore_sign.py REQUESTS.jsonl

Each input line is one JSON object:
  id, signer ("v4" | "s3" | "v4query" | "s3query"), method, url,
  params (list of [key, value] decoded pairs, or null), headers (list of [name, value]),
  body_hex, unsigned (bool: turn payload signing off), region, service,
  time (unix seconds), access_key, secret_key, token (or null), expires.

Each output line (same order) is one JSON object with id, canonical_request,
string_to_sign, signature, authorization (or null), url and headers (after signing),
or id and error.

The signing time is fixed by replacing `botocore.auth.get_current_datetime`, the single
function SigV4Auth.add_auth reads the clock through (botocore 1.3x-1.4x). The canonical
request, string to sign and signature are recorded by subclasses that call botocore's own
methods and keep their results; nothing about the algorithm is re-implemented here.

Exit status 3: botocore is not installed (pip install botocore).
"""

import datetime
import json
import sys
from types import SimpleNamespace

try:
    import botocore
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as exc:  # pragma: no cover - environment check
    sys.stderr.write(
        "botocore is not installed for %s: %s\n"
        "install it with: pip install botocore\n" % (sys.executable, exc)
    )
    sys.exit(3)

_NOW = [None]


def _fixed_now(remove_tzinfo=True):
    now = _NOW[0]
    return now.replace(tzinfo=None) if remove_tzinfo else now


botocore.auth.get_current_datetime = _fixed_now


def _recording(base):
    class Recording(base):
        def canonical_request(self, request):
            self.recorded_cr = super().canonical_request(request)
            return self.recorded_cr

        def string_to_sign(self, request, canonical_request):
            self.recorded_sts = super().string_to_sign(request, canonical_request)
            return self.recorded_sts

        def signature(self, string_to_sign, request):
            self.recorded_sig = super().signature(string_to_sign, request)
            return self.recorded_sig

    Recording.__name__ = "Recording" + base.__name__
    return Recording


SIGNERS = {
    "v4": _recording(botocore.auth.SigV4Auth),
    "s3": _recording(botocore.auth.S3SigV4Auth),
    "v4query": _recording(botocore.auth.SigV4QueryAuth),
    "s3query": _recording(botocore.auth.S3SigV4QueryAuth),
}


def sign(spec):
    _NOW[0] = datetime.datetime.fromtimestamp(spec["time"], tz=datetime.timezone.utc)
    creds = Credentials(spec["access_key"], spec["secret_key"], spec.get("token"))
    cls = SIGNERS[spec["signer"]]
    if spec["signer"].endswith("query"):
        signer = cls(creds, spec["service"], spec["region"], expires=spec["expires"])
    else:
        signer = cls(creds, spec["service"], spec["region"])
    body = bytes.fromhex(spec["body_hex"])
    params = [tuple(p) for p in spec["params"]] if spec.get("params") is not None else None
    request = AWSRequest(method=spec["method"], url=spec["url"], data=body, params=params)
    for name, value in spec["headers"]:
        # HTTPHeaders appends on assignment, so repeated names are kept in order.
        request.headers[name] = value
    if spec["signer"] in ("s3", "s3query"):
        request.context["client_config"] = SimpleNamespace(
            s3={"payload_signing_enabled": not spec["unsigned"]}
        )
    elif spec["unsigned"]:
        request.context["payload_signing_enabled"] = False
    signer.add_auth(request)
    return {
        "id": spec["id"],
        "canonical_request": signer.recorded_cr,
        "string_to_sign": signer.recorded_sts,
        "signature": signer.recorded_sig,
        "authorization": request.headers.get("Authorization"),
        "url": request.url,
        "headers": [[k, v] for k, v in request.headers.items()],
    }


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            spec = json.loads(line)
            try:
                result = sign(spec)
            except Exception as exc:  # reported per request, not fatal
                result = {"id": spec.get("id"), "error": "%s: %s" % (type(exc).__name__, exc)}
            out.write(json.dumps(result) + "\n")
    out.write(json.dumps({"botocore_version": botocore.__version__}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
