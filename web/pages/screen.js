// pages/screen.js - Screening in the console.  Screen: one name, or a CSV
// file whose name (and country, id) columns the officer chooses; each name
// goes to POST /v1/screen, every hit is shown with the tokens that matched
// and the list it is on, and the results download as a CSV report.  Lists:
// the stored lists with their publication dates, age, entry counts and a
// stale flag (GET /v1/lists), and for admins the import form (decisions.js);
// cleared hits show their clearance.  Every answer states its threshold and the
// lists it searched.
import { api } from '../api.js';
import { el, num, today, errorBox } from '../dom.js';
import { clearance, listImport } from './decisions.js';

// One CSV record per line (quotes honoured, "" inside quotes).
export function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const f = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q && c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = !q;
      else if (c === ',' && !q) { f.push(cur); cur = ''; } else cur += c;
    }
    f.push(cur);
    rows.push(f.map((s) => s.trim()));
  }
  return rows;
}

const csvCell = (v) => `"${String(v ?? '').replaceAll('"', '""')}"`;

function evidence(r) {
  const s = r.screening ?? {};
  return el('div', { class: 'evidence muted' },
    `Threshold ${r.threshold}; searched: `,
    (s.lists ?? []).map((l, i) => el('span', { class: l.stale ? 'warn' : '' }, i ? '; ' : '',
      `${l.title} (${l.kind}), published ${l.published ?? 'date not stated'}, ${num(l.entries)} entries`,
      l.stale ? ' (stale)' : '')),
    (s.lists ?? []).length ? '' : 'no lists are loaded');
}

function hitsList(r, party) {
  if (!r.hits.length) return el('p', { class: 'ok' }, `No hit at or above ${r.threshold}.`);
  const more = r.hits_total - r.hits.length;
  return el('ol', { class: 'hits' }, r.hits.map((h) => el('li', {},
    el('strong', {}, `${h.score.toFixed(3)} `), h.name,
    h.matched_name !== h.name ? el('span', { class: 'muted' }, ` (matched: ${h.matched_name})`) : null,
    el('div', { class: 'cite' }, h.list, h.license_policy ? ` - policy: ${h.license_policy}` : ''),
    h.weak_alias ? el('div', { class: 'warn' }, `weak alias: ${h.weak_alias.why}`) : null,
    h.common_name ? el('div', { class: 'warn' }, `common name: ${h.common_name.why}`) : null,
    h.common_alias ? el('div', { class: 'warn' }, `common alias: ${h.common_alias.why}`) : null,
    h.relative ? el('div', { class: 'warn' }, `relative: ${h.relative.why}`) : null,
    h.generic_place ? el('div', { class: 'warn' }, `common words, place left out: ${h.generic_place.why}`) : null,
    el('div', { class: 'compared' }, 'tokens: ', (h.tokens ?? []).map((t) => `${t.query}=${t.entry} (${t.score.toFixed(2)})`).join(', '),
      (h.unmatched_query ?? []).length ? `; unmatched: ${h.unmatched_query.join(', ')}` : ''),
    party ? clearance(party, h) : null)),
  more > 0 ? el('li', { class: 'muted' }, `... and ${more} more at or above ${r.threshold} not shown`) : null);
}

