// AWS Signature Version 4 in the browser (WebCrypto): the secret key never leaves this page,
// only signatures made with it do.
const encoder = new TextEncoder();

function hex(buffer) {
  return [...new Uint8Array(buffer)].map(b => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key, text) {
  const k = await crypto.subtle.importKey('raw', typeof key === 'string' ? encoder.encode(key) : key,
      {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, encoder.encode(text));
}

/** RFC 3986 percent-encoding of UTF-8 bytes, as S3 canonicalises; '/' kept in paths. */
export function uriEncode(text, keepSlash) {
  let out = '';
  for (const b of encoder.encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/') ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function canonicalQuery(params) {
  return Object.entries(params).map(([k, v]) => [uriEncode(k), uriEncode(String(v ?? ''))])
      .sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)
      .map(([k, v]) => k + '=' + v).join('&');
}

function stamp(now) {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {amzDate, day: amzDate.slice(0, 8)};
}

async function signature(creds, day, stringToSign) {
  let key = await hmac('AWS4' + creds.secretKey, day);
  key = await hmac(key, creds.region);
  key = await hmac(key, 's3');
  key = await hmac(key, 'aws4_request');
  return hex(await hmac(key, stringToSign));
}

async function stringToSign(amzDate, scope, canonicalRequest) {
  return ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonicalRequest)].join('\n');
}

/** Headers that sign a request whose body is not hashed (UNSIGNED-PAYLOAD): path is decoded ("/bucket/key"). */
export async function signHeaders(creds, method, path, params, host) {
  const {amzDate, day} = stamp(new Date());
  const payload = 'UNSIGNED-PAYLOAD';
  const scope = `${day}/${creds.region}/s3/aws4_request`;
  const canonicalRequest = [method, uriEncode(path, true), canonicalQuery(params),
    `host:${host}\nx-amz-content-sha256:${payload}\nx-amz-date:${amzDate}\n`, 'host;x-amz-content-sha256;x-amz-date', payload].join('\n');
  const sig = await signature(creds, day, await stringToSign(amzDate, scope, canonicalRequest));
  return {
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payload,
    'authorization': `AWS4-HMAC-SHA256 Credential=${creds.accessKey}/${scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${sig}`,
  };
}

/** A presigned URL's query (path relative to this origin), valid for expiresSeconds. */
export async function presignQuery(creds, method, path, params, host, expiresSeconds) {
  const {amzDate, day} = stamp(new Date());
  const scope = `${day}/${creds.region}/s3/aws4_request`;
  const all = {...params, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': `${creds.accessKey}/${scope}`,
    'X-Amz-Date': amzDate, 'X-Amz-Expires': String(expiresSeconds), 'X-Amz-SignedHeaders': 'host'};
  const canonicalRequest = [method, uriEncode(path, true), canonicalQuery(all), `host:${host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  all['X-Amz-Signature'] = await signature(creds, day, await stringToSign(amzDate, scope, canonicalRequest));
  return canonicalQuery(all);
}
