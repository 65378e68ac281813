// pages/chips.js - the catalog and the TPP / performance-density chart
// (drawn by the library: GET /v1/chart.svg) for a chosen date; choosing a
// chip, in the table or on the chart, shows its classification.
import { api } from '../api.js';
import { el, today, num, errorBox, isoDate } from '../dom.js';
import { reasonsList } from './check.js';

async function classification(id, on, box) {
  box.replaceChildren(el('p', { class: 'muted' }, 'Classifying...'));
  try {
    const r = await api.get(`/v1/chips/${encodeURIComponent(id)}/classification?on=${on}`);
    box.replaceChildren(el('article', { class: 'card', id: 'classification', 'data-chip': id },
      el('h2', {}, `${r.chip_name} (${r.chip})`),
      el('p', {}, 'ECCN on ', r.on, ': ', el('strong', { id: 'class-eccn' }, r.eccn ?? 'none from the rules'),
        r.eccn_unverified ? el('span', { id: 'class-eccn-unverified', title: 'rests on an unverified or estimated figure' }, '?') : '',
        r.determined ? '' : ' (depends on unknown facts)'),
      el('p', {}, `TPP ${num(r.metrics?.tpp)}, performance density ${num(r.metrics?.pd, 2)}`),
      el('h3', {}, 'Reasons'), reasonsList(r.reasons ?? [])));
    box.scrollIntoView?.({ block: 'nearest' });
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}

export async function render(root) {
  const date = el('input', { id: 'chips-on', ...isoDate, value: today() });
  const chart = el('div', { id: 'chart', class: 'chart' });
  const table = el('div', {});
  const detail = el('div', { id: 'chip-detail' });
  root.append(el('div', { class: 'card' }, el('h1', {}, 'Chips'),
    el('label', {}, 'Date ', date), chart), detail, table);

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
    table.replaceChildren(el('table', { class: 'card', id: 'chips-table' },
      el('thead', {}, el('tr', {}, ['Chip', 'Vendor', 'Name', 'TPP', 'PD', 'ECCN'].map((h) => el('th', {}, h)))),
      el('tbody', {}, chips.map((c) => el('tr', { 'data-chip': c.id, class: 'clickable',
        onclick: () => classification(c.id, on, detail) },
        el('td', {}, c.id), el('td', {}, c.vendor), el('td', {}, c.name),
        el('td', { class: 'n' }, num(c.metrics?.tpp)), el('td', { class: 'n' }, num(c.metrics?.pd, 2)),
        el('td', {}, c.eccn ?? '-', c.determined === false ? '?' : ''))))));
  }
  date.addEventListener('change', () => load().catch((e) => chart.replaceChildren(errorBox(e))));
  await load();
}
