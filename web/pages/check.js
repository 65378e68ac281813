// pages/check.js - Check an order: the fields of `tollgate check`, sent to
// POST /v1/checks; the answer shows the verdict, ECCN, review policy,
// payment, conditions, reasons with their citations, and every warning.
import { api } from '../api.js';
import { el, today, words, usd, num, errorBox, source, isoDate } from '../dom.js';
import { countryInput } from '../countries.js';

function field(label, input) { return el('label', {}, label, input); }

export async function render(root) {
  const chips = await api.get(`/v1/chips?on=${today()}`);
  const chipSel = el('select', { id: 'chk-chip', name: 'chip', required: true },
    chips.map((c) => el('option', { value: c.id }, `${c.id} - ${c.vendor} ${c.name}`)));
  const input = (id, attrs = {}) => el('input', { id: `chk-${id}`, name: id, ...attrs });
  const form = el('form', { id: 'check-form', class: 'card grid' },
    el('h1', {}, 'Check an order'),
    field('Chip', chipSel),
    field('Destination', countryInput('chk-to', 'to', { required: true, placeholder: 'a country or its code' })),
    field('End user headquarters', countryInput('chk-hq', 'hq', { placeholder: 'unknown' })),
    field('Quantity', input('qty', { type: 'number', min: 0, value: 1 })),
    field('Unit price (USD)', input('unit_price', { type: 'number', min: 0, step: '0.01', placeholder: 'unknown' })),
    field('Date of export', input('on', { ...isoDate, value: today() })),
    field('End use known to the exporter', el('select', { id: 'chk-end_use', name: 'end_use' },
      [['', 'not given (branches)'], ['none', 'no restricted end use'], ['supercomputer', 'supercomputer (744.23)'],
        ['advanced_ic', 'advanced-node IC production (744.23)'], ['military', 'military end use (744.21)'],
        ['military_end_user', 'military end user (744.21)']].map(([v, t]) => el('option', { value: v }, t)))),
    field('Exporting country', countryInput('chk-from', 'from', { placeholder: 'US' })),
    field('Made in', countryInput('chk-made_in', 'made_in', { placeholder: 'unknown' })),
    field('US-origin controlled content (% of value)', input('us_content_pct', { type: 'number', min: 0, max: 100, step: 'any', placeholder: 'unknown' })),
    field('Direct product of US technology', el('select', { id: 'chk-direct_product', name: 'direct_product' },
      [['', 'unknown'], ['none', 'no'], ['technology', 'yes: of US technology or software'], ['plant', 'yes: made by such a plant']]
        .map(([v, t]) => el('option', { value: v }, t)))),
    field('End user', input('end_user', { placeholder: 'optional' })),
    field('Purchaser', input('purchaser', { placeholder: 'optional' })),
    field('Consignee', input('consignee', { placeholder: 'optional' })),
    el('button', { id: 'chk-run', type: 'submit' }, 'Check'));
  const out = el('div', { id: 'check-result' });
  root.append(form, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const order = { chip: f.get('chip'), to: f.get('to').toUpperCase() };
    for (const k of ['hq', 'on', 'end_user', 'purchaser', 'consignee', 'end_use', 'from', 'made_in', 'direct_product'])
      if (f.get(k)) order[k] = ['hq', 'from', 'made_in'].includes(k) ? f.get(k).toUpperCase() : f.get(k);
    if (f.get('us_content_pct') !== '') order.us_content_pct = Number(f.get('us_content_pct'));
    if (f.get('qty') !== '') order.qty = Number(f.get('qty'));
    if (f.get('unit_price') !== '') order.unit_price = Number(f.get('unit_price'));
    out.replaceChildren(el('p', { class: 'muted' }, 'Checking...'));
    try {
      out.replaceChildren(decision(await api.post('/v1/checks', order)), recordForm(order) ?? '');
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  });
}

