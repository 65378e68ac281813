// pages/ledger.js - Licenses, Payments and Audit.  They need the ledger API
// (issue 3).  Until the server offers it (its OpenAPI document has no
// /v1/licenses), each page says so.  HOOK for the ledger: once the routes
// exist these pages already list what GET returns; replace `table` with the
// real views (licenses: quantity and value used as bars, expiry,
// conditions; payments: by quarter as a chart; audit: verify).
import { api, hasPath } from '../api.js';
import { el } from '../dom.js';

function table(rows) {
  if (!Array.isArray(rows) || !rows.length) return el('p', {}, 'Nothing recorded yet.');
  const cols = Object.keys(rows[0]);
  return el('table', {}, el('thead', {}, el('tr', {}, cols.map((c) => el('th', {}, c)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, cols.map((c) => el('td', {},
      typeof r[c] === 'object' && r[c] !== null ? JSON.stringify(r[c]) : r[c]))))));
}

function ledgerPage(title, path, show) {
  return {
    async render(root) {
      const card = el('div', { class: 'card', id: `ledger-${title.toLowerCase()}` }, el('h1', {}, title));
      root.append(card);
      if (!(await hasPath(path))) {
        card.append(el('p', { class: 'stub' }, `${title} arrives with the ledger (issue 3): this server has no ${path} yet.`));
        return;
      }
      card.append(show(await api.get(path)));
    },
  };
}

export const licenses = ledgerPage('Licenses', '/v1/licenses', table);
export const payments = ledgerPage('Payments', '/v1/fees', (x) => table(Array.isArray(x) ? x : [x]));
export const audit = ledgerPage('Audit', '/v1/audit/verify', (x) => el('pre', {}, JSON.stringify(x, null, 2)));
