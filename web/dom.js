// dom.js - building DOM nodes without innerHTML (every text from the API is
// set as text), and small formatters shared by the pages.
export function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else if (k === 'class') n.className = v;
    else n.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

// An SVG element (charts drawn in JS); text is set as text.
export function svg(tag, attrs = {}, text) {
  const n = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

export const today = () => new Date().toISOString().slice(0, 10);
export const words = (s) => (s ?? '').replaceAll('_', ' ');
export const num = (v, d = 0) => (typeof v === 'number'
  ? v.toLocaleString('en-US', { maximumFractionDigits: d }) : '?');
export const usd = (v) => (typeof v === 'number'
  ? v.toLocaleString('en-US', { style: 'currency', currency: 'USD' }) : 'unknown');

export function errorBox(e) {
  return el('p', { class: 'error', role: 'alert' }, e.message || String(e));
}

// A link when the source is a URL, else text.
export function source(s) {
  return /^https?:\/\//.test(s ?? '') ? el('a', { href: s, target: '_blank', rel: 'noopener' }, s) : s;
}

// A date field that reads and writes ISO YYYY-MM-DD whatever the browser's
// locale (the native date picker shows mm/dd/yyyy in en-US).
export const isoDate = { type: 'text', pattern: '\\d{4}-\\d{2}-\\d{2}', placeholder: 'YYYY-MM-DD', inputmode: 'numeric', maxlength: 10 };
