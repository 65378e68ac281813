// pages/decisions.js - screening decisions in the console.  A hit's
// clearance (shown under the hit, or a "Clear as false positive" form with
// a reason, for officers: POST /v1/clearances); the Alerts page (hits a
// re-screen found after a list import: GET /v1/alerts, closed with a note:
// POST /v1/alerts/{id}/close); and the list import form of the Lists page
// (admins: one file streamed to POST /v1/lists/upload, several in one
// POST /v1/lists), which answers with the re-screen's new alerts.
import { api } from '../api.js';
import { el, num, errorBox } from '../dom.js';

const role = () => document.body.dataset.role;
const canWrite = () => ['officer', 'admin'].includes(role());
const stamp = (t) => (t ?? '').replace('T', ' ').replace('Z', ' UTC');

// What a hit's clearance says, or for an officer the form that records one.
export function clearance(party, h, onCleared) {
  const c = h.cleared;
  if (c) {
    return el('div', { class: 'cleared', 'data-clearance': c.id },
      el('strong', {}, 'Cleared as a false positive'),
      ` by ${c.cleared_by} on ${stamp(c.cleared_at)} (list version: ${c.list_version}): ${c.reason}`);
  }
  if (!canWrite()) return null;
  const reason = el('input', { class: 'clear-reason', placeholder: 'why this hit is not the party', required: true, size: 40 });
  const msg = el('span', { class: 'muted' });
  const form = el('form', { class: 'clear-form' }, reason,
    el('button', { type: 'submit', class: 'clear-run' }, 'Clear as false positive'), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const rec = await api.post('/v1/clearances', { party, entry: h.name, list: h.list, reason: reason.value.trim() });
      form.replaceWith(clearance(party, { ...h, cleared: rec }, onCleared));
      if (onCleared) onCleared(rec);
    } catch (e) { msg.replaceChildren(errorBox(e)); }
  });
  return form;
}

function alertRow(a, reload) {
  const note = el('input', { class: 'close-note', placeholder: 'what was decided', required: true, size: 30 });
  const close = a.status === 'open' && canWrite()
    ? el('form', { class: 'close-form' }, note, el('button', { type: 'submit' }, 'Close'))
    : null;
  close?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await api.post(`/v1/alerts/${a.id}/close`, { note: note.value.trim() }); reload(); }
    catch (e) { close.append(errorBox(e)); }
  });
  return el('tr', { 'data-alert': a.id, class: a.status === 'open' ? 'hit' : '' },
    el('td', {}, a.id), el('td', {}, a.status), el('td', {}, a.party), el('td', {}, a.recorded_in),
    el('td', {}, a.entry, el('div', { class: 'cite' }, a.list)), el('td', { class: 'n' }, a.score),
    el('td', {}, a.list_version), el('td', {}, `${stamp(a.raised_at)} (${a.raised_by})`),
    el('td', {}, a.status === 'open' ? (close ?? '') : `${stamp(a.closed_at)} ${a.closed_by}: ${a.close_note}`,
      a.status === 'open' ? el('div', {}, el('a', { href: `#/screen/${encodeURIComponent(a.party)}` }, 'screen to clear')) : null));
}

export function alertsTable(list, reload) {
  if (!list.length) return el('p', { class: 'ok', id: 'alerts-none' }, 'No alerts.');
  return el('table', { id: 'alerts-table' },
    el('thead', {}, el('tr', {}, ['#', 'Status', 'Party', 'Recorded in', 'Hit', 'Score', 'List version', 'Raised', 'Decision']
      .map((t) => el('th', {}, t)))),
    el('tbody', {}, list.map((a) => alertRow(a, reload))));
}

export const alerts = {
  async render(root, rest = []) {
    const status = rest[0] === 'all' ? 'all' : 'open';
    const box = el('div', { class: 'card', id: 'alerts' });
    root.append(box);
    const load = async () => {
      const r = await api.get(`/v1/alerts?status=${encodeURIComponent(status)}`);
      box.replaceChildren(el('h1', {}, 'Screening alerts'),
        el('p', { id: 'alerts-open' }, `${num(r.open)} open. Alerts are raised when a list import re-screens the recorded parties (shipments' and licenses' end users, cleared parties) and finds a hit not cleared before.`),
        el('p', {}, status === 'all' ? el('a', { href: '#/alerts' }, 'Show open alerts only') : el('a', { href: '#/alerts/all' }, 'Show every alert')),
        alertsTable(r.alerts, load));
    };
    try { await load(); } catch (e) { box.replaceChildren(errorBox(e)); }
  },
};

// The Lists page's import form (admins): upload list files, import them,
// and show the re-screen's new alerts.
export function listImport(onDone) {
  if (role() !== 'admin') return el('p', { class: 'muted' }, 'Admins import lists here (or with `tollgate lists import FILE...`).');
  const file = el('input', { id: 'list-files', type: 'file', multiple: true, accept: '.csv,.json,.xml' });
  const out = el('div', { id: 'list-import-result' });
  const form = el('form', { id: 'list-import', class: 'card' }, el('h2', {}, 'Import list files'),
    el('p', { class: 'muted' }, 'CSL (CSV or JSON), OFAC SDN (sdn.csv with alt.csv and add.csv) or UN (XML). Each list replaces the stored list of its kind, then every recorded party is screened again.'),
    file, el('button', { id: 'list-import-run', type: 'submit' }, 'Import'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!file.files.length) { out.replaceChildren(errorBox(new Error('choose at least one list file'))); return; }
    try {
      out.replaceChildren(el('p', { class: 'muted' }, 'Importing...'));
      // one file is streamed as it is (its own, larger bound); a set (OFAC
      // sdn + alt + add) goes in one JSON body
      const r = file.files.length === 1
        ? await api.upload(`/v1/lists/upload?name=${encodeURIComponent(file.files[0].name)}`, file.files[0])
        : await api.post('/v1/lists', { files: await Promise.all([...file.files].map(async (f) => ({ name: f.name, content: await f.text() }))) });
      const rs = r.rescreen;
      out.replaceChildren(
        el('ul', {}, r.imported.map((l) => el('li', {}, `Imported ${l.title} (${l.kind}): ${num(l.entries)} entries, published ${l.published ?? 'date not stated'}`))),
        rs
          ? el('p', { id: 'rescreen-summary' }, `Re-screened ${num(rs.parties)} recorded parties: ${num(rs.hits)} hits, ${num(rs.cleared)} cleared, ${num(rs.known)} alerted before, ${num(rs.alerts.length)} new alerts.`)
          : el('p', { id: 'rescreen-summary', class: 'error' }, r.rescreen_error ? r.rescreen_error.message : 'the lists are imported, but the recorded parties were not re-screened'),
        rs && rs.alerts.length ? alertsTable(rs.alerts, () => { location.hash = '#/alerts'; }) : null);
      if (onDone) onDone(r);
    } catch (e) { out.replaceChildren(errorBox(e)); }
  });
  return form;
}