// A compared value: intervals as ">= lo" / "lo to hi", unknown as "unknown".
function shown(v) {
  if (v && typeof v === 'object' && 'at_least' in v) {
    if (v.at_most === null) return v.at_least > 0 ? `>= ${num(v.at_least, 2)}` : 'unknown';
    return `${num(v.at_least, 2)} to ${num(v.at_most, 2)}`;
  }
  if (v && typeof v === 'object') return JSON.stringify(v);
  return typeof v === 'number' ? num(v, 2) : String(v ?? 'unknown');
}

const MARK = { true: ['\u2713', 'applies'], false: ['\u2717', 'does not apply'], null: ['?', 'unknown'] };

function reasonItem(r) {
  const [sym, label] = MARK[r.result === true ? 'true' : r.result === false ? 'false' : 'null'];
  return el('li', { class: `r-${r.result === true ? 'true' : r.result === false ? 'false' : 'unknown'}` },
    el('span', { class: 'mark', title: label }, `${sym} ${label}`),
    el('strong', {}, ` ${r.rule}: `), r.text,
    el('div', { class: 'cite' }, r.citation, ' - ', source(r.source)),
    r.compared?.length ? el('div', { class: 'compared' }, r.compared.map((c) =>
      `${c.result === false ? '\u2717' : c.result === true ? '\u2713' : ''} ${c.left} = ${shown(c.value)} ${c.op} ${c.right}`.trim()).join('; ')) : null);
}

// Applied (and unknown) reasons first; the rules that did not apply folded.
export function reasonsList(reasons) {
  const open = reasons.filter((r) => r.result !== false), not = reasons.filter((r) => r.result === false);
  return el('div', { class: 'reasons-box' },
    el('ol', { class: 'reasons' }, open.map(reasonItem)),
    not.length ? el('details', { class: 'not-applied' }, el('summary', {}, `${not.length} rule(s) checked that do not apply`),
      el('ol', { class: 'reasons' }, not.map(reasonItem))) : null);
}

function list(title, items, cls, text = (x) => x.text) {
  return items?.length ? el('div', { class: cls }, el('h3', {}, title),
    el('ul', {}, items.map((x) => el('li', {}, text(x))))) : null;
}

// Whether the EAR reaches the item at all, and on what basis.
function subjectBox(s) {
  if (!s) return null;
  const word = s.subject === true ? 'yes' : s.subject === false ? 'no' : 'unknown';
  const items = s.subject === true ? s.basis : s.subject === false ? s.not_met : s.open;
  return el('div', { id: 'subject', class: `card subject s-${word}` },
    el('h3', {}, `Subject to the EAR: ${word}`), el('p', {}, s.text),
    el('ul', {}, (items ?? []).map((b) => el('li', {}, el('strong', {}, `${b.rule}: `), b.text,
      el('span', { class: 'cite' }, ` [${b.citation}]`)))));
}

// The verdict for each value of what is unknown.
function branchesBox(branches) {
  if (!branches?.length) return null;
  return el('div', { id: 'branches', class: 'warn' }, el('h3', {}, 'Branches: the verdict for each value of what is unknown'),
    el('ul', {}, branches.map((b) => el('li', { class: 'branch', 'data-verdict': b.verdict },
      el('code', {}, b.if === 'otherwise' || b.if === 'always' ? b.if : `if ${b.if}`), ': ',
      el('strong', {}, words(b.verdict)),
      b.exception ? ` (${b.exception})` : '', b.review_policy ? `, ${words(b.review_policy)}` : '',
      b.determined ? '' : ' (still undetermined)'))));
}

