// pages/chips.js - the catalog and the TPP / performance-density chart
// (drawn by the library: GET /v1/chart.svg) for a chosen date, each point
// labelled with its chip and the chips left off named below it; choosing
// a chip, in the table, the list or on the chart, shows its
// classification.  Metrics known only from below read ">= N", as in the CLI.
import { api } from '../api.js';
import { el, today, num, errorBox, isoDate } from '../dom.js';
import { reasonsList } from './check.js';

// A metric as the CLI prints it: the value, ">= lo" when only a lower
// bound is known (metrics.KEY_at_least), "?" when unknown.
export function metric(m, key, d = 0) {
  if (typeof m?.[key] === 'number') return num(m[key], d);
  const lo = m?.[`${key}_at_least`] ?? m?.details?.[key]?.at_least; // listing / classification
  return typeof lo === 'number' && lo > 0 ? `>= ${num(lo, d)}` : '?';
}

// Every point on the chart labelled with its chip(s) (points at the same
// place share a label; a label that would cover another moves down).
function labelDots(svgEl) {
  const groups = new Map();
  for (const c of svgEl.querySelectorAll('circle.chip[data-chip]')) {
    const k = `${c.getAttribute('cx')},${c.getAttribute('cy')}`;
    if (!groups.has(k)) groups.set(k, { x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), ids: [] });
    groups.get(k).ids.push(c.getAttribute('data-chip'));
  }
  const layer = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  layer.setAttribute('class', 'dot-labels');
  svgEl.append(layer);
  const [px, , pw] = (svgEl.getAttribute('data-plot-area') ?? '').split(/\s+/).map(Number);
  const right = pw > 0 ? px + pw : Infinity;
  const placed = [];
  const hits = (a) => placed.some((b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height);
  for (const g of [...groups.values()].sort((a, b) => a.y - b.y || a.x - b.x)) {
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    const text = g.ids.join(', ');
    t.setAttribute('class', 'dot-label');
    t.setAttribute('data-chips', text);
    t.textContent = text;
    t.setAttribute('x', g.x + 7);
    let y = g.y - 6;
    t.setAttribute('y', y);
    layer.append(t);
    let box = t.getBBox(); // measured as drawn
    if (box.x + box.width > right) { // would run past the plot: to the dot's left
      t.setAttribute('text-anchor', 'end');
      t.setAttribute('x', g.x - 7);
      box = t.getBBox();
    }
    for (let n = 0; hits(box) && n < 40; n++) { // below the labels already placed
      t.setAttribute('y', y += box.height);
      box = t.getBBox();
    }
    placed.push(box);
  }
}

// The chips the chart leaves off (TPP or density not known exactly), named.
function offChart(chips, svgEl) {
  const on = new Set([...svgEl.querySelectorAll('circle.chip[data-chip]')].map((c) => c.getAttribute('data-chip')));
  const off = chips.filter((c) => !on.has(c.id));
  if (!off.length) return el('p', { id: 'off-chart', class: 'muted' }, 'Every catalog chip is on the chart.');
  return el('div', { id: 'off-chart' },
    el('p', { class: 'muted' }, `${off.length} of ${chips.length} chips are not on the chart: their TPP or performance density is not known exactly.`),
    el('ul', { class: 'off-chart' }, off.map((c) => el('li', { 'data-chip': c.id, class: 'clickable' },
      el('strong', {}, c.id), ` ${c.vendor} ${c.name}: TPP ${metric(c.metrics, 'tpp')}, density ${metric(c.metrics, 'pd', 2)}`))));
}

async function classification(id, on, box) {
  box.replaceChildren(el('p', { class: 'muted' }, 'Classifying...'));
  try {
    const r = await api.get(`/v1/chips/${encodeURIComponent(id)}/classification?on=${on}`);
    box.replaceChildren(el('article', { class: 'card', id: 'classification', 'data-chip': id },
      el('h2', {}, `${r.chip_name} (${r.chip})`),
      el('p', {}, 'ECCN on ', r.on, ': ', el('strong', { id: 'class-eccn' }, r.eccn ?? 'none from the rules'),
        r.eccn_unverified ? el('span', { id: 'class-eccn-unverified', title: 'rests on an unverified or estimated figure' }, '?') : '',
        r.determined ? '' : ' (depends on unknown facts)'),
      el('p', {}, `TPP ${metric(r.metrics, 'tpp')}, performance density ${metric(r.metrics, 'pd', 2)}`),
      el('p', { id: 'class-links' }, el('a', { href: `#/envelope/${encodeURIComponent(id)}` }, 'Derate this chip'), ' · ',
        el('a', { href: `#/timeline/${encodeURIComponent(id)}` }, 'Its answer over time')),
      el('h3', {}, 'Reasons'), reasonsList(r.reasons ?? [])));
    box.scrollIntoView?.({ block: 'nearest' });
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}

export async function render(root) {
  const date = el('input', { id: 'chips-on', ...isoDate, value: today() });
  const chart = el('div', { id: 'chart', class: 'chart' });
  const table = el('div', {}), off = el('div', {});
  const detail = el('div', { id: 'chip-detail' });
  root.append(el('div', { class: 'card' }, el('h1', {}, 'Chips'),
    el('label', {}, 'Date ', date), chart, off), detail, table);

  async function load() {
    const on = date.value || today();
    chart.replaceChildren(el('p', { class: 'muted' }, 'Drawing...'));
    const [svgText, chips] = await Promise.all([api.text(`/v1/chart.svg?on=${on}`), api.get(`/v1/chips?on=${on}`)]);
    const svg = document.importNode(new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement, true);
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.addEventListener('click', (ev) => {
      const id = ev.target.closest('[data-chip]')?.getAttribute('data-chip');
      if (id) classification(id, on, detail);
    });
    chart.replaceChildren(svg);
    labelDots(svg);
    off.replaceChildren(offChart(chips, svg));
    off.onclick = (ev) => {
      const id = ev.target.closest('[data-chip]')?.getAttribute('data-chip');
      if (id) classification(id, on, detail);
    };
    table.replaceChildren(el('table', { class: 'card', id: 'chips-table' },
      el('thead', {}, el('tr', {}, ['Chip', 'Vendor', 'Name', 'TPP', 'PD', 'ECCN'].map((h) => el('th', {}, h)))),
      el('tbody', {}, chips.map((c) => el('tr', { 'data-chip': c.id, class: 'clickable',
        onclick: () => classification(c.id, on, detail) },
        el('td', {}, c.id), el('td', {}, c.vendor), el('td', {}, c.name),
        el('td', { class: 'n' }, metric(c.metrics, 'tpp')), el('td', { class: 'n' }, metric(c.metrics, 'pd', 2)),
        el('td', {}, c.eccn ?? '-', c.determined === false ? '?' : ''))))));
  }
  date.addEventListener('change', () => load().catch((e) => chart.replaceChildren(errorBox(e))));
  await load();
}
