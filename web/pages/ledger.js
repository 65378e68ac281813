// pages/ledger.js - the ledger pages.  Licenses: each license's use of its
// quantity and value as bars, its expiry and conditions; choosing one
// (#/licenses/NUMBER) shows it whole: the aggregate-TPP cap as a meter with
// its headroom in units, the payments it incurs by arrangement with their
// status, its shipments; officers amend or extend it, admins revoke it.
// Payments: record a payment, each arrangement's dues (due / paid /
// overdue, never added together), the payments recorded, and the payments
// owed by quarter and arrangement as a bar chart (SVG drawn here, rounded
// axis ticks); choosing a quarter shows it by license.  Audit: runs the
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

// Amend or extend a license with a reason (POST /v1/licenses/N/amend or
// /extend): only the fields filled in change; refused when the shipments
// recorded would exceed the changed license.
function changeForm(l, reload) {
  if (!canWrite() || l.status === 'revoked') return null;
  const input = (id, label, attrs = {}) => el('label', {}, label, el('input', { id: `chg-${id}`, name: id, ...attrs }));
  const kind = el('select', { id: 'chg-kind', name: 'kind' },
    el('option', { value: 'amend' }, 'Amend'), el('option', { value: 'extend' }, 'Extend'));
  const out = el('div', { id: 'chg-result' });
  const form = el('form', { id: 'license-change-form', class: 'card grid' }, el('h2', {}, 'Amend or extend'),
    el('label', {}, 'Change', kind),
    input('qty', 'New quantity limit', { type: 'number', min: 0 }),
    input('value_usd', 'New value limit (USD)', { type: 'number', min: 0, step: '0.01' }),
    input('until', 'Valid until', { ...isoDate }),
    input('end_user', 'End users (comma-separated)'),
    input('reason', 'Reason (recorded in the audit trail)', { required: true }),
    el('button', { id: 'chg-submit', type: 'submit' }, 'Save change'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { reason: f.get('reason').trim() };
    if (f.get('until')) body.until = f.get('until');
    if (kind.value === 'amend') {
      if (f.get('qty') !== '') body.qty = Number(f.get('qty'));
      if (f.get('value_usd') !== '') body.value_usd = Number(f.get('value_usd'));
      if (f.get('end_user')) body.end_user = f.get('end_user').split(',').map((x) => x.trim()).filter(Boolean);
    }
    try {
      await api.post(`/v1/licenses/${encodeURIComponent(l.number)}/${kind.value}`, body);
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

// The aggregate-TPP cap per chip as a meter: TPP to China/Macau under the
// license against the cap's share of the US shipments, headroom in units.
function capMeters(l) {
  const caps = (l.tpp_caps ?? []).filter((c) => c.cap_pct != null);
  if (!caps.length) {
    return (l.tpp_caps ?? []).length ? l.tpp_caps[0].note
      : 'no aggregate-TPP cap (no China/Macau destination, or no catalog chip on the license)';
  }
  return caps.map((c) => {
    const limit = c.allowed_tpp ?? 0, used = c.cn_mo_tpp ?? 0;
    const pct = limit > 0 ? Math.min(100, (used / limit) * 100) : 100;
    const fill = el('div', { class: `fill${pct >= 90 ? ' high' : ''}` });
    fill.style.width = `${pct}%`;
    const units = c.headroom_units != null ? `${num(c.headroom_units)} more units` : 'headroom in units unknown (TPP per unit unknown)';
    return el('div', { class: 'use cap', 'data-chip': c.chip },
      el('div', { class: 'bar', role: 'meter', 'aria-label': `${c.chip} aggregate TPP cap used`, 'aria-valuemin': 0,
        'aria-valuemax': limit, 'aria-valuenow': used, 'data-kind': 'tpp-cap', 'data-pct': pct.toFixed(1) }, fill),
      el('div', { class: 'cap-headroom', 'data-units': c.headroom_units ?? '' },
        `${c.chip}: headroom ${units} (`, `${num(c.units_shipped)} shipped to CN/MO; cap ${c.cap_pct}% of ${num(c.us_tpp)} TPP shipped to US customers`,
        ` = ${num(c.allowed_units ?? 0)} units; from the ${c.cap_source})`));
  });
}

// What the license incurs: a stated rate, and each arrangement its
// shipments owe under (the rules' 15% or 25%), never one figure.
function paymentTerms(l, dues) {
  const owing = (dues?.arrangements ?? []).filter((a) => a.obligations > 0);
  const parts = owing.map((a) => `${a.arrangement} (${a.payee})`);
  if (l.payment_rate) parts.unshift(`${l.payment_rate} of value stated on the license`);
  return parts.length ? parts.join('; ') : 'none incurred yet: no shipment under this license owes a payment';
}

const statusBadge = (st) => el('span', { class: `status pay-${st}` }, words(st));

// Each arrangement's sums on its own card, then its obligations.
function duesCards(d) {
  const owing = (d?.arrangements ?? []).filter((a) => a.obligations > 0);
  if (!owing.length) return el('p', { class: 'muted' }, 'No payments owed under this license.');
  return owing.map((a) => el('div', { class: 'card arrangement', 'data-arrangement': a.arrangement },
    el('h3', {}, a.arrangement), el('p', { class: 'muted' }, a.payee),
    el('p', {}, `Owed ${money(a.owed_cents)}, paid ${money(a.paid_cents)}, outstanding ${money(a.outstanding_cents)}`,
      a.overdue_cents ? el('strong', { class: 'error' }, ` (${money(a.overdue_cents)} overdue)`) : ''),
    el('p', { class: 'muted' }, `Due ${a.due_rule.n} ${a.due_rule.kind === 'working_days' ? 'working days' : 'days'} after ${a.due_rule.from}. Source: ${a.due_rule.source}`),
    duesTable(d.obligations.filter((o) => o.arrangement === a.arrangement))));
}

function duesTable(rows) {
  return el('table', { class: 'dues' },
    el('thead', {}, el('tr', {}, ['Shipment', 'Date', 'License', 'Chip', 'Owed', 'Paid', 'Outstanding', 'Due on', 'Status']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((o) => el('tr', { 'data-shipment': o.shipment, 'data-status': o.status },
      el('td', { class: 'n' }, `#${o.shipment}`), el('td', {}, o.on), el('td', {}, o.license ?? '-'), el('td', {}, o.chip),
      el('td', { class: 'n' }, money(o.owed_cents)), el('td', { class: 'n' }, money(o.paid_cents)),
      el('td', { class: 'n' }, money(o.outstanding_cents)), el('td', {}, o.due_on ?? '-'), el('td', {}, statusBadge(o.status))))));
}

async function licenseDetail(root, number) {
  const card = el('article', { class: 'card', id: 'license', 'data-number': number });
  root.append(el('p', {}, el('a', { href: '#/licenses' }, '< All licenses')), card);
  async function load() {
    const enc = encodeURIComponent(number);
    let l, ships, dues;
    try {
      [l, ships, dues] = await Promise.all([api.get(`/v1/licenses/${enc}`), api.get(`/v1/shipments?license=${enc}`),
        api.get(`/v1/payments/dues?license=${enc}`)]);
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
        el('dt', {}, 'Payments'), el('dd', { id: 'license-payment-terms' }, paymentTerms(l, dues)),
        el('dt', {}, 'TPP cap'), el('dd', { id: 'license-caps' }, capMeters(l)),
        el('dt', {}, 'Conditions'), el('dd', { id: 'license-conditions' },
          l.conditions?.length ? el('ul', {}, l.conditions.map((c) => el('li', {}, c))) : 'none'),
        l.notes ? [el('dt', {}, 'Notes'), el('dd', {}, l.notes)] : null,
        el('dt', {}, 'Added'), el('dd', {}, `${l.created_at} by ${l.created_by}`),
        l.revoked ? [el('dt', {}, 'Revoked'), el('dd', { class: 'error' },
          `${l.revoked.at} by ${l.revoked.by}${l.revoked.reason ? `: ${l.revoked.reason}` : ''}`)] : null),
      revokeForm(l, load) ?? '', changeForm(l, load) ?? '',
      el('h2', {}, `Shipments (${ships.count})`), shipmentsTable(ships.shipments, load),
      el('h2', {}, 'Payments incurred, by arrangement'), el('div', { id: 'license-payments' }, duesCards(dues)));
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

// A "nice" axis top and step (1, 2 or 5 x 10^k) at or above max, so ticks
// read "$1.5M", never "$1,350,000.56".
function niceScale(max, ticks = 4) {
  const raw = Math.max(max, 1) / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw);
  return { step, top: Math.ceil(Math.max(max, 1) / step) * step };
}

// Compact dollars from cents: $950, $12K, $1.4M, $2B.
export function compactUsd(cents) {
  const d = cents / 100, a = Math.abs(d);
  const [div, suf] = a >= 1e9 ? [1e9, 'B'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'K'] : [1, ''];
  const v = d / div;
  return `$${Number.isInteger(Math.round(v * 10) / 10) ? Math.round(v) : (Math.round(v * 10) / 10).toFixed(1)}${suf}`;
}

// Payments owed per quarter, one bar per arrangement (never stacked into
// one figure), each labelled; choose calls back with a quarter.
function quarterChart(groups, choose) {
  const W = 900, H = 320, L = 70, R = 20, T = 34, B = 60;
  const quarters = [...new Set(groups.map((g) => g.key))];
  const arrs = [...new Set(groups.map((g) => g.arrangement))];
  const { step, top } = niceScale(Math.max(0, ...groups.map((g) => g.fee_cents ?? 0)));
  const band = (W - L - R) / Math.max(1, quarters.length), bw = Math.min(60, (band * 0.8) / arrs.length);
  const y = (c) => H - B - (Math.max(0, c) / top) * (H - T - B);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'bars', id: 'payments-chart', role: 'img',
    'aria-label': 'Payments owed by quarter and arrangement' });
  for (let c = 0; c <= top + step / 2; c += step) {
    g.append(svg('line', { x1: L, x2: W - R, y1: y(c), y2: y(c), class: 'grid' }),
      svg('text', { x: L - 6, y: y(c) + 4, class: 'axis tick', 'text-anchor': 'end' }, compactUsd(c)));
  }
  quarters.forEach((key, i) => {
    const b = svg('g', { class: 'q', 'data-quarter': key, tabindex: 0 });
    arrs.forEach((a, k) => {
      const q = groups.find((x) => x.key === key && x.arrangement === a);
      if (!q) return;
      const x = L + i * band + (band - bw * arrs.length) / 2 + k * bw;
      b.append(svg('rect', { x, y: y(q.fee_cents), width: bw - 2, height: Math.max(0, H - B - y(q.fee_cents)), class: `arr-${k}`, 'data-arrangement': a }),
        svg('text', { x: x + bw / 2, y: Math.max(T - 4, y(q.fee_cents) - 4), class: 'value', 'text-anchor': 'middle' }, compactUsd(q.fee_cents)),
        svg('title', {}, `${key}, ${a}: ${money(q.fee_cents)} owed on ${money(q.value_cents)} (${q.shipments} shipments)`));
    });
    b.append(svg('text', { x: L + i * band + band / 2, y: H - B + 16, class: 'axis', 'text-anchor': 'middle' }, key));
    b.addEventListener('click', () => choose(key));
    b.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') choose(key); });
    g.append(b);
  });
  arrs.forEach((a, k) => {
    const x = L + k * 220;
    g.append(svg('rect', { x, y: H - 22, width: 12, height: 12, class: `arr-${k}` }),
      svg('text', { x: x + 16, y: H - 12, class: 'axis legend' }, a));
  });
  g.append(svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'base' }));
  return g;
}

function groupsTable(f) {
  return el('table', { id: 'quarter-table' },
    el('thead', {}, el('tr', {}, ['Arrangement', 'License', 'Shipments', 'Units', 'Value', 'Payment owed'].map((h) => el('th', {}, h)))),
    el('tbody', {}, f.groups.map((g) => el('tr', {}, el('td', {}, g.arrangement),
      el('td', {}, g.key ?? 'none'), el('td', { class: 'n' }, num(g.shipments)), el('td', { class: 'n' }, num(g.qty)),
      el('td', { class: 'n' }, money(g.value_cents)), el('td', { class: 'n' }, money(g.fee_cents))))),
    el('tfoot', {}, f.arrangements.map((a) => el('tr', {}, el('th', {}, `Total ${a.arrangement}`), el('th', {}),
      el('th', { class: 'n' }, num(a.shipments)), el('th', { class: 'n' }, num(a.qty)), el('th', { class: 'n' }, money(a.value_cents)),
      el('th', { class: 'n' }, money(a.fee_cents))))));
}

// Record a payment (POST /v1/payments) for a shipment or a license.
function paymentForm(terms, reload) {
  if (!canWrite()) return null;
  const input = (id, label, attrs = {}) => el('label', {}, label, el('input', { id: `pay-${id}`, name: id, ...attrs }));
  const out = el('div', { id: 'pay-result' });
  const form = el('form', { id: 'payment-form', class: 'card grid' }, el('h2', {}, 'Record a payment'),
    el('label', {}, 'Arrangement', el('select', { id: 'pay-arrangement', name: 'arrangement' },
      terms.map((t) => el('option', { value: t.arrangement }, `${t.arrangement}: ${t.payee}`)))),
    input('shipment', 'Shipment # (or a license below)', { type: 'number', min: 1 }),
    input('license', 'License (oldest dues first)'),
    input('amount_usd', 'Amount (USD)', { required: true, inputmode: 'decimal', pattern: '\\d+(\\.\\d{1,2})?', placeholder: '75000.00' }),
    input('date', 'Paid on', { ...isoDate, required: true, value: today() }),
    input('reference', 'Reference (wire, CBP entry)', { required: true }),
    el('button', { id: 'pay-add', type: 'submit' }, 'Record payment'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { arrangement: f.get('arrangement'), amount_usd: f.get('amount_usd').trim(), date: f.get('date'),
      reference: f.get('reference').trim() };
    if (f.get('shipment')) body.shipment = Number(f.get('shipment'));
    if (f.get('license').trim()) body.license = f.get('license').trim();
    try {
      const p = await api.post('/v1/payments', body);
      out.replaceChildren(el('p', { class: 'ok', id: 'pay-recorded' }, `Recorded payment #${p.id}: ${money(p.amount_cents)}`));
      await reload();
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  return form;
}

function paymentsTable(ps) {
  if (!ps.payments.length) return el('p', { class: 'muted' }, 'No payments recorded yet.');
  return el('table', { id: 'payments-table' },
    el('thead', {}, el('tr', {}, ['#', 'Paid on', 'Arrangement', 'For', 'Amount', 'Reference', 'Recorded by'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ps.payments.map((p) => el('tr', {}, el('td', { class: 'n' }, p.id), el('td', {}, p.paid_on),
      el('td', {}, p.arrangement), el('td', {}, p.shipment_id ? `shipment #${p.shipment_id}` : `license ${p.license_number}`),
      el('td', { class: 'n' }, money(p.amount_cents)), el('td', {}, p.reference), el('td', {}, p.recorded_by)))));
}

export const payments = {
  async render(root) {
    const terms = await api.get('/v1/payments/terms');
    const dues = el('div', { id: 'payments-dues' }), recorded = el('div', { id: 'payments-recorded' });
    const chart = el('div', { class: 'card', id: 'ledger-payments' }, el('h1', {}, 'Payments'));
    const detail = el('div', { id: 'quarter-detail' });
    const load = async () => {
      const [d, ps, all] = await Promise.all([api.get('/v1/payments/dues'), api.get('/v1/payments?limit=100'),
        api.get('/v1/fees?by=quarter')]);
      dues.replaceChildren(el('h2', {}, `Due, paid and overdue as of ${d.as_of} (each arrangement on its own)`), ...[duesCards(d)].flat());
      recorded.replaceChildren(el('h2', {}, 'Payments recorded'), paymentsTable(ps));
      chart.replaceChildren(el('h1', {}, 'Payments'));
      if (!all.groups.length) {
        chart.append(el('p', {}, 'No shipments recorded yet, so no payments are owed.'));
        return;
      }
      const choose = async (key) => {
        detail.replaceChildren(el('p', { class: 'muted' }, 'Loading...'));
        try {
          const f = await api.get(`/v1/fees?quarter=${encodeURIComponent(key)}&by=license`);
          detail.replaceChildren(el('div', { class: 'card', 'data-quarter': key },
            el('h2', {}, `${key} (${f.from} to ${f.to}) by arrangement and license`), groupsTable(f)));
        } catch (e) { detail.replaceChildren(errorBox(e)); }
      };
      chart.append(el('h2', {}, 'Owed by quarter and arrangement'), el('div', { class: 'chart' }, quarterChart(all.groups, choose)),
        el('p', {}, all.arrangements.map((a) => `${a.arrangement}: ${money(a.fee_cents)} owed. `), 'Choose a quarter for its payments by license.'));
      await choose(all.groups[all.groups.length - 1].key);
    };
    root.append(paymentForm(terms, load) ?? '', dues, recorded, chart, detail);
    await load();
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
