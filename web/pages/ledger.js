// pages/ledger.js - the ledger pages.  Licenses: each license's use of its
// quantity and value as bars, its expiry and conditions; choosing one
// (#/licenses/NUMBER) shows it whole with its shipments, and admins may
// revoke it.  Payments: the payments owed by quarter as a bar chart (SVG
// drawn here); choosing a quarter shows it by license.  Audit: runs the
// audit check and shows ok, or the first record that does not match.
import { api } from '../api.js';
import { el, svg, today, words, num, errorBox, isoDate } from '../dom.js';

const money = (cents) => (typeof cents === 'number'
  ? (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' }) : 'no limit');
const list = (a) => (a?.length ? a.join(', ') : 'any');

// Used against a limit as a bar (no bar when there is no limit).
function bar(kind, used, limit, fmt) {
  if (typeof limit !== 'number') return el('div', { class: 'use' }, `${fmt(used)} used, no limit`);
  const pct = limit > 0 ? Math.min(100, (used / limit) * 100) : 100;
  const fill = el('div', { class: `fill${pct >= 90 ? ' high' : ''}` });
  fill.style.width = `${pct}%`; // CSSOM, allowed by the CSP (no inline style attribute)
  return el('div', { class: 'use' },
    el('div', { class: 'bar', role: 'meter', 'aria-label': `${kind} used`, 'aria-valuemin': 0,
      'aria-valuemax': limit, 'aria-valuenow': used, 'data-kind': kind, 'data-pct': pct.toFixed(1) }, fill),
    `${fmt(used)} of ${fmt(limit)} (${pct.toFixed(0)}%)`);
}

function expiry(l) {
  const days = Math.round((Date.parse(l.valid_until) - Date.parse(today())) / 864e5);
  const note = l.status === 'revoked' ? 'revoked' : days < 0 ? 'expired'
    : days === 0 ? 'expires today' : `${days} days left`;
  return el('span', { class: l.status === 'revoked' || days < 0 ? 'error' : days <= 60 ? 'warn' : '' },
    `${l.valid_until} (${note})`);
}

const qtyBar = (l) => bar('qty', l.used?.qty ?? 0, l.qty_limit, (v) => `${num(v)} units`);
const valueBar = (l) => bar('value', l.used?.value_cents ?? 0, l.value_limit_cents, money);

function licenseTable(ls) {
  if (!ls.length) return el('p', {}, 'No licenses recorded yet (POST /v1/licenses or `tollgate license add`).');
  const open = (l) => { location.hash = `#/licenses/${encodeURIComponent(l.number)}`; };
  return el('table', { id: 'licenses-table' },
    el('thead', {}, el('tr', {}, ['Number', 'Holder', 'Chips', 'To', 'Quantity', 'Value', 'Valid until', 'Conditions']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, ls.map((l) => el('tr', {
      class: 'clickable', tabindex: 0, 'data-number': l.number, onclick: () => open(l),
      onkeydown: (ev) => { if (ev.key === 'Enter') open(l); },
    },
    el('td', {}, el('a', { href: `#/licenses/${encodeURIComponent(l.number)}` }, l.number),
      l.status === 'revoked' ? el('div', { class: 'error' }, 'revoked') : null),
    el('td', {}, l.holder), el('td', {}, list(l.chips)), el('td', {}, list(l.destinations)),
    el('td', {}, qtyBar(l)), el('td', {}, valueBar(l)), el('td', {}, expiry(l)),
    el('td', {}, (l.conditions ?? []).length ? el('ul', {}, l.conditions.map((c) => el('li', {}, c))) : 'none')))));
}

function revokeForm(l, reload) {
  if (document.body.dataset.role !== 'admin' || l.status === 'revoked') return null;
  const reason = el('input', { id: 'revoke-reason', placeholder: 'reason (recorded in the audit trail)' });
  const out = el('span', {});
  const form = el('form', { id: 'revoke-form', class: 'inline' }, reason,
    el('button', { type: 'submit', class: 'danger' }, 'Revoke this license'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!window.confirm(`Revoke license ${l.number}? No later shipment may draw on it.`)) return;
    try {
      await api.post(`/v1/licenses/${encodeURIComponent(l.number)}/revoke`,
        reason.value.trim() ? { reason: reason.value.trim() } : {});
      await reload();
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  return form;
}

const canWrite = () => ['officer', 'admin'].includes(document.body.dataset.role);

// Reverse a shipment with a reason (POST /v1/shipments/ID/reverse).
function reverseCell(s, reload) {
  if (!canWrite() || s.kind !== 'shipment' || s.reversed_by) return el('td', {});
  const reason = el('input', { class: 'reverse-reason', placeholder: 'reason', 'aria-label': `reason to reverse #${s.id}` });
  const out = el('span', {});
  const form = el('form', { class: 'inline reverse-form', 'data-id': s.id }, reason,
    el('button', { type: 'submit', class: 'danger' }, 'Reverse'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) { out.replaceChildren(errorBox(new Error('give a reason'))); return; }
    try {
      await api.post(`/v1/shipments/${s.id}/reverse`, { reason: reason.value.trim() });
      await reload();
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  return el('td', {}, form);
}

const destLabel = (s) => (s.dest_input && s.dest_input !== s.dest ? `${s.dest_input} (EAR: ${s.dest})` : s.dest);

function shipmentsTable(ships, reload) {
  if (!ships.length) return el('p', { class: 'muted' }, 'No shipments under this license yet.');
  const reversed = new Set(ships.filter((s) => s.corrects).map((s) => s.corrects));
  for (const s of ships) if (reversed.has(s.id)) s.reversed_by = true;
  return el('table', { id: 'license-shipments' },
    el('thead', {}, el('tr', {}, ['#', 'Date', 'Chip', 'To', 'Qty', 'Value', 'Payment', 'By', '']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, ships.map((s) => el('tr', {},
      el('td', {}, s.id, s.kind !== 'shipment' ? ` (${words(s.kind)})` : ''), el('td', {}, s.on),
      el('td', {}, s.chip), el('td', {}, destLabel(s)), el('td', { class: 'n' }, num(s.qty)),
      el('td', { class: 'n' }, money(s.value_cents)), el('td', { class: 'n' }, s.fee ? money(s.fee.amount_cents) : '-'),
      el('td', {}, s.recorded_by, s.reason ? el('div', { class: 'muted' }, s.reason) : null),
      reverseCell(s, reload)))));
}

async function licenseDetail(root, number) {
  const card = el('article', { class: 'card', id: 'license', 'data-number': number });
  root.append(el('p', {}, el('a', { href: '#/licenses' }, '< All licenses')), card);
  async function load() {
    const enc = encodeURIComponent(number);
    let l, ships;
    try {
      [l, ships] = await Promise.all([api.get(`/v1/licenses/${enc}`), api.get(`/v1/shipments?license=${enc}`)]);
    } catch (e) {
      if (e.status !== 404) throw e;
      card.classList.add('missing'); // an unknown number: say so, not an empty card
      card.replaceChildren(el('h1', {}, 'No such license'),
        el('p', { id: 'license-missing' }, `No license numbered "${number}" is recorded. `,
          el('a', { href: '#/licenses' }, 'See every license'), ' (or check the number).'));
      return;
    }
    card.replaceChildren(
      el('h1', {}, `License ${l.number} `, el('span', { class: `status s-${l.status}` }, l.status)),
      el('dl', {},
        el('dt', {}, 'Holder'), el('dd', {}, l.holder),
        el('dt', {}, 'Chips'), el('dd', {}, list(l.chips)),
        el('dt', {}, 'Destinations'), el('dd', {}, list(l.destinations)),
        el('dt', {}, 'End users'), el('dd', {}, list(l.end_users)),
        el('dt', {}, 'Valid'), el('dd', {}, `${l.valid_from} to `, expiry(l)),
        el('dt', {}, 'Quantity'), el('dd', { id: 'license-qty' }, qtyBar(l)),
        el('dt', {}, 'Value'), el('dd', { id: 'license-value' }, valueBar(l)),
        el('dt', {}, 'Payment'), el('dd', {}, l.payment_rate ? `${l.payment_rate} of value`
          : 'no rate stated on the license; the rules\' payment arrangements apply per shipment (see below)'),
        l.tpp_cap_pct != null ? [el('dt', {}, 'TPP cap'),
          el('dd', {}, `CN/MO aggregate TPP at most ${l.tpp_cap_pct}% of the same chip's US shipments`)] : null,
        el('dt', {}, 'Conditions'), el('dd', { id: 'license-conditions' },
          l.conditions?.length ? el('ul', {}, l.conditions.map((c) => el('li', {}, c))) : 'none'),
        l.notes ? [el('dt', {}, 'Notes'), el('dd', {}, l.notes)] : null,
        el('dt', {}, 'Added'), el('dd', {}, `${l.created_at} by ${l.created_by}`),
        l.revoked ? [el('dt', {}, 'Revoked'), el('dd', { class: 'error' },
          `${l.revoked.at} by ${l.revoked.by}${l.revoked.reason ? `: ${l.revoked.reason}` : ''}`)] : null),
      revokeForm(l, load) ?? '',
      el('h2', {}, `Shipments (${ships.count})`), shipmentsTable(ships.shipments, load),
      el('p', { id: 'license-payments' }, 'Payments incurred under this license: ',
        money(ships.shipments.reduce((t, s) => t + (s.fee?.amount_cents ?? 0), 0))));
  }
  await load();
}

// Add a license (POST /v1/licenses): comma-separated lists for chips,
// destinations, end users and conditions.
function addForm() {
  if (!canWrite()) return null;
  const input = (id, label, attrs = {}) => el('label', {}, label, el('input', { id: `lic-${id}`, name: id, ...attrs }));
  const out = el('div', { id: 'lic-result' });
  const form = el('form', { id: 'license-form', class: 'card grid' }, el('h2', {}, 'Add a license'),
    input('number', 'Number', { required: true }), input('holder', 'Holder', { required: true }),
    input('chip', 'Chips or ECCNs (comma-separated)', { required: true, placeholder: 'nv-h20, 3A090' }),
    input('to', 'Destinations (ISO codes)', { required: true, placeholder: 'CN, HK' }),
    input('end_user', 'End users', { placeholder: 'any' }),
    input('qty', 'Quantity limit', { type: 'number', min: 0 }),
    input('value_usd', 'Value limit (USD)', { type: 'number', min: 0, step: '0.01' }),
    input('from', 'Valid from', { ...isoDate, required: true, value: today() }),
    input('until', 'Valid until', { ...isoDate, required: true }),
    input('payment_rate', 'Payment rate', { placeholder: '15%' }),
    input('condition', 'Conditions', { placeholder: 'separate with ;' }),
    el('button', { id: 'lic-add', type: 'submit' }, 'Add license'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const split = (k, sep = ',') => f.get(k).split(sep).map((x) => x.trim()).filter(Boolean);
    const body = { number: f.get('number').trim(), holder: f.get('holder').trim(), chip: split('chip'),
      to: split('to').map((c) => c.toUpperCase()), from: f.get('from'), until: f.get('until') };
    if (f.get('end_user')) body.end_user = split('end_user');
    if (f.get('condition')) body.condition = split('condition', ';');
    if (f.get('qty') !== '') body.qty = Number(f.get('qty'));
    if (f.get('value_usd') !== '') body.value_usd = Number(f.get('value_usd'));
    if (f.get('payment_rate')) body.payment_rate = f.get('payment_rate').trim();
    try {
      const l = await api.post('/v1/licenses', body);
      location.hash = `#/licenses/${encodeURIComponent(l.number)}`;
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  return form;
}

export const licenses = {
  async render(root, [number] = []) {
    if (number) return licenseDetail(root, number);
    const ls = await api.get('/v1/licenses');
    root.append(el('div', { class: 'card', id: 'ledger-licenses' }, el('h1', {}, 'Licenses'), licenseTable(ls)), addForm() ?? '');
  },
};

// Payments owed per quarter as bars, each labelled; choose calls back with a key.
function quarterChart(groups, choose) {
  const W = 900, H = 300, L = 90, R = 20, T = 20, B = 40;
  const max = Math.max(1, ...groups.map((g) => g.fee_cents));
  const band = (W - L - R) / groups.length, bw = Math.min(80, band * 0.7);
  const y = (c) => H - B - (c / max) * (H - T - B);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'bars', id: 'payments-chart', role: 'img',
    'aria-label': 'Payments owed by quarter' });
  for (let i = 0; i <= 4; i++) {
    const c = (max * i) / 4;
    g.append(svg('line', { x1: L, x2: W - R, y1: y(c), y2: y(c), class: 'grid' }),
      svg('text', { x: L - 6, y: y(c) + 4, class: 'axis', 'text-anchor': 'end' }, money(Math.round(c))));
  }
  groups.forEach((q, i) => {
    const x = L + i * band + (band - bw) / 2;
    const b = svg('g', { class: 'q', 'data-quarter': q.key, tabindex: 0 });
    b.append(svg('rect', { x, y: y(q.fee_cents), width: bw, height: Math.max(0, H - B - y(q.fee_cents)) }),
      svg('text', { x: x + bw / 2, y: H - B + 16, class: 'axis', 'text-anchor': 'middle' }, q.key),
      svg('text', { x: x + bw / 2, y: y(q.fee_cents) - 4, class: 'value', 'text-anchor': 'middle' }, money(q.fee_cents)),
      svg('title', {}, `${q.key}: ${money(q.fee_cents)} owed on ${money(q.value_cents)} (${q.shipments} shipments)`));
    b.addEventListener('click', () => choose(q.key));
    b.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') choose(q.key); });
    g.append(b);
  });
  g.append(svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'base' }));
  return g;
}

function groupsTable(f) {
  return el('table', { id: 'quarter-table' },
    el('thead', {}, el('tr', {}, ['License', 'Shipments', 'Units', 'Value', 'Payment owed'].map((h) => el('th', {}, h)))),
    el('tbody', {}, f.groups.map((g) => el('tr', {},
      el('td', {}, g.key ?? 'none'), el('td', { class: 'n' }, num(g.shipments)), el('td', { class: 'n' }, num(g.qty)),
      el('td', { class: 'n' }, money(g.value_cents)), el('td', { class: 'n' }, money(g.fee_cents))))),
    el('tfoot', {}, el('tr', {}, el('th', {}, 'Total'), el('th', { class: 'n' }, num(f.shipments)),
      el('th', { class: 'n' }, num(f.qty)), el('th', { class: 'n' }, money(f.value_cents)),
      el('th', { class: 'n' }, money(f.total_cents)))));
}

export const payments = {
  async render(root) {
    const all = await api.get('/v1/fees?by=quarter');
    const detail = el('div', { id: 'quarter-detail' });
    const card = el('div', { class: 'card', id: 'ledger-payments' }, el('h1', {}, 'Payments owed by quarter'));
    root.append(card, detail);
    if (!all.groups.length) {
      card.append(el('p', {}, 'No shipments recorded yet, so no payments are owed.'));
      return;
    }
    const choose = async (key) => {
      detail.replaceChildren(el('p', { class: 'muted' }, 'Loading...'));
      try {
        const f = await api.get(`/v1/fees?quarter=${encodeURIComponent(key)}&by=license`);
        detail.replaceChildren(el('div', { class: 'card', 'data-quarter': key },
          el('h2', {}, `${key} (${f.from} to ${f.to}) by license`), groupsTable(f)));
      } catch (e) { detail.replaceChildren(errorBox(e)); }
    };
    card.append(el('div', { class: 'chart' }, quarterChart(all.groups, choose)),
      el('p', {}, `In all: ${money(all.total_cents)} owed on ${money(all.value_cents)} over ${num(all.shipments)} shipments. `,
        'Choose a quarter for its payments by license.'));
    await choose(all.groups[all.groups.length - 1].key);
  },
};

export const audit = {
  async render(root) {
    const out = el('div', { id: 'audit-result' });
    const run = el('button', { id: 'audit-run', type: 'button' }, 'Verify the audit trail');
    root.append(el('div', { class: 'card', id: 'ledger-audit' }, el('h1', {}, 'Audit'),
      el('p', {}, 'Replays the hash chain of every audit record and compares the current licenses and shipments with it.'),
      run, out));
    const verify = async () => {
      out.replaceChildren(el('p', { class: 'muted' }, 'Verifying...'));
      try {
        const v = await api.get('/v1/audit/verify');
        out.dataset.ok = String(v.ok);
        out.replaceChildren(v.ok
          ? el('p', { class: 'ok' }, el('strong', {}, 'OK: '), `${num(v.records)} records verified; head `, el('code', { class: 'inline' }, v.head ?? '-'))
          : el('p', { class: 'error' }, el('strong', {}, 'FAILED'),
            v.first_bad != null ? ` at record ${v.first_bad} (${v.subject ?? '?'})` : '', `: ${v.problem ?? 'unknown problem'}`,
            ` (${num(v.records)} records)`));
      } catch (e) { out.replaceChildren(errorBox(e)); }
    };
    run.addEventListener('click', verify);
    await verify();
    await browse(root);
  },
};

// Browse the trail (GET /v1/audit/records) by actor, action and subject,
// and export what is shown as JSON lines (what `audit verify --file` reads).
async function browse(root) {
  const f = (id, label, ph) => el('label', {}, label, el('input', { id: `aud-${id}`, name: id, placeholder: ph }));
  const out = el('div', { id: 'audit-records' });
  const form = el('form', { id: 'audit-filter', class: 'card grid' }, el('h2', {}, 'Audit records'),
    f('actor', 'Actor', 'any'), f('action', 'Action', 'e.g. shipment.'), f('subject', 'Subject', 'e.g. WF-1'),
    el('button', { id: 'aud-run', type: 'submit' }, 'Show'), out);
  root.append(form);
  const load = async () => {
    const q = new URLSearchParams();
    for (const k of ['actor', 'action', 'subject']) {
      const v = document.getElementById(`aud-${k}`).value.trim();
      if (v) q.set(k, v);
    }
    try {
      const a = await api.get(`/v1/audit/records?${q}`);
      const lines = a.records.map((r) => JSON.stringify(r)).join('\n') + (a.records.length ? '\n' : '');
      const dl = el('a', { id: 'aud-export', download: `audit-${today()}.jsonl`,
        href: URL.createObjectURL(new Blob([lines], { type: 'application/x-ndjson' })) },
      `Export these ${num(a.count)} records (JSON lines)`);
      out.className = 'full';
      out.replaceChildren(dl, el('table', { id: 'audit-table' },
        el('thead', {}, el('tr', {}, ['#', 'At', 'Actor', 'Action', 'Subject'].map((h) => el('th', {}, h)))),
        el('tbody', {}, a.records.slice().reverse().map((r) => el('tr', { 'data-action': r.action },
          el('td', { class: 'n' }, r.seq), el('td', {}, r.at), el('td', {}, r.actor), el('td', {}, r.action),
          el('td', {}, r.subject))))));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  await load();
}
