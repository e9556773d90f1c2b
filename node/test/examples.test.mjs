// The README's runnable examples are node/examples/*.mjs, verbatim: each must appear in the
// README as written and run against the built package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NODE_DIR } from './helpers.mjs';

const readme = readFileSync(join(NODE_DIR, 'README.md'), 'utf8');
const expected = {
  'sign.mjs': /authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}'/,
  'presign-s3.mjs': /X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}\n$/,
  'cache.mjs': /^1 fetch; next refresh at \S+\nx-amz-date, x-amz-security-token, authorization\n$/,
};

for (const name of readdirSync(join(NODE_DIR, 'examples'))) {
  test(`README example ${name} is in the README and runs`, () => {
    const code = readFileSync(join(NODE_DIR, 'examples', name), 'utf8');
    assert.ok(readme.includes(`<!-- example: examples/${name} -->\n\`\`\`js\n${code}\`\`\``), `${name} differs from the README`);
    const r = spawnSync(process.execPath, [join('examples', name)], { cwd: NODE_DIR, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, expected[name] ?? /./);
  });
}
