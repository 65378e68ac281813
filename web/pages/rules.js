// pages/rules.js - the rule sets on a timeline (effective to end, coloured
// by their status on the chosen date, with a legend), 2022 to today unless
// zoomed; choosing one shows its citation, source, notes and each rule's
// text and condition.
import { api } from '../api.js';
import { el, svg, today, words, source, isoDate } from '../dom.js';

const t = (d) => Date.parse(`${d}T00:00:00Z`);
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY = 864e5;
const STATUSES = [['in_force', 'in force'], ['not_yet_effective', 'not yet effective'],
  ['not_enforced', 'not enforced'], ['ended', 'ended']];

// Ticks for a span drawn `width` units wide: labelled ones at least 70
// units apart (years, or half-years, quarters or months when zoomed in:
// "2025-04"), and unlabelled ones a step finer between them.
function ticks(lo, hi, width) {
  const steps = [1, 3, 6, 12, 24, 60], months = (hi - lo) / (30.44 * DAY);
  const k = steps.findIndex((m) => (width / months) * m >= 70);
  const step = steps[k < 0 ? steps.length - 1 : k], minor = k > 0 ? steps[k - 1] : step, out = [];
  const d = new Date(lo);
  for (let m = d.getUTCFullYear() * 12 + Math.floor(d.getUTCMonth() / minor) * minor; ; m += minor) {
    const at = Date.UTC(Math.floor(m / 12), m % 12, 1);
    if (at > hi) break;
    if (at < lo) continue;
    const major = m % step === 0;
    out.push({ at, major, label: !major ? '' : m % 12 === 0 ? String(m / 12) : iso(at).slice(0, 7) });
  }
  return out;
}

// The rule sets as bars over [lo, hi]: a row each, its id written in a
// column of its own (never cut), bars clipped to the span with the true
// start or end written where it lies outside, the chosen date marked.
function timeline(sets, on, lo, hi, choose) {
  const W = 1000, LABEL = 290, R = 12, row = 24, top = 8, H = sets.length * row + top + 26;
  const x = (ms) => LABEL + ((ms - lo) / (hi - lo)) * (W - LABEL - R);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', id: 'rules-timeline',
    'data-from': iso(lo), 'data-until': iso(hi), role: 'img', 'aria-label': `Rule sets from ${iso(lo)} to ${iso(hi)}` });
  for (const k of ticks(lo, hi, W - LABEL - R)) {
    g.append(svg('line', { x1: x(k.at), x2: x(k.at), y1: top, y2: H - 20, class: k.major ? 'year' : 'tick' }));
    if (k.label) g.append(svg('text', { x: x(k.at) + 3, y: H - 6, class: 'label axis' }, k.label));
  }
  sets.forEach((s, i) => {
    const y = top + i * row, a = t(s.effective), b = s.ends ? t(s.ends) : Infinity;
    const bar = svg('g', { class: `set s-${s.status}`, 'data-rule-set': s.id, tabindex: 0 });
    bar.append(svg('text', { x: LABEL - 8, y: y + row - 9, class: 'label name', 'text-anchor': 'end' }, s.id),
      svg('title', {}, `${s.title}: ${words(s.status)} on ${on}; effective ${s.effective}${s.ends ? `, ends ${s.ends}` : ''}`));
    if (b > lo && a < hi) {
      const x0 = x(Math.max(a, lo)), x1 = x(Math.min(b, hi));
      bar.append(svg('rect', { x: x0, y: y + 4, width: Math.max(3, x1 - x0), height: row - 8, rx: 3 }));
      if (a < lo) bar.append(svg('text', { x: x0 + 4, y: y + row - 9, class: 'label clip' }, `\u25c0 since ${s.effective}`));
      if (b < Infinity && b > hi) bar.append(svg('text', { x: x1 - 4, y: y + row - 9, class: 'label clip', 'text-anchor': 'end' }, `until ${s.ends} \u25b6`));
    } else {
      bar.append(svg('text', { x: a >= hi ? W - R : LABEL + 4, y: y + row - 9, class: 'label clip', 'text-anchor': a >= hi ? 'end' : 'start' },
        a >= hi ? `from ${s.effective} \u25b6` : `\u25c0 ${s.effective} to ${s.ends}`));
    }
    bar.append(svg('rect', { class: 'hit', x: 0, y, width: W, height: row })); // the whole row answers a click
    bar.addEventListener('click', () => choose(s));
    bar.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') choose(s); });
    g.append(bar);
  });
  if (t(on) >= lo && t(on) <= hi) g.append(svg('line', { x1: x(t(on)), x2: x(t(on)), y1: 0, y2: H - 20, class: 'today' }));
  return g;
}

