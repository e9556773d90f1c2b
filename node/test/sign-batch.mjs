// The generator check's Node host (tests/vectors/generated.sh): signs every request of a
// requests.jsonl (written by `cargo run -p sigfresh-peers --example generated_requests`) with the
// BUILT package (node/dist) and writes one JSON line per request: id, signature,
// canonical_request, string_to_sign, authorization (null when presigned), or id and error (the
// corpus's error kind, as in conformance.test.mjs).
//
//   node node/test/sign-batch.mjs REQUESTS.jsonl OUT.jsonl
import { readFileSync, writeFileSync } from 'node:fs';
import { Credentials, presign, sign } from 'sigfresh';

const MARKERS = {
  unsigned: 'UNSIGNED-PAYLOAD',
  'streaming-signed': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'streaming-signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'streaming-unsigned-trailer': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
};

function errorKind(code) {
  const c = String(code).replace(/^ERR_/, '').toLowerCase();
  return c.startsWith('document_') ? c : `sign_${c}`;
}

function signOne(r) {
  const s = r.settings;
  const options = { region: r.region, service: r.service, signingDate: r.time * 1000, stages: true };
  options.uriEncoding = s.uri_encoding;
  options.normalizePath = s.path_normalization;
  options.sessionToken = s.session_token;
  options.contentSha256 = s.content_sha256;
  if (s.headers?.allow) options.allowHeaders = s.headers.allow;
  if (s.headers?.deny) options.denyHeaders = s.headers.deny;
  if (typeof r.payload === 'object') options.payloadHash = r.payload.precomputed;
  else if (r.payload !== 'bytes') options.payloadHash = MARKERS[r.payload];
  const req = { method: r.method, url: r.uri, headers: r.headers, body: new Uint8Array(Buffer.from(r.body_hex, 'hex')) };
  const creds = new Credentials({
    accessKeyId: r.access_key_id,
    secretAccessKey: r.secret_access_key,
    sessionToken: r.session_token ?? undefined,
  });
  try {
    if (s.presign_expires !== undefined) {
      const out = presign(req, creds, { ...options, expiresIn: s.presign_expires });
      return { id: r.id, signature: out.signature, canonical_request: out.canonicalRequest, string_to_sign: out.stringToSign, authorization: null };
    }
    const out = sign(req, creds, options);
    return { id: r.id, signature: out.signature, canonical_request: out.canonicalRequest, string_to_sign: out.stringToSign, authorization: out.authorization };
  } catch (e) {
    return { id: r.id, error: errorKind(e.code) };
  }
}

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node node/test/sign-batch.mjs REQUESTS.jsonl OUT.jsonl');
  process.exit(2);
}
const lines = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim());
writeFileSync(output, lines.map((l) => JSON.stringify(signOne(JSON.parse(l)))).join('\n') + '\n');
console.error(`sign-batch: ${lines.length} requests signed through the npm package`);
