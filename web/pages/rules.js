// pages/rules.js - the rule sets on a timeline (effective to end, coloured
// by their status on the chosen date); choosing one shows its citation,
// source, notes and each rule's text and condition.
import { api } from '../api.js';
import { el, svg, today, words, source, isoDate } from '../dom.js';

const t = (d) => Date.parse(`${d}T00:00:00Z`);

function timeline(sets, on, choose) {
  const dates = sets.flatMap((s) => [s.effective, s.ends].filter(Boolean)).concat(on);
  const lo = Math.min(...dates.map(t)) - 60 * 864e5, hi = Math.max(...dates.map(t)) + 180 * 864e5;
  const W = 900, L = 10, R = 10, row = 26, H = sets.length * row + 40;
  const x = (d) => L + ((t(d) - lo) / (hi - lo)) * (W - L - R);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', id: 'rules-timeline' });
  for (let y = new Date(lo).getUTCFullYear() + 1; t(`${y}-01-01`) < hi; y++) {
    g.append(svg('line', { x1: x(`${y}-01-01`), x2: x(`${y}-01-01`), y1: 0, y2: H - 20, class: 'year' }));
    g.append(svg('text', { x: x(`${y}-01-01`) + 3, y: H - 6, class: 'label' }, String(y)));
  }
  sets.forEach((s, i) => {
    const x0 = x(s.effective), x1 = s.ends ? x(s.ends) : W - R;
    const bar = svg('g', { class: `set s-${s.status}`, 'data-rule-set': s.id, tabindex: 0 });
    bar.append(svg('rect', { x: x0, y: i * row + 6, width: Math.max(3, x1 - x0), height: row - 8, rx: 3 }),
      svg('text', { x: x0 + 4, y: i * row + row - 7, class: 'label' }, s.id),
      svg('title', {}, `${s.title} (${words(s.status)} on ${on})`));
    bar.addEventListener('click', () => choose(s));
    bar.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') choose(s); });
    g.append(bar);
  });
  g.append(svg('line', { x1: x(on), x2: x(on), y1: 0, y2: H - 20, class: 'today' }));
  return g;
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

export async function render(root) {
  const date = el('input', { id: 'rules-on', ...isoDate, value: today() });
  const box = el('div', {}), detail = el('div', {});
  root.append(el('div', { class: 'card' }, el('h1', {}, 'Rule sets'), el('label', {}, 'Date ', date), box), detail);
  async function load() {
    const on = date.value || today();
    const sets = await api.get(`/v1/rules?on=${on}`);
    sets.sort((a, b) => a.effective.localeCompare(b.effective));
    box.replaceChildren(sets.length ? timeline(sets, on, (s) => detail.replaceChildren(details(s)))
      : el('p', {}, 'No rule sets are loaded.'));
  }
  date.addEventListener('change', load);
  await load();
}
