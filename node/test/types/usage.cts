// The CommonJS view of the same declarations (dist/index.d.cts).
import sigfresh = require('sigfresh');
const r: sigfresh.SignedRequest = sigfresh.sign({ url: 'https://example.amazonaws.com/' }, { accessKeyId: 'a', secretAccessKey: 'b' }, { region: 'us-east-1', service: 's' });
const c: sigfresh.Credentials = sigfresh.Credentials.from({ accessKeyId: 'a', secretAccessKey: 'b' });
export = { r, c };
