// app.js - the console shell: sign in with a token (checked against
// GET /v1/whoami), then route #/NAME to the page module of that name.
// To add a page: write pages/NAME.js exporting render(root, params) and
// list it in `pages` below (and a link in index.html's nav).
import { api, token, whenUnauthorized } from './api.js';
import { errorBox } from './dom.js';
import * as check from './pages/check.js';
import * as chips from './pages/chips.js';
import * as rules from './pages/rules.js';
import * as ledger from './pages/ledger.js';
import * as screening from './pages/screen.js';
import * as capabilities from './pages/capabilities.js';
import * as decisions from './pages/decisions.js';

const pages = {
  check, chips, rules,
  licenses: ledger.licenses, payments: ledger.payments, audit: ledger.audit,
  screen: screening.screen, lists: screening.lists, alerts: decisions.alerts,
  envelope: { render: capabilities.envelope }, timeline: { render: capabilities.timeline },
  changes: { render: capabilities.changes }, compare: { render: capabilities.compare },
};

const $ = (id) => document.getElementById(id);

function showSignIn(message = '') {
  token.clear();
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
  $('page').replaceChildren();
  $('signin-form').hidden = false;
  $('signin-error').textContent = message;
  $('token').focus();
}

async function route() {
  if (!token.get()) return showSignIn();
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name] ?? pages.check;
  for (const a of document.querySelectorAll('#nav a'))
    a.classList.toggle('active', a.getAttribute('href') === `#/${name || 'check'}`);
  // Each route renders into its own box; a slower earlier render (e.g. the
  // default page right after sign-in) then fills a box no longer shown,
  // never the page under the current one.
  const box = document.createElement('div');
  $('page').replaceChildren(box);
  try {
    await page.render(box, rest.map(decodeURIComponent));
  } catch (e) {
    box.append(errorBox(e));
  }
}

async function signIn(t) {
  token.set(t);
  try {
    const me = await api.get('/v1/whoami');
    $('signin-form').hidden = true;
    $('nav').hidden = false;
    $('signout').hidden = false;
    $('who').textContent = `${me.name} (${me.role})`;
    document.body.dataset.role = me.role;
    await route();
  } catch (e) {
    showSignIn(e.status === 401 ? 'That token is unknown or revoked.' : e.message);
  }
}

whenUnauthorized(() => showSignIn('Your token is no longer valid: sign in again.'));
$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  signIn($('token').value.trim());
});
$('signout').addEventListener('click', () => showSignIn());
window.addEventListener('hashchange', () => { if (token.get()) route(); });

if (token.get()) signIn(token.get());
else showSignIn();