function legend() {
  return el('ul', { class: 'legend', id: 'rules-legend' },
    STATUSES.map(([k, label]) => el('li', { 'data-status': k }, el('span', { class: `swatch s-${k}` }), label)),
    el('li', {}, el('span', { class: 'swatch today' }), 'the date chosen'),
    el('li', {}, '\u25c0 \u25b6 a rule set reaching beyond the span shown'));
}

function details(s) {
  return el('article', { class: 'card', id: 'rule-set', 'data-rule-set': s.id },
    el('h2', {}, s.title),
    el('p', {}, el('strong', {}, words(s.status)), ` - effective ${s.effective}`, s.ends ? `, ends ${s.ends}` : '',
      s.not_enforced_from ? `, not enforced from ${s.not_enforced_from}` : '', ` - verification: ${s.verification}`),
    el('p', {}, 'Citation: ', s.citation), el('p', {}, 'Source: ', source(s.source)),
    s.notes ? el('p', { class: 'muted' }, s.notes) : null,
    el('p', { class: 'muted' }, `File: data/rules/${s.file}`),
    el('h3', {}, `Rules (${s.rules.length})`),
    el('ol', { class: 'rules' }, s.rules.map((r) => el('li', {},
      el('strong', {}, `${r.id}`), ` ${words(r.kind)}: ${r.effect}`,
      el('div', {}, r.text), el('code', {}, `when ${r.when}${r.unless ? ` unless ${r.unless}` : ''}`),
      el('div', { class: 'cite' }, r.citation, r.verification ? ` (${r.verification})` : '')))));
}

// The span shown: 2022-01-01 to a quarter past the later of today and the
// date chosen, unless zoomed (buttons, or the From / Until dates).
export async function render(root) {
  const date = el('input', { id: 'rules-on', ...isoDate, value: today() });
  const from = el('input', { id: 'rules-from', ...isoDate, value: '2022-01-01' });
  const until = el('input', { id: 'rules-until', ...isoDate });
  const box = el('div', {}), detail = el('div', {}), note = el('p', { class: 'error', role: 'alert' });
  let sets = [];
  const span = () => {
    const on = date.value || today();
    const lo = t(from.value), hi = until.value ? t(until.value) : Math.max(t(today()), t(on)) + 92 * DAY;
    return [on, lo, hi];
  };
  function draw() {
    const [on, lo, hi] = span();
    if (!(lo < hi)) { note.textContent = 'From must be a date before Until (YYYY-MM-DD).'; return; }
    note.textContent = '';
    box.replaceChildren(sets.length ? timeline(sets, on, lo, hi, (s) => detail.replaceChildren(details(s)))
      : el('p', {}, 'No rule sets are loaded.'));
  }
  const zoom = (f) => {
    const [, lo, hi] = span(), mid = (lo + hi) / 2, half = Math.max(45 * DAY, ((hi - lo) / 2) * f);
    from.value = iso(mid - half);
    until.value = iso(mid + half);
    draw();
  };
  const button = (id, text, fn) => el('button', { id, type: 'button', onclick: fn }, text);
  const controls = el('div', { class: 'zoom' },
    button('rules-zoom-in', 'Zoom in', () => zoom(0.5)), button('rules-zoom-out', 'Zoom out', () => zoom(2)),
    button('rules-all', 'All years', () => {
      if (!sets.length) return;
      from.value = iso(Math.min(...sets.map((s) => t(s.effective))) - 90 * DAY);
      until.value = '';
      draw();
    }),
    button('rules-default', `2022 to today`, () => { from.value = '2022-01-01'; until.value = ''; draw(); }));
  root.append(el('div', { class: 'card' }, el('h1', {}, 'Rule sets'),
    el('div', { class: 'grid' }, el('label', {}, 'Date ', date), el('label', {}, 'From ', from), el('label', {}, 'Until ', until)),
    controls, note, legend(), box), detail);
  async function load() {
    const on = date.value || today();
    sets = await api.get(`/v1/rules?on=${on}`);
    sets.sort((a, b) => a.effective.localeCompare(b.effective) || a.id.localeCompare(b.id));
    draw();
  }
  date.addEventListener('change', load);
  for (const f of [from, until]) f.addEventListener('change', draw);
  await load();
}
