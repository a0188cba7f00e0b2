// The S3 API and MooseNG's admin calls of the gateway this page came from, signed in the browser.
import {canonicalQuery, presignQuery, signHeaders, uriEncode} from './sigv4.js';

const PART_BYTES = 8 * 1024 * 1024;
const PARALLEL_PARTS = 3;

export class S3Error extends Error {
  constructor(status, code, message) {
    super(`${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

function xml(text) {
  return new DOMParser().parseFromString(text, 'application/xml');
}

function texts(node, tag) {
  return [...node.getElementsByTagName(tag)].map(e => e.textContent);
}

export class S3Api {
  constructor(creds) {
    this.creds = creds;
    this.host = location.host;
  }

  /** One signed call; @return the Response, or throws S3Error with the gateway's code. */
  async call(method, path, params = {}, body = undefined) {
    const headers = await signHeaders(this.creds, method, path, params, this.host);
    const query = canonicalQuery(params);
    const response = await fetch(uriEncode(path, true) + (query ? '?' + query : ''), {method, headers, body});
    if (!response.ok) {
      const text = await response.text();
      const doc = text ? xml(text) : null;
      const code = doc ? texts(doc, 'Code')[0] : null;
      throw new S3Error(response.status, code || String(response.status), (doc && texts(doc, 'Message')[0]) || response.statusText);
    }
    return response;
  }

  /** A MooseNG admin call (administrator keys only): its JSON answer. */
  async admin(method, path, call, params = {}) {
    return (await this.call(method, path, {'mooseng-admin': call, ...params})).json();
  }

  async listBuckets() {
    const doc = xml(await (await this.call('GET', '/')).text());
    return [...doc.getElementsByTagName('Bucket')].map(b => texts(b, 'Name')[0]);
  }

  /** One level of a bucket under prefix: {folders, objects}, every page of it. */
  async listLevel(bucket, prefix) {
    const folders = [];
    const objects = [];
    let token = null;
    do {
      const params = {'list-type': '2', 'delimiter': '/', 'prefix': prefix};
      if (token) params['continuation-token'] = token;
      const doc = xml(await (await this.call('GET', `/${bucket}`, params)).text());
      for (const p of doc.getElementsByTagName('CommonPrefixes')) folders.push(texts(p, 'Prefix')[0]);
      for (const c of doc.getElementsByTagName('Contents')) {
        objects.push({key: texts(c, 'Key')[0], size: Number(texts(c, 'Size')[0]), modified: texts(c, 'LastModified')[0]});
      }
      token = texts(doc, 'IsTruncated')[0] === 'true' ? texts(doc, 'NextContinuationToken')[0] : null;
    } while (token);
    return {folders, objects};
  }

  async deleteObject(bucket, key) {
    await this.call('DELETE', `/${bucket}/${key}`);
  }

  /** Uploads a File: one PUT when small, else a multipart upload of PART_BYTES parts, a few at a time. */
  async upload(bucket, key, file, onProgress) {
    const path = `/${bucket}/${key}`;
    if (file.size <= PART_BYTES) {
      await this.call('PUT', path, {}, file);
      onProgress(file.size, file.size);
      return;
    }
    const init = xml(await (await this.call('POST', path, {uploads: ''})).text());
    const uploadId = texts(init, 'UploadId')[0];
    const count = Math.ceil(file.size / PART_BYTES);
    const etags = new Array(count);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const part = file.slice(index * PART_BYTES, Math.min(file.size, (index + 1) * PART_BYTES));
        const response = await this.call('PUT', path, {partNumber: String(index + 1), uploadId}, part);
        etags[index] = response.headers.get('etag');
        done += part.size;
        onProgress(done, file.size);
      }
    };
    try {
      await Promise.all(Array.from({length: Math.min(PARALLEL_PARTS, count)}, worker));
    } catch (e) {
      await this.call('DELETE', path, {uploadId}).catch(() => {});
      throw e;
    }
    const body = '<CompleteMultipartUpload>' + etags.map((etag, i) =>
        `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('') + '</CompleteMultipartUpload>';
    await this.call('POST', path, {uploadId}, body);
  }

  /** A presigned GET the browser downloads by itself (streamed to disk, not through this page's memory). */
  async downloadUrl(bucket, key) {
    const path = `/${bucket}/${key}`;
    const name = key.slice(key.lastIndexOf('/') + 1);
    const query = await presignQuery(this.creds, 'GET', path,
        {'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`}, this.host, 3600);
    return uriEncode(path, true) + '?' + query;
  }
}
