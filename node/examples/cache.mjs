import { CredentialCache, sign } from 'sigfresh';

let fetches = 0;
// Any async source: your credential broker, STS, Cognito... (here: a stub valid for an hour).
async function fetchCredentials() {
  fetches++;
  return {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
    expiration: new Date(Date.now() + 3600_000),
  };
}

const cache = new CredentialCache(fetchCredentials, { backgroundRefresh: true });

// A hundred concurrent requests: one fetch; each signs with the same fresh credentials.
const all = await Promise.all(Array.from({ length: 100 }, () => cache.get()));
const signed = sign({ url: 'https://sqs.us-east-1.amazonaws.com/' }, all[0], { region: 'us-east-1', service: 'sqs' });
console.log(fetches, 'fetch;', 'next refresh at', cache.nextRefreshAt().toISOString());
console.log(Object.keys(signed.headers).join(', '));
// The background timer is unref'd: the process exits here.
