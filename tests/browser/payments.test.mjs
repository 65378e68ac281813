// payments.test.mjs - issue 12, items 8 and 9, in headless Chromium at
// 1366x900: add a license, amend it (an amendment below what is shipped
// is refused), record a shipment from a check, record a payment and see it
// paid (due / paid / overdue per arrangement, never one sum); the license
// page shows the aggregate-TPP cap as a meter with its headroom in units
// and the Section 232 duty the H200 license incurs; the payments chart has
// rounded ticks ("$40K", not "$36,000.00") and no clipped label.  Any page
// error or console error fails the run.
// Env: BASE_URL, TOKEN (admin), SHOTS (a directory for screenshots).
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

const base = process.env.BASE_URL, tok = process.env.TOKEN, shots = process.env.SHOTS;
assert.ok(base && tok, 'BASE_URL and TOKEN are required');
const { page, problems, step, shot, passed, close, runCheck } = await openBrowser({ shots });

try {
  await step('sign in', async () => {
    await page.goto(`${base}/#/licenses`);
    await page.fill('#token', tok);
    await page.click('#signin');
    await page.waitForSelector('#license-form');
  });

  await step('add a license', async () => {
    await page.fill('#lic-number', 'PAY-1');
    await page.fill('#lic-holder', 'Acme AI Systems');
    await page.fill('#lic-chip', 'nv-h20');
    await page.fill('#lic-to', 'CN');
    await page.fill('#lic-end_user', 'Example Cloud Co');
    await page.fill('#lic-qty', '10');
    await page.fill('#lic-from', '2025-01-01');
    await page.fill('#lic-until', '2026-06-30');
    await page.click('#lic-add');
    await page.waitForSelector('#license[data-number="PAY-1"] h1');
    await shot('license-added');
  });

  await step('amend it with a reason: quantity 10 -> 50, extended to 2027', async () => {
    await page.waitForSelector('#license-change-form');
    await page.fill('#chg-qty', '50');
    await page.fill('#chg-until', '2027-12-31');
    await page.fill('#chg-reason', 'BIS amendment A-1');
    await page.click('#chg-submit');
    await page.waitForSelector('#license-qty:has-text("of 50 units")');
    assert.match(await page.textContent('#license'), /2027-12-31/);
    await shot('license-amended');
  });

  await step('record a shipment from a check', async () => {
    await runCheck(base, { chip: 'nv-h20', to: 'CN', hq: 'CN', qty: 20, unit_price: 12000, on: '2025-09-01', end_user: 'Example Cloud Co' });
    await page.waitForSelector('#record-form');
    await page.fill('#rec-license', 'PAY-1');
    await page.click('#rec-run');
    await page.waitForSelector('#record-ok');
    assert.match(await page.textContent('#record-ok'), /payment owed \$36,000\.00 \(15%\)/);
    await shot('shipment-recorded');
  });

  await step('an amendment below the 20 units shipped is refused, nothing changed', async () => {
    await page.goto(`${base}/#/licenses/PAY-1`);
    await page.waitForSelector('#license-change-form');
    await page.fill('#chg-qty', '10');
    await page.fill('#chg-reason', 'try to cut below what is shipped');
    await page.click('#chg-submit');
    await page.waitForSelector('#chg-result .error');
    assert.match(await page.textContent('#chg-result'), /20 units are already shipped/);
    problems.length = 0; // Chromium logs the 409 as a failed resource
    assert.match(await page.textContent('#license-qty'), /of 50 units/);
    // the license page names the 15% remittance it incurs, overdue (due 30 days after 2025-09-01)
    const pay = await page.textContent('#license-payments');
    assert.match(pay, /revenue-share-15/);
    assert.match(pay, /Owed \$36,000\.00, paid \$0\.00/);
    assert.equal(await page.getAttribute('#license-payments tr[data-shipment]', 'data-status'), 'overdue');
    await shot('amend-refused');
  });

  await step('the H200 license: the cap as a meter with headroom in units, and the 25% duty', async () => {
    await page.goto(`${base}/#/licenses/H200-7`);
    await page.waitForSelector('#license-caps .bar[role="meter"]');
    const meter = page.locator('#license-caps .bar[role="meter"]');
    assert.equal(await meter.getAttribute('data-pct'), '40.0'); // 4 of the 10 units allowed
    assert.equal(await page.getAttribute('#license-caps .cap-headroom', 'data-units'), '6');
    assert.match(await page.textContent('#license-caps'), /headroom 6 more units/);
    assert.match(await page.textContent('#license-caps'), /cap 50%/);
    const terms = await page.textContent('#license-payment-terms');
    assert.doesNotMatch(terms, /none/);
    assert.match(terms, /section-232-duty/);
    assert.match(await page.textContent('#license-payments'), /Owed \$30,000\.00/);
    await shot('license-cap-meter');
  });

  await step('record a payment and see it paid', async () => {
    await page.goto(`${base}/#/payments`);
    await page.waitForSelector('#payment-form');
    // the dues arrive after the form is drawn: wait for them, not for the form
    await page.locator('#payments-dues', { hasText: 'section-232-duty' }).waitFor();
    const before = await page.textContent('#payments-dues');
    assert.match(before, /revenue-share-15/);
    assert.match(before, /section-232-duty/);
    assert.doesNotMatch(before, /\$66,000/, 'the two arrangements are never summed');
    await page.selectOption('#pay-arrangement', 'revenue-share-15');
    await page.fill('#pay-license', 'PAY-1');
    await page.fill('#pay-amount_usd', '36000.00');
    await page.fill('#pay-date', '2025-09-25');
    await page.fill('#pay-reference', 'WIRE-2025-09-25');
    await page.click('#pay-add');
    await page.waitForSelector('#pay-recorded');
    await page.waitForSelector('#payments-dues [data-arrangement="revenue-share-15"] tr[data-status="paid"]');
    assert.match(await page.textContent('#payments-table'), /WIRE-2025-09-25/);
    // the duty is still owed, on its own card
    assert.equal(await page.locator('#payments-dues [data-arrangement="section-232-duty"] tr[data-status="paid"]').count(), 0);
    await shot('payment-paid');
  });

  await step('overpaying is refused and nothing is recorded', async () => {
    await page.selectOption('#pay-arrangement', 'section-232-duty');
    await page.fill('#pay-license', 'H200-7');
    await page.fill('#pay-amount_usd', '30000.01');
    await page.fill('#pay-reference', 'CBP-1');
    await page.click('#pay-add');
    await page.waitForSelector('#pay-result .error');
    assert.match(await page.textContent('#pay-result'), /more than the USD 30000\.00 outstanding/);
    problems.length = 0;
    assert.equal(await page.locator('#payments-table tbody tr').count(), 1);
  });

  await step('the chart: rounded ticks, one bar per arrangement, no label clipped', async () => {
    await page.waitForSelector('#payments-chart rect[data-arrangement]');
    const ticks = await page.$$eval('#payments-chart text.tick', (ts) => ts.map((t) => t.textContent));
    for (const t of ticks) assert.match(t, /^\$\d+(\.\d)?[KMB]?$/, `tick "${t}" is rounded`);
    const arrs = await page.$$eval('#payments-chart rect[data-arrangement]', (rs) => [...new Set(rs.map((r) => r.dataset.arrangement))]);
    assert.deepEqual(arrs.sort(), ['revenue-share-15', 'section-232-duty']);
    const labels = await page.$$eval('#payments-chart text', (ts) => ts.map((t) => t.getBBox().y));
    for (const y of labels) assert.ok(y >= 0, `a label is clipped at the top (y=${y})`);
    await shot('payments-chart');
  });

  assert.deepEqual(problems, [], 'no page or console errors');
  console.log(`${passed()} passed, 0 failed`);
} finally {
  await close();
}