export function decision(r) {
  const fee = r.fee ? el('p', { id: 'payment' }, el('strong', {}, 'Payment: '),
    `${(r.fee.rate * 100).toFixed(2).replace(/\.?0+$/, '')}% of value`,
    r.fee.amount_usd != null ? ` = ${usd(r.fee.amount_usd)}` : ' (unit price unknown)') : null;
  const facts = [...new Set((r.undetermined ?? []).flatMap((u) => u.facts ?? []))];
  const scr = r.screening;
  return el('article', { class: 'card decision' },
    r.determined
      ? el('h2', { id: 'verdict', class: `verdict v-${r.verdict}`, 'data-verdict': r.verdict }, words(r.verdict))
      : el('h2', { id: 'verdict', class: 'verdict v-undetermined', 'data-verdict': r.verdict, 'data-determined': 'false' },
        `Undetermined: may be ${words(r.verdict)}`),
    r.determined ? null : el('p', { class: 'warn', id: 'undetermined-facts' },
      `Not final: it depends on ${facts.length ? facts.map(words).join(', ') : 'unknown facts'}; give them to settle it.`),
    scr ? el('p', { class: 'muted', id: 'screening-evidence' }, `Parties screened at threshold ${scr.threshold} against `,
      (scr.lists ?? []).length ? scr.lists.map((l) => `${l.title} of ${l.published ?? '?'} (${num(l.entries)} entries${l.stale ? ', stale' : ''})`).join('; ')
        : 'no lists (none loaded)') : null,
    el('p', {}, `${r.chip_name} (${r.chip}) x${r.order?.qty ?? 1} to ${r.order?.dest_input ?? ''} on ${r.on}`),
    el('dl', {},
      el('dt', {}, 'ECCN'), el('dd', { id: 'eccn' }, r.eccn ?? 'none'),
      el('dt', {}, 'License exception'), el('dd', {}, r.exception ?? 'none'),
      el('dt', {}, 'Review policy'), el('dd', {}, words(r.review_policy) || 'none')),
    subjectBox(r.subject_to_ear),
    branchesBox(r.branches),
    r.notification ? el('p', {}, `Notification to BIS required (review period ${r.notification.days} days): ${r.notification.text}. Wait for ${r.notification.wait_for}`) : null,
    fee,
    list('License conditions', r.license_conditions, 'conditions'),
    el('h3', {}, 'Reasons'), reasonsList(r.reasons ?? []),
    list('Undetermined', r.undetermined, 'warn', (u) => `${u.rule} would ${u.would}; unknown: ${(u.facts ?? []).join(', ')}`),
    list('Warnings', r.warnings, 'warn'),
    list('Not applied', r.not_applied, 'muted'),
    list('Flags', r.flags, 'muted'),
    el('p', { class: 'muted' }, r.disclaimer));
}

const canWrite = () => ['officer', 'admin'].includes(document.body.dataset.role);

// Records the order just checked as a shipment (POST /v1/shipments): the
// same fields, plus the license it draws on and a reference; the answer
// is the recorded shipment or the refusal with its reason.
function recordForm(order) {
  if (!canWrite()) return null;
  const input = (id, attrs = {}) => el('input', { id: `rec-${id}`, name: id, ...attrs });
  const out = el('div', { id: 'record-result' });
  const form = el('form', { id: 'record-form', class: 'card grid' },
    el('h2', {}, 'Record this shipment'),
    field('End user (required; screened)', input('end_user', { required: true, value: order.end_user ?? '' })),
    field('License number', input('license', { placeholder: 'none' })),
    field('Reference', input('reference', { placeholder: 'optional' })),
    el('button', { id: 'rec-run', type: 'submit' }, 'Record shipment'), out);
  out.className = 'full';
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { ...order, end_user: f.get('end_user') };
    for (const k of ['license', 'reference']) if (f.get(k)) body[k] = f.get(k);
    try {
      const s = await api.post('/v1/shipments', body);
      out.replaceChildren(el('p', { class: 'ok', id: 'record-ok', 'data-id': s.id },
        `Recorded shipment #${s.id}`, s.license ? ` under license ${s.license}` : '',
        s.fee ? `; payment owed ${usd(s.fee.amount_cents / 100)} (${s.fee.rate})` : ''));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  return form;
}
