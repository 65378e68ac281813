// api.js - calls to the Tollgate API with the signed-in token.  Errors come
// back as ApiError carrying the server's {"error": {"code", "message"}}.
const KEY = 'tollgate.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

let onUnauthorized = () => {};
export function whenUnauthorized(fn) { onUnauthorized = fn; }

async function call(method, path, body, as = 'json', raw = false) {
  const headers = {};
  const t = token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
  const res = await fetch(path, {
    method, headers, body: body === undefined || raw ? body : JSON.stringify(body),
  });
  if (!res.ok) {
    let code = 'http', message = `${res.status} ${res.statusText}`;
    try {
      const b = await res.json();
      // a refused write (409) answers {"refused": true, "code", "reason"}
      const e = b.refused ? { code: b.code, message: `refused: ${b.reason}` } : b.error;
      code = e.code; message = e.message;
    } catch { /* not JSON */ }
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, code, message);
  }
  return as === 'text' ? res.text() : res.json();
}

export const api = {
  get: (path) => call('GET', path),
  text: (path) => call('GET', path, undefined, 'text'),
  post: (path, body) => call('POST', path, body),
  // a file (Blob) as the raw body: POST /v1/lists/upload streams it
  upload: (path, blob) => call('POST', path, blob, 'json', true),
};

// The paths the server offers (from its OpenAPI document), so pages for
// modules not built yet can say so instead of failing.
let paths = null;
export async function hasPath(p) {
  if (!paths) paths = Object.keys((await call('GET', '/v1/openapi.json')).paths);
  return paths.includes(p);
}
