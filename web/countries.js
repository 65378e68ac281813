// countries.js - country pickers.  A box that takes an ISO code or a
// country's name: the names are offered as one types (a datalist filled
// from GET /v1/countries), a typed name becomes its code, and the chosen
// country's name is shown beside the box (with the country whose rules the
// EAR applies, HK -> CN).  The box keeps the code, which the API takes; an
// entry that is no country is said so beside it (the API refuses it too).
import { api, token } from './api.js';
import { el } from './dom.js';

let loaded = null;
// The countries, fetched once signed in: [{code, name, ear}].  Not asked
// for without a token (a page still loading while the user signs out), and
// a failed fetch is not kept, so the next picker asks again.
export const countries = () => {
  if (loaded) return loaded;
  if (!token.get()) return Promise.resolve([]);
  loaded = api.get('/v1/countries').catch((e) => { loaded = null; throw e; });
  return loaded;
};

const LIST_ID = 'country-options';

function ensureList(all) {
  if (document.getElementById(LIST_ID)) return;
  document.body.append(el('datalist', { id: LIST_ID },
    all.map((c) => el('option', { value: c.code, label: c.name }))));
}

// The country an entry names: a code, a whole name, or the start of only
// one name (any case); null when none.
export function findCountry(all, text) {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  const exact = all.find((c) => c.code.toLowerCase() === t || c.name.toLowerCase() === t);
  if (exact) return exact;
  const starts = all.filter((c) => c.name.toLowerCase().startsWith(t));
  return starts.length === 1 ? starts[0] : null;
}

// Makes the input `box` a picker (the names offered, a typed name made a
// code, the name shown beside it in an element with id box.id-name);
// returns the element to put in a label, holding the box.
export function withCountryName(box) {
  box.setAttribute('list', LIST_ID);
  box.setAttribute('autocomplete', 'off');
  const shown = el('span', { id: box.id ? `${box.id}-name` : undefined, class: 'country-name muted', 'aria-live': 'polite' });
  let all = [];
  const show = (resolve) => {
    const c = findCountry(all, box.value);
    if (c && resolve && box.value.trim().toUpperCase() !== c.code) box.value = c.code;
    shown.classList.toggle('error', !c && box.value.trim() !== '');
    shown.textContent = c ? `${c.name}${c.ear !== c.code ? ` (EAR: ${c.ear})` : ''}`
      : box.value.trim() ? 'not a country code or name' : '';
    shown.dataset.code = c ? c.code : '';
  };
  box.addEventListener('input', () => show(false));
  box.addEventListener('change', () => show(true));
  countries().then((a) => { all = a; if (a.length) ensureList(a); show(false); }).catch(() => {});
  return el('span', { class: 'country' }, box, ' ', shown);
}

// A new picker: <input id name ...attrs> made one (withCountryName).
export const countryInput = (id, name, attrs = {}) =>
  withCountryName(el('input', { id, name, size: 22, ...attrs }));
