import { sign } from 'sigfresh';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const request = {
  method: 'POST',
  url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'widget' }),
};
const signed = sign(request, credentials, { region: 'eu-west-1', service: 'execute-api' });

// Send the request with the signed headers, e.g.
// await fetch(request.url, { ...request, headers: { ...request.headers, ...signed.headers } });
console.log(signed.headers);
