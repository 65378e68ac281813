// workflow.test.mjs - the console's writing pages in headless Chromium (Debian's,
// through playwright-core) at 1366x900: screen one name and a CSV file with
// its columns chosen (the report downloaded), the lists page, add a
// license, record a shipment from a check, the exporter's certifications
// (January 2026 policy) with their branches, reverse a shipment with a reason,
// verify the audit trail, and a viewer who is offered no writing forms.
// Any page error or console error fails the run.  Screenshots and the
// downloaded report go to SHOTS.  Env: BASE_URL, TOKEN (officer), VIEWER, SHOTS.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './harness.mjs';

const base = process.env.BASE_URL, tok = process.env.TOKEN, viewer = process.env.VIEWER;
const shots = process.env.SHOTS;
assert.ok(base && tok && viewer && shots, 'BASE_URL, TOKEN, VIEWER and SHOTS are required');
const { page, problems, step, shot, passed, signIn: enter, close, runCheck } = await openBrowser({ shots, acceptDownloads: true });
const signIn = (t) => enter(base, t);

try {
  await step('sign in as an officer', async () => {
    await signIn(tok);
    assert.match(await page.textContent('#who'), /officer-olga \(officer\)/);
  });

  await step('screen one name: hits with tokens, threshold and the lists searched', async () => {
    await page.goto(`${base}/#/screen`);
    await page.fill('#scr-name', 'Huawei Technologies');
    await page.click('#scr-run');
    await page.waitForSelector('#screen-result .hits li');
    // the default page, still loading after sign-in, is not rendered under this one
    await page.waitForTimeout(300);
    assert.equal(await page.$('#check-form'), null);
    const text = await page.textContent('#screen-result');
    assert.match(text, /Huawei Technologies Co\., Ltd\./);
    assert.match(text, /Threshold 0\.88/);
    assert.match(text, /US Consolidated Screening List \(csl\), published 2026-07-31, 15 entries/);
    assert.match(text, /tokens: huawei=huawei/);
    await page.fill('#scr-threshold', '0.3');
    await page.click('#scr-run');
    await page.waitForSelector('#screen-result:has-text("Threshold 0.3")');
    await shot('screen-name');
  });

  await step('screen a CSV file with its columns chosen, and download the report', async () => {
    const csv = 'customer_id,company,country,address\nC-7,Huawei Technologies Co Ltd,CN,Shenzhen\nC-8,Nordvale Precision GmbH,DE,Berlin\n';
    await page.setInputFiles('#scr-file', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('#scr-col-name');
    // the name column is chosen by its header, not by position
    assert.equal(await page.$eval('#scr-col-name option:checked', (o) => o.textContent), 'company');
    await page.selectOption('#scr-col-id', { label: 'customer_id' });
    await page.selectOption('#scr-col-country', { label: 'country' });
    await page.click('#scr-batch-run');
    await page.waitForSelector('#batch-summary');
    assert.match(await page.textContent('#batch-summary'), /Screened 2 names: 1 with hits/);
    const rows = await page.$$eval('#batch-table tbody tr', (trs) => trs.map((t) => t.textContent));
    assert.ok(rows.some((r) => r.includes('C-7') && r.includes('Huawei Technologies Co., Ltd.')), rows.join('|'));
    assert.ok(rows.some((r) => r.includes('C-8') && r.includes('no hit')), rows.join('|'));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#scr-report')]);
    const file = join(shots, 'screening-report.csv');
    await dl.saveAs(file);
    const report = readFileSync(file, 'utf8');
    assert.match(report, /^"row","id","name","country","match","score","list","entry","policy","threshold","lists searched"/);
    assert.match(report, /"C-7","Huawei Technologies Co Ltd","CN","yes"/);
    assert.match(report, /US Consolidated Screening List of 2026-07-31/);
    await shot('screen-batch');
  });

  await step('the lists page shows dates, age, counts and staleness', async () => {
    await page.goto(`${base}/#/lists`);
    await page.waitForSelector('#lists-table tr[data-kind="csl"]');
    const row = await page.textContent('#lists-table tr[data-kind="csl"]');
    assert.match(row, /2026-07-31/);
    assert.match(row, /15/);
    if (Date.now() > Date.parse('2026-08-31')) assert.match(row, /stale/);
    await shot('lists');
  });

  await step('add a license', async () => {
    await page.goto(`${base}/#/licenses`);
    await page.waitForSelector('#license-form');
    await page.fill('#lic-number', 'WF-1');
    await page.fill('#lic-holder', 'Acme AI Systems');
    await page.fill('#lic-chip', 'nv-h20');
    await page.fill('#lic-to', 'cn, hk');
    await page.fill('#lic-end_user', 'Example Cloud Co');
    await page.fill('#lic-qty', '500');
    await page.fill('#lic-from', '2025-01-01');
    await page.fill('#lic-until', '2027-12-31');
    assert.equal(await page.getAttribute('#lic-until', 'placeholder'), 'YYYY-MM-DD'); // ISO, not the locale's
    await page.fill('#lic-condition', 'no re-export; report quarterly');
    await shot('license-form');
    await page.click('#lic-add');
    await page.waitForSelector('#license[data-number="WF-1"] h1');
    assert.match(await page.textContent('#license-conditions'), /report quarterly/);
  });

  await step('record a shipment from a check in one click', async () => {
    await runCheck(base, { chip: 'nv-h20', to: 'HK', hq: 'CN', qty: 20, unit_price: 12000, on: '2025-09-01', end_user: 'Example Cloud Co' });
    await page.waitForSelector('#record-form');
    assert.equal(await page.inputValue('#rec-end_user'), 'Example Cloud Co');
    // without the license the shipment is refused, with its reason
    await page.click('#rec-run');
    await page.waitForSelector('#record-result .error:has-text("refused")');
    problems.length = 0; // Chromium logs the 409 as a failed resource
    await page.fill('#rec-license', 'WF-1');
    await page.fill('#rec-reference', 'PO-77');
    await page.click('#rec-run');
    await page.waitForSelector('#record-ok');
    assert.match(await page.textContent('#record-ok'), /under license WF-1; payment owed \$36,000\.00 \(15%\)/);
    await shot('record-shipment');
  });

  await step('an undetermined answer has its own badge naming the deciding facts; applied reasons first', async () => {
    await page.fill('#chk-to', 'DE');
    await page.fill('#chk-hq', '');
    await page.fill('#chk-on', '2026-03-01');
    await page.selectOption('#chk-chip', 'nv-h200-sxm');
    await page.click('#chk-run');
    await page.waitForSelector('#verdict[data-determined="false"]');
    assert.match(await page.textContent('#verdict'), /Undetermined: may be license required/);
    assert.match(await page.textContent('#undetermined-facts'), /depends on hq/);
    assert.equal(await page.$eval('#verdict', (n) => getComputedStyle(n).backgroundColor === getComputedStyle(document.querySelector('header')).backgroundColor), false);
    const marks = await page.$$eval('.reasons-box > ol.reasons > li .mark', (ms) => ms.map((m) => m.textContent));
    assert.ok(marks.length && marks.every((m) => !m.includes('does not apply')), marks.join('|'));
    assert.match(await page.textContent('#screening-evidence'), /threshold 0\.88/);
    assert.doesNotMatch(await page.textContent('#check-result'), /at_least/);
    await shot('undetermined');
  });

  await step("the January 2026 policy: without the exporter's certifications the console shows the branches; stating them settles it", async () => {
    // 91 FR 1684: case-by-case review only with the five prerequisites; the
    // console sends them as `attest`, like `tollgate check --attest`.
    const o = { chip: 'nv-h200-sxm', to: 'CN', hq: 'CN', on: '2026-03-01', end_use: 'none' };
    const post = async (body) => (await fetch(`${base}/v1/checks`, {
      method: 'POST', headers: { Authorization: `Bearer ${tok}` }, body: JSON.stringify(body),
    })).json();
    await runCheck(base, o);
    await page.waitForSelector('#branches li.branch');
    const open = await post(o);
    assert.equal(open.determined, false);
    assert.ok(open.branches.some((b) => b.if.includes('attest_testing')), 'the attestations decide');
    assert.deepEqual(await page.$$eval('#branches li.branch', (ls) => ls.map((l) => l.dataset.verdict)),
      open.branches.map((b) => b.verdict));
    assert.match(await page.textContent('#branches'), /attest_us_available/);
    assert.match(await page.textContent('#order-attest'), /not stated/);
    // the boxes are inert until the certifications are stated
    assert.equal(await page.isDisabled('#chk-attest-testing'), true);
    await page.check('#chk-attest_stated');
    for (const a of ['us-available', 'us-supply', 'foundry', 'security', 'testing']) await page.check(`#chk-attest-${a}`);
    await page.click('#chk-run');
    const all = await post({ ...o, attest: 'us-available,us-supply,foundry,security,testing' });
    assert.equal(all.determined, true);
    assert.equal(all.review_policy, 'case_by_case');
    await page.waitForSelector(`#verdict[data-verdict="${all.verdict}"]:not([data-determined])`);
    assert.equal(await page.$('#branches'), null);
    assert.match(await page.textContent('#check-result'), /Case by case/i);
    assert.match(await page.textContent('#order-attest'), /us-available,us-supply,foundry,security,testing/);
    // one missing: the branch "not (...)" applies: presumption of denial
    await page.uncheck('#chk-attest-testing');
    await page.click('#chk-run');
    const four = await post({ ...o, attest: 'us-available,us-supply,foundry,security' });
    assert.equal(four.review_policy, 'presumption_of_denial');
    await page.waitForSelector('#order-attest:has-text("security")');
    assert.doesNotMatch(await page.textContent('#order-attest'), /testing/);
    assert.match(await page.textContent('#check-result'), /presumption of denial/i);
    await shot('attestations');
  });

  await step('the license shows the shipment; reverse it with a reason', async () => {
    await page.goto(`${base}/#/licenses/WF-1`);
    await page.waitForSelector('#license-shipments');
    assert.match(await page.textContent('#license-shipments'), /HK \(EAR: CN\)/);
    assert.match(await page.textContent('#license-payments'), /\$36,000\.00/);
    await page.fill('.reverse-form input', 'entered against the wrong order');
    page.once('dialog', (d) => d.accept());
    await page.click('.reverse-form button');
    await page.waitForSelector('#license-shipments tbody tr:nth-child(2)');
    assert.equal(await page.locator('#license-shipments tbody tr').count(), 2);
    const text = await page.textContent('#license-shipments');
    assert.match(text, /reversal/);
    assert.match(text, /entered against the wrong order/);
    assert.match(await page.textContent('#license-payments'), /\$0\.00/);
    await shot('license-reversed');
  });

  await step('the audit trail verifies; browse it by actor and action; export it', async () => {
    await page.goto(`${base}/#/audit`);
    await page.waitForSelector('#audit-result[data-ok="true"]');
    await page.waitForSelector('#audit-table');
    await page.fill('#aud-actor', 'officer-olga');
    await page.fill('#aud-action', 'shipment.');
    await page.click('#aud-run');
    // the refused attempt of step 6 is on the trail too (shipment.refuse)
    await page.waitForSelector('#aud-export:has-text("Export these 3 records")');
    const actions = await page.$$eval('#audit-table tbody tr', (trs) => trs.map((t) => t.dataset.action));
    assert.deepEqual(actions, ['shipment.reverse', 'shipment.record', 'shipment.refuse']);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#aud-export')]);
    const file = join(shots, 'audit-export.jsonl');
    await dl.saveAs(file);
    const recs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(recs.length === 3 && recs.every((r) => r.actor === 'officer-olga' && r.hash), JSON.stringify(recs));
    await shot('audit');
  });

  await step('a viewer is offered no writing forms', async () => {
    await signIn(viewer);
    await page.goto(`${base}/#/licenses`);
    await page.waitForSelector('#licenses-table');
    assert.equal(await page.$('#license-form'), null);
    await page.goto(`${base}/#/licenses/WF-1`);
    await page.waitForSelector('#license-shipments');
    assert.equal(await page.$('.reverse-form'), null);
    assert.doesNotMatch(await page.textContent('#page'), /\bnull\b/);
    const res = await fetch(`${base}/v1/shipments/1/reverse`, { method: 'POST',
      headers: { Authorization: `Bearer ${viewer}` }, body: '{"reason": "x"}' });
    assert.equal(res.status, 403);
  });

  assert.deepEqual(problems, []);
  console.log(`all ${passed()} steps passed`);
} finally {
  await close();
}
