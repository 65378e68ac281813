// console.test.mjs - the console in headless Chromium (Debian's, through
// playwright-core): sign in (a wrong token first), check an order and see
// the verdict the API gives, open the chart and a chip's classification,
// a rule set, a license (bars, conditions, shipments), the payments chart
// and a quarter of it, and the audit check; any page error or console error (CSP
// included) fails the run.  Env: BASE_URL, TOKEN, SHOTS (optional dir).
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

const base = process.env.BASE_URL, tok = process.env.TOKEN, shots = process.env.SHOTS;
assert.ok(base && tok, 'BASE_URL and TOKEN are required');
const { page, problems, step, shot, passed, close, runCheck } = await openBrowser({ width: 1200, shots });

try {
  await step('a wrong token is refused', async () => {
    await page.goto(base);
    await page.fill('#token', 'tg_wrong');
    await page.click('#signin');
    await page.waitForSelector('#signin-error:text("unknown or revoked")');
    assert.equal(await page.isVisible('#nav'), false);
    problems.length = 0; // the 401 itself is logged by Chromium as a failed resource
  });

  await step('sign in', async () => {
    await page.fill('#token', tok);
    await page.click('#signin');
    await page.waitForSelector('#nav:visible');
    assert.match(await page.textContent('#who'), /\(admin\)/);
  });

  const order = { chip: 'nv-h800-sxm', to: 'CN', hq: 'CN', qty: 2, unit_price: 10000, on: '2025-01-01' };
  await step('check an order and see the verdict the API gives', async () => {
    await runCheck(base, order);
    await page.waitForSelector('#verdict');
    const res = await fetch(`${base}/v1/checks`, {
      method: 'POST', headers: { Authorization: `Bearer ${tok}` }, body: JSON.stringify(order),
    });
    const api = await res.json();
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), api.verdict);
    assert.equal(api.verdict, 'license_required');
    assert.equal(await page.textContent('#eccn'), api.eccn);
    const text = await page.textContent('#check-result');
    for (const r of api.reasons) assert.ok(text.includes(r.citation), `citation ${r.citation} shown`);
    assert.match(await page.textContent('#payment'), /15% of value = \$3,000\.00/);
    await shot('check');
  });

  await step('an unknown end use shows the branches the API gives; a given one settles it', async () => {
    const o = { ...order, to: 'MO', hq: 'DE' };
    await page.fill('#chk-to', o.to);
    await page.fill('#chk-hq', o.hq);
    await page.click('#chk-run');
    await page.waitForSelector('#branches li.branch');
    const post = async (body) => (await fetch(`${base}/v1/checks`, {
      method: 'POST', headers: { Authorization: `Bearer ${tok}` }, body: JSON.stringify(body),
    })).json();
    const api = await post(o);
    assert.equal(api.determined, false);
    const shown = await page.$$eval('#branches li.branch', (ls) => ls.map((l) => l.dataset.verdict));
    assert.deepEqual(shown, api.branches.map((b) => b.verdict));
    assert.ok(api.branches.length >= 2, 'the end use decides between verdicts');
    const subject = await page.textContent('#subject');
    assert.match(subject, /Subject to the EAR: yes/);
    const settled = await post({ ...o, end_use: 'none' });
    assert.equal(settled.determined, true);
    assert.notEqual(settled.verdict, api.verdict);
    await page.selectOption('#chk-end_use', 'none');
    await page.click('#chk-run');
    await page.waitForSelector(`#verdict[data-verdict="${settled.verdict}"]`);
    assert.equal(await page.$('#branches'), null);
    await shot('branches');
  });

  await step('a bad order shows the API error', async () => {
    await page.fill('#chk-to', 'XX');
    await page.click('#chk-run');
    await page.waitForSelector('#check-result .error:text("XX")');
    problems.length = 0; // the 400 is logged by Chromium as a failed resource
  });

  await step('open the chart and a chip on it', async () => {
    await page.goto(`${base}/#/chips`);
    await page.waitForSelector('#chart svg circle.chip');
    await page.fill('#chips-on', '2025-01-01');
    await page.dispatchEvent('#chips-on', 'change');
    await page.waitForSelector('#chart svg[data-on="2025-01-01"]');
    assert.ok(await page.locator('#chart svg rect[data-eccn="3A090.a"]').count() > 0);
    assert.ok(await page.locator('#chart svg circle.chip').count() >= 5);
    // H100, H800 and H200 share a point; send the click to the H100's circle.
    await page.locator('#chart svg circle[data-chip="nv-h100-sxm"]').dispatchEvent('click');
    await page.waitForSelector('#classification[data-chip="nv-h100-sxm"]');
    assert.equal(await page.textContent('#class-eccn'), '3A090.a');
    // derate from the chip's page
    assert.equal(await page.getAttribute('#class-links a[href^="#/envelope/"]', 'href'), '#/envelope/nv-h100-sxm');
    await shot('chips');
  });

  await step('open a rule set from the timeline', async () => {
    await page.goto(`${base}/#/rules`);
    await page.click('#rules-timeline [data-rule-set="test-3a090-2023"]');
    await page.waitForSelector('#rule-set[data-rule-set="test-3a090-2023"]');
    assert.match(await page.textContent('#rule-set'), /88 FR 73458/);
    await shot('rules');
  });

  await step('open a license from the licenses page', async () => {
    const doc = await (await fetch(`${base}/v1/openapi.json`)).json();
    assert.ok(doc.paths['/v1/licenses'] && doc.paths['/v1/licenses/{number}'], 'the ledger API is served');
    await page.goto(`${base}/#/licenses`);
    await page.waitForSelector('#licenses-table .bar[data-kind="qty"]');
    await page.click('#licenses-table tr[data-number="D100"]');
    await page.waitForSelector('#license[data-number="D100"] #license-shipments');
    const l = await (await fetch(`${base}/v1/licenses/D100`, { headers: { Authorization: `Bearer ${tok}` } })).json();
    assert.equal(l.used.qty, 15);
    assert.equal(await page.getAttribute('#license-qty .bar', 'data-pct'), '15.0');
    assert.equal(await page.getAttribute('#license-value .bar', 'data-pct'), '6.0');
    assert.match(await page.textContent('#license-conditions'), /no re-export/);
    assert.equal(await page.locator('#license-shipments tbody tr').count(), 2);
    assert.equal(await page.isVisible('#revoke-form'), true); // an admin may revoke
    await shot('license');
  });

  await step('the payments chart by quarter, and one quarter by license', async () => {
    await page.goto(`${base}/#/payments`);
    await page.waitForSelector('#payments-chart .q[data-quarter="2025Q4"] rect');
    assert.equal(await page.locator('#payments-chart .q').count(), 2);
    await page.waitForSelector('#quarter-detail [data-quarter="2025Q4"]');
    await page.locator('#payments-chart .q[data-quarter="2025Q3"]').dispatchEvent('click');
    await page.waitForSelector('#quarter-detail [data-quarter="2025Q3"]');
    assert.match(await page.textContent('#quarter-table'), /D100[\s\S]*\$30,000\.00/);
    await shot('payments');
  });

  await step('the audit check', async () => {
    await page.goto(`${base}/#/audit`);
    await page.waitForSelector('#audit-result[data-ok="true"]');
    const v = await (await fetch(`${base}/v1/audit/verify`, { headers: { Authorization: `Bearer ${tok}` } })).json();
    assert.ok(v.ok && v.records >= 3, 'the license and two shipments are on the trail');
    assert.match(await page.textContent('#audit-result'), new RegExp(`OK: ${v.records} records verified; head ${v.head}`));
    await shot('audit');
  });

  await step('the envelope, derate, timeline, what changed and compare pages draw SVG', async () => {
    await page.goto(`${base}/#/envelope/nv-h100-sxm`);
    await page.waitForSelector('#envelope-out .multiples svg.envelope rect[data-outcome]');
    assert.ok(await page.locator('#headline li').count() === 3, 'three headline numbers');
    await page.waitForSelector('#derate-out p');
    // only real edges are drawn, each naming the outcomes on its two sides
    await page.waitForSelector('#envelope-out svg.envelope line.edge', { state: 'attached' });
    const edgeTitles = await page.$$eval('#envelope-out svg.envelope line.edge title', (ts) => ts.map((t) => t.textContent));
    if (!edgeTitles.length || edgeTitles.some((t) => { const m = t.match(/: (.*) → (.*) \[/); return !m || m[1] === m[2]; }))
      throw new Error(`envelope edges: ${edgeTitles.slice(0, 3).join(' | ')}`);
    await page.waitForSelector('#envelope-out ul.assumptions li');
    // the order facts: a restricted end use on the derate form changes the answer and is stated
    await page.selectOption('#derate-form select[name=end_use]', 'supercomputer');
    await page.click('#derate-form button');
    // a locator wait, not waitForFunction: the console's CSP forbids the eval that polling needs
    await page.locator('#derate-out ul.assumptions li', { hasText: 'end use is the one given' }).first().waitFor();
    await shot('envelope');
    await page.goto(`${base}/#/timeline/nv-h100-sxm`);
    await page.waitForSelector('#timeline-out svg.band rect[data-class]');
    await page.waitForSelector('#timeline-out ul.assumptions li');
    await shot('timeline');
    await page.goto(`${base}/#/changes`);
    await page.waitForSelector('#changes-out h3');
    await page.waitForSelector('#changes-out ul.assumptions li');
    await shot('changes');
    await page.goto(`${base}/#/compare`);
    await page.waitForSelector('#compare-out svg.hbars g[data-chip]');
    await shot('compare');
  });

  await step('sign out', async () => {
    await page.click('#signout');
    await page.waitForSelector('#signin-form:visible');
  });

  assert.deepEqual(problems, [], 'no page or console errors');
  console.log(`${passed()} passed, 0 failed`);
} finally {
  await close();
}
