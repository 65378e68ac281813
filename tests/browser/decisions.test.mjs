// decisions.test.mjs - screening decisions in headless Chromium (Debian's,
// through playwright-core) at 1366x900: an officer adds a license whose end
// user is on the CSL; an admin imports the CSL on the Lists page and sees
// the re-screen's new alert; the officer opens the alert, clears the hit as
// a false positive with a reason, and the alert closes; a later screening
// shows the hit as cleared; a viewer gets no clearing form and the API
// refuses a viewer's clearance.  The CSL file is over 1 MiB (padded), so
// the import goes past the request bound through the streamed upload.  Any
// page or console error, or answer >= 400, fails the run.
// Last, an admin imports a UN list whose alias "Rumuli" is graded Low: its
// hit says it rests on a weak alias, a hit by the full name does not.
// Env: BASE_URL, TOKEN (officer), ADMIN, VIEWER, SHOTS, LIST_FILE, WEAK_FILE.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { openBrowser } from './harness.mjs';

const { BASE_URL: base, TOKEN: tok, ADMIN: admin, VIEWER: viewer, SHOTS: shots, LIST_FILE: listFile,
  WEAK_FILE: weakFile } = process.env;
assert.ok(base && tok && admin && viewer && shots && listFile, 'BASE_URL, TOKEN, ADMIN, VIEWER, SHOTS and LIST_FILE are required');
const { page, problems, step, shot, passed, signIn: enter, close } = await openBrowser({ shots, httpErrors: true });
const signIn = async (t, who) => assert.match(await enter(base, t), who);

try {
  await step('an officer adds a license for an end user on no loaded list', async () => {
    await signIn(tok, /officer-olga/);
    await page.goto(`${base}/#/licenses`);
    await page.waitForSelector('#license-form');
    await page.fill('#lic-number', 'DC-1');
    await page.fill('#lic-holder', 'Acme AI Systems');
    await page.fill('#lic-chip', 'nv-h20');
    await page.fill('#lic-to', 'cn');
    await page.fill('#lic-end_user', 'Dahua Technology');
    await page.fill('#lic-from', '2025-01-01');
    await page.fill('#lic-until', '2027-12-31');
    await page.click('#lic-add');
    await page.waitForSelector('#license[data-number="DC-1"] h1');
    await page.goto(`${base}/#/alerts`);
    await page.waitForSelector('#alerts-none');
  });

  await step('an officer gets no list import form', async () => {
    await page.goto(`${base}/#/lists`);
    await page.waitForSelector('#lists-table');
    assert.equal(await page.$('#list-import'), null);
  });

  await step('an admin imports the CSL on the Lists page; the re-screen raises an alert', async () => {
    await signIn(admin, /admin-ada \(admin\)/);
    await page.goto(`${base}/#/lists`);
    await page.waitForSelector('#list-import');
    assert.equal(await page.locator('#lists-table tbody tr').count(), 1);
    // past the 1 MiB request bound: one file is streamed to POST /v1/lists/upload
    assert.ok(statSync(listFile).size > 1 << 20, 'the list file is over 1 MiB');
    await page.setInputFiles('#list-files', listFile);
    await page.click('#list-import-run');
    await page.waitForSelector('#rescreen-summary');
    assert.match(await page.textContent('#rescreen-summary'), /Re-screened 1 recorded parties: 1 hits, 0 cleared, 0 alerted before, 1 new alerts/);
    assert.match(await page.textContent('#list-import-result'), /Imported US Consolidated Screening List \(csl\): 15 entries, published 2026-07-31/);
    // freshness and entry counts of the new list
    await page.waitForSelector('#lists-table tbody tr[data-kind="csl"]');
    assert.match(await page.textContent('#lists-table tr[data-kind="csl"]'), /15/);
    const row = await page.textContent('#alerts-table tbody tr');
    assert.match(row, /Dahua Technology/);
    assert.match(row, /license:DC-1/);
    assert.match(row, /Entity List/);
    await shot('alert-raised');
  });

  await step('the officer sees the alert, screens the party and clears the hit with a reason', async () => {
    await signIn(tok, /officer-olga/);
    await page.goto(`${base}/#/alerts`);
    await page.waitForSelector('#alerts-table');
    assert.match(await page.textContent('#alerts-open'), /^1 open/);
    await shot('alerts');
    await page.click('#alerts-table a:has-text("screen to clear")');
    await page.waitForSelector('#screen-result .hits li');
    assert.equal(await page.inputValue('#scr-name'), 'Dahua Technology');
    await page.fill('#screen-result .clear-reason', 'Our customer is Dahua Technology GmbH of Munich (reg. HRB 1234), not the listed Hangzhou company');
    await page.click('#screen-result .clear-run');
    await page.waitForSelector('#screen-result .cleared');
    assert.match(await page.textContent('#screen-result .cleared'), /Cleared as a false positive by officer-olga .*published 2026-07-31.*HRB 1234/);
    await shot('hit-cleared');
  });

  await step('the alert is closed by the clearance; a later screening shows the hit cleared', async () => {
    await page.goto(`${base}/#/alerts`);
    await page.waitForSelector('#alerts-none');
    await page.goto(`${base}/#/alerts/all`);
    await page.waitForSelector('#alerts-table');
    assert.match(await page.textContent('#alerts-table tbody tr'), /cleared.*cleared by clearance 1/);
    await page.goto(`${base}/#/screen`);
    await page.fill('#scr-name', 'dahua  technology');
    await page.click('#scr-run');
    await page.waitForSelector('#screen-result .cleared');
    assert.match(await page.textContent('#screen-result h2'), /1 cleared as false positives/);
    assert.equal(await page.$('#screen-result .clear-form'), null);
    await shot('screen-cleared');
  });

  await step('a viewer sees the clearance but gets no clearing form; the API refuses a viewer', async () => {
    await signIn(viewer, /viewer-vic/);
    await page.goto(`${base}/#/screen/${encodeURIComponent('Huawei Technologies')}`);
    await page.waitForSelector('#screen-result .hits li');
    assert.equal(await page.$('#screen-result .clear-form'), null);
    const res = await fetch(`${base}/v1/clearances`, { method: 'POST', headers: { Authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ party: 'Huawei Technologies', entry: 'x', reason: 'y' }) });
    assert.equal(res.status, 403);
  });

  await step('a hit that rests on a weak alias says so (the UN list grades "Rumuli" Low)', async () => {
    await signIn(admin, /admin-ada \(admin\)/);
    await page.goto(`${base}/#/lists`);
    await page.waitForSelector('#list-import');
    await page.setInputFiles('#list-files', weakFile);
    await page.click('#list-import-run');
    await page.waitForSelector('#rescreen-summary');
    await page.goto(`${base}/#/screen/${encodeURIComponent('Rumuli')}`);
    await page.waitForSelector('#screen-result .hits li');
    assert.match(await page.textContent('#screen-result .hits li'), /GASTON IYAMUREMYE/);
    assert.match(await page.textContent('#screen-result .hits li .warn'), /weak alias: /);
    await page.goto(`${base}/#/screen/${encodeURIComponent('Gaston Iyamuremye')}`);
    await page.waitForSelector('#screen-result .hits li');
    assert.equal(await page.$('#screen-result .hits li .warn'), null);
    await shot('weak-alias');
  });

  assert.deepEqual(problems, []);
  console.log(`all ${passed()} steps passed`);
} finally {
  await close();
}
