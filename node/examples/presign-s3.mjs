import { presign, sign } from 'sigfresh';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const s3 = { region: 'us-east-1', service: 's3', s3: true, payloadHash: 'UNSIGNED-PAYLOAD' };
const object = { url: 'https://examplebucket.s3.amazonaws.com/photos/cat.jpg' };

// A GET signed in headers (S3 over TLS usually signs UNSIGNED-PAYLOAD) ...
console.log(sign(object, credentials, s3).headers.authorization);
// ... and a link anyone can open for 15 minutes (at most 604800 s).
console.log(presign(object, credentials, { ...s3, expiresIn: 900 }).url);