function oneName(root, initial) {
  const name = el('input', { id: 'scr-name', placeholder: 'a company or person', required: true, value: initial ?? '' });
  const thr = el('input', { id: 'scr-threshold', type: 'number', min: 0.01, max: 1, step: 0.01, placeholder: 'server default' });
  const out = el('div', { id: 'screen-result' });
  const form = el('form', { id: 'screen-form', class: 'card grid' }, el('h1', {}, 'Screen a name'),
    el('label', {}, 'Name', name), el('label', {}, 'Threshold (0-1)', thr),
    el('button', { id: 'scr-run', type: 'submit' }, 'Screen'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { name: name.value.trim() };
    if (thr.value) body.threshold = Number(thr.value);
    try {
      const r = await api.post('/v1/screen', body);
      out.replaceChildren(el('div', { class: 'card' }, el('h2', {}, `${r.query}: ${r.hits.length} hit(s)`,
        r.hits_cleared ? `, ${r.hits_cleared} cleared as false positives` : ''),
        evidence(r), (r.warnings ?? []).map((w) => el('p', { class: 'warn' }, w.text)), hitsList(r, r.query)));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  root.append(form, out);
  if (initial) form.requestSubmit();
}

function fileBatch(root) {
  const file = el('input', { id: 'scr-file', type: 'file', accept: '.csv,text/csv' });
  const cols = el('div', { id: 'scr-columns', class: 'grid' });
  const out = el('div', { id: 'batch-result' });
  const card = el('div', { class: 'card' }, el('h1', {}, 'Screen a CSV file'),
    el('p', { class: 'muted' }, 'The first line must be a header; choose the column with the names (and, if any, the country and your reference).'),
    file, cols);
  root.append(card, out);
  file.addEventListener('change', async () => {
    const rows = parseCsv(await file.files[0].text());
    if (rows.length < 2) { cols.replaceChildren(errorBox(new Error('the file has no rows under its header'))); return; }
    const header = rows[0];
    const pick = (id, label, guess, optional) => el('label', {}, label, el('select', { id },
      optional ? el('option', { value: '' }, '(none)') : null,
      header.map((h, i) => el('option', { value: i, selected: guess.test(h) }, h))));
    const run = el('button', { id: 'scr-batch-run', type: 'button' }, `Screen ${num(rows.length - 1)} names`);
    cols.replaceChildren(pick('scr-col-name', 'Name column', /name|company/i),
      pick('scr-col-country', 'Country column', /country/i, true), pick('scr-col-id', 'Reference column', /id$/i, true), run);
    run.addEventListener('click', async () => {
      const col = (id) => document.getElementById(id).value;
      const [ni, ci, ii] = [col('scr-col-name'), col('scr-col-country'), col('scr-col-id')];
      const report = [['row', 'id', 'name', 'country', 'match', 'score', 'list', 'entry', 'policy', 'threshold', 'lists searched']];
      const body = el('tbody', {});
      let hits = 0, withHits = 0, lists = '';
      out.replaceChildren(el('p', { class: 'muted', id: 'batch-progress' }, 'Screening...'));
      for (let k = 1; k < rows.length; k++) {
        const row = rows[k], name = row[ni] ?? '';
        if (!name) continue;
        const req = { name, limit: 100 };
        if (ci !== '' && row[ci]) req.country = row[ci];
        let r;
        try { r = await api.post('/v1/screen', req); } catch (e) {
          body.append(el('tr', { class: 'error' }, el('td', {}, k), el('td', { colspan: 5 }, `${name}: ${e.message}`)));
          continue;
        }
        lists = (r.screening?.lists ?? []).map((l) => `${l.title} of ${l.published ?? '?'}`).join('; ');
        withHits += r.hits.length > 0;
        hits += r.hits.length;
        const id = ii !== '' ? row[ii] : '';
        const lines = r.hits.length ? r.hits : [null];
        for (const h of lines) {
          report.push([k, id, name, req.country ?? '', h ? 'yes' : 'no', h ? h.score.toFixed(3) : '', h?.list ?? '',
            h?.name ?? '', h?.policy ?? '', r.threshold, lists]);
          body.append(el('tr', { class: h ? 'hit' : '' }, el('td', {}, k), el('td', {}, id), el('td', {}, name),
            el('td', {}, h ? h.score.toFixed(3) : 'no hit'), el('td', {}, h?.name ?? ''), el('td', {}, h?.list ?? '')));
        }
      }
      const blob = new Blob([report.map((r) => r.map(csvCell).join(',')).join('\n') + '\n'], { type: 'text/csv' });
      const dl = el('a', { id: 'scr-report', href: URL.createObjectURL(blob), download: `screening-${today()}.csv` },
        'Download the report (CSV)');
      out.replaceChildren(el('div', { class: 'card' },
        el('p', { id: 'batch-summary' }, `Screened ${num(rows.length - 1)} names: ${num(withHits)} with hits (${num(hits)} hits). Lists: ${lists || 'none'}.`),
        dl,
        el('table', { id: 'batch-table' }, el('thead', {}, el('tr', {},
          ['Row', 'Reference', 'Name', 'Score', 'Entry', 'List'].map((h) => el('th', {}, h)))), body)));
    });
  });
}

export const screen = {
  async render(root, rest = []) {
    oneName(root, rest[0]);
    fileBatch(root);
  },
};

function listsCard(ls) {
    const now = Date.parse(today());
    return el('div', { class: 'card', id: 'lists' }, el('h1', {}, 'Screening lists'),
      ls.length ? el('table', { id: 'lists-table' },
        el('thead', {}, el('tr', {}, ['List', 'Kind', 'Published', 'Age', 'Imported', 'Entries', 'By list']
          .map((h) => el('th', {}, h)))),
        el('tbody', {}, ls.map((l) => {
          const age = l.published ? Math.round((now - Date.parse(l.published)) / 864e5) : null;
          return el('tr', { 'data-kind': l.kind },
            el('td', {}, l.title), el('td', {}, l.kind), el('td', {}, l.published ?? 'not stated'),
            el('td', { class: age === null || age > 30 ? 'warn' : '' }, age === null ? 'unknown' : `${num(age)} days${age > 30 ? ' (stale: older than 30 days)' : ''}`),
            el('td', {}, (l.imported_at ?? '').replace('T', ' ').replace('Z', ' UTC')), el('td', { class: 'n' }, num(l.entries)),
            el('td', {}, el('ul', {}, Object.entries(l.by_list ?? {}).map(([k, v]) => el('li', {}, `${k}: ${num(v)}`)))));
        })))
        : el('p', {}, 'No screening lists are loaded.'),
      el('p', { class: 'muted' }, 'Import new lists below or with `tollgate lists import FILE...`; a running server loads them within a second.'));
}

export const lists = {
  async render(root) {
    let card = listsCard(await api.get('/v1/lists'));
    root.append(card, listImport(async () => {
      const fresh = listsCard(await api.get('/v1/lists'));
      card.replaceWith(fresh);
      card = fresh;
    }));
  },
};
