// console_items.test.mjs - issue 12, items 7 and 13, in headless Chromium
// (Debian's, through playwright-core) at 1366x900: one page after sign-in
// (also when the route changes while the first page loads); the rules
// timeline (2022 to today by default, every rule set's name whole, bars
// not squeezed, axis labels apart, a legend, zoom in / out / all years);
// ISO dates and no date picker in the locale's format on any page; country
// pickers (names offered, a typed name becomes its code, the name shown,
// the exporting country sent); lower bounds where the CLI prints them;
// every chart point labelled and every chip left off named; a "no such
// license" card.  Any page error or console error fails the run.
// Env: BASE_URL, TOKEN (admin), SHOTS (a directory for screenshots).
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

const base = process.env.BASE_URL, tok = process.env.TOKEN, shots = process.env.SHOTS;
assert.ok(base && tok, 'BASE_URL and TOKEN are required');
const get = async (path) => (await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${tok}` } })).json();
const today = new Date().toISOString().slice(0, 10);
const { page, problems, step, shot, passed, close } = await openBrowser({ shots });

try {
  const onePage = async () => {
    assert.equal(await page.locator('#page > *').count(), 1, 'one page box');
    return page.locator('#page > *').first();
  };

  await step('sign in on a deep link: only that page, nothing under it', async () => {
    await page.goto(`${base}/#/rules`);
    await page.fill('#token', tok);
    await page.click('#signin');
    await page.waitForSelector('#rules-timeline');
    await page.waitForTimeout(1000); // a default page rendered late would show by now
    await onePage();
    assert.equal(await page.locator('#check-form').count(), 0);
  });

  await step('a route changed while the first page loads: only the last page', async () => {
    await page.click('#signout');
    await page.waitForSelector('#signin-form:visible');
    await page.evaluate(() => { location.hash = '#/check'; });
    await page.fill('#token', tok);
    await page.click('#signin');
    await page.evaluate(() => { location.hash = '#/licenses'; }); // before the check page is drawn
    await page.waitForSelector('#ledger-licenses');
    await page.waitForTimeout(1500);
    await onePage();
    assert.equal(await page.locator('#check-form').count(), 0, 'the check page is not drawn under the licenses');
    await shot('after-sign-in');
  });

  const sets = await get(`/v1/rules?on=${today}`);
  await step('the rules timeline: 2022 to today, whole names, legend', async () => {
    await page.goto(`${base}/#/rules`);
    await page.waitForSelector('#rules-timeline');
    const tl = page.locator('#rules-timeline');
    assert.equal(await tl.getAttribute('data-from'), '2022-01-01');
    assert.ok(await tl.getAttribute('data-until') >= today, 'the span reaches today');
    const names = await page.$$eval('#rules-timeline text.name', (ts) => ts.map((t) => {
      const b = t.getBBox(), r = t.getBoundingClientRect();
      return { text: t.textContent, x: b.x, y: b.y, h: r.height };
    }));
    assert.deepEqual(names.map((n) => n.text).sort(), sets.map((s) => s.id).sort(), 'every rule set named in full');
    for (const n of names) {
      assert.ok(n.x >= 0, `${n.text} is not cut at the left`);
      assert.ok(n.h >= 10, `${n.text} is readable (${n.h}px)`);
    }
    assert.equal(new Set(names.map((n) => Math.round(n.y))).size, names.length, 'one row each');
    // the 1997 rule set no longer squeezes 2022-2026: it is clipped and says so
    assert.match(await page.textContent('#rules-timeline [data-rule-set="us-bis-party-lists"]'), /since 1997-02-03/);
    const x = async (id) => Number(await page.getAttribute(`#rules-timeline [data-rule-set="${id}"] rect:not(.hit)`, 'x'));
    const gap = await x('us-bis-2025-05-13-ascend-gp10') - await x('us-bis-2025-01-13-ai-diffusion');
    assert.ok(gap > 30, `four months apart are ${gap} units apart on a 1000-unit axis`);
    const ticks = await page.$$eval('#rules-timeline text.axis', (ts) => ts.map((t) => t.getBBox()).map((b) => [b.x, b.width]));
    assert.ok(ticks.length >= 4);
    ticks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i - 1][0] + ticks[i - 1][1] < ticks[i][0], 'axis labels apart');
    // a legend naming each status, each in its own colour
    const legend = await page.$$eval('#rules-legend li[data-status]', (ls) => ls.map((l) => [l.dataset.status,
      getComputedStyle(l.querySelector('.swatch')).backgroundColor]));
    assert.deepEqual(legend.map((l) => l[0]).sort(), ['ended', 'in_force', 'not_enforced', 'not_yet_effective']);
    assert.equal(new Set(legend.map((l) => l[1])).size, 4);
    for (const s of new Set(sets.map((s) => s.status))) {
      const bar = await page.$eval(`#rules-timeline .s-${s} rect:not(.hit)`, (r) => getComputedStyle(r).fill);
      assert.equal(bar, legend.find((l) => l[0] === s)[1], `${s}: bar and legend agree`);
    }
    await shot('rules-timeline');
  });

  await step('the rules timeline zooms, and shows every year on demand', async () => {
    const span = async () => {
      const tl = page.locator('#rules-timeline');
      return (Date.parse(await tl.getAttribute('data-until')) - Date.parse(await tl.getAttribute('data-from'))) / 864e5;
    };
    const before = await span();
    await page.click('#rules-zoom-in');
    const zoomed = await span();
    assert.ok(Math.abs(zoomed - before / 2) <= 2, `zoom in halves the span (${before} -> ${zoomed} days)`);
    await shot('rules-zoomed');
    await page.click('#rules-zoom-out');
    assert.ok(Math.abs(await span() - before) <= 2);
    await page.click('#rules-all');
    assert.ok(await page.getAttribute('#rules-timeline', 'data-from') < '1997-02-03');
    assert.equal(await page.locator('#rules-timeline [data-rule-set="us-bis-party-lists"] text.clip').count(), 0);
    await page.fill('#rules-from', '2025-01-01');
    await page.fill('#rules-until', '2025-12-31');
    await page.dispatchEvent('#rules-until', 'change');
    assert.equal(await page.getAttribute('#rules-timeline', 'data-from'), '2025-01-01');
    await page.click('#rules-default');
    assert.equal(await page.getAttribute('#rules-timeline', 'data-from'), '2022-01-01');
    await page.click('#rules-timeline [data-rule-set="us-bis-2025-01-13-ai-diffusion"]');
    await page.waitForSelector('#rule-set[data-rule-set="us-bis-2025-01-13-ai-diffusion"]');
  });

  await step('dates are ISO everywhere: no locale date picker, no mm/dd/yyyy', async () => {
    const pages = [['check', '#check-form'], ['chips', '#chart svg'], ['rules', '#rules-timeline'],
      ['licenses', '#license-form'], ['licenses/CI-1', '#license-shipments, #license .muted'],
      ['envelope', '#envelope-out svg'], ['timeline', '#timeline-out svg'], ['changes', '#changes-out h3'],
      ['compare', '#compare-out svg']];
    for (const [route, ready] of pages) {
      await page.goto(`${base}/#/${route}`);
      await page.waitForSelector(ready);
      const found = await page.evaluate(() => ({
        pickers: document.querySelectorAll('#page input[type=date], #page input[type=datetime-local]').length,
        locale: (document.querySelector('#page').innerText.match(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/) ?? [null])[0],
        iso: [...document.querySelectorAll('#page input[placeholder="YYYY-MM-DD"]')].every((i) => !i.value || /^\d{4}-\d{2}-\d{2}$/.test(i.value)),
      }));
      assert.equal(found.pickers, 0, `#/${route}: no locale date picker`);
      assert.equal(found.locale, null, `#/${route}: no mm/dd/yyyy date`);
      assert.ok(found.iso, `#/${route}: date fields hold ISO dates`);
    }
  });

  await step('country pickers: names offered, a name becomes its code, the exporting country sent', async () => {
    await page.goto(`${base}/#/check`);
    await page.waitForSelector('#check-form');
    await page.waitForSelector('#country-options option[value="MY"]', { state: 'attached' });
    assert.match(await page.getAttribute('#country-options option[value="CN"]', 'label'), /China/);
    assert.equal(await page.getAttribute('#chk-to', 'list'), 'country-options');
    assert.equal(await page.getAttribute('#chk-from', 'list'), 'country-options', 'an exporting-country picker');
    await page.fill('#chk-to', 'Malaysia');
    await page.press('#chk-to', 'Tab');
    assert.equal(await page.inputValue('#chk-to'), 'MY');
    assert.equal(await page.textContent('#chk-to-name'), 'Malaysia');
    await page.fill('#chk-to', 'hk');
    assert.match(await page.textContent('#chk-to-name'), /Hong Kong.*EAR: CN/);
    await page.fill('#chk-to', 'XX');
    assert.match(await page.textContent('#chk-to-name'), /not a country/);
    await page.fill('#chk-to', 'MY');
    await page.fill('#chk-from', 'germ');
    await page.press('#chk-from', 'Tab');
    assert.equal(await page.inputValue('#chk-from'), 'DE');
    assert.equal(await page.textContent('#chk-from-name'), 'Germany');
    await page.fill('#chk-hq', 'CN');
    await page.selectOption('#chk-chip', 'nv-h20');
    await page.fill('#chk-on', '2025-09-01');
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/v1/checks') && r.method() === 'POST'),
      page.click('#chk-run')]);
    const sent = JSON.parse(req.postData());
    assert.equal(sent.to, 'MY');
    assert.equal(sent.from, 'DE');
    assert.equal(sent.hq, 'CN');
    await page.waitForSelector('#verdict');
    await shot('check-countries');
  });

  await step('lower bounds shown as the CLI shows them (>= 6,016), not "?"', async () => {
    const chips = await get(`/v1/chips?on=${today}`);
    await page.goto(`${base}/#/chips`);
    await page.waitForSelector('#chips-table tr[data-chip="hw-910b"]');
    const cells = await page.$$eval('#chips-table tbody tr', (rs) => Object.fromEntries(rs.map((r) =>
      [r.dataset.chip, [r.children[3].textContent, r.children[4].textContent]])));
    assert.equal(cells['hw-910b'][0], '>= 6,016');
    let bounded = 0;
    for (const c of chips) {
      const m = c.metrics ?? {};
      if (typeof m.tpp !== 'number' && m.tpp_at_least > 0) {
        bounded++;
        assert.match(cells[c.id][0], /^>= [\d,]+$/, `${c.id}: TPP ${cells[c.id][0]}`);
      }
      if (typeof m.pd !== 'number' && m.pd_at_least > 0) assert.match(cells[c.id][1], /^>= [\d,.]+$/, `${c.id}: PD`);
      if (typeof m.tpp !== 'number' && !(m.tpp_at_least > 0)) assert.equal(cells[c.id][0], '?');
    }
    assert.ok(bounded >= 3, 'several chips are known only from below');
  });

  await step('every chart point labelled, every chip left off named', async () => {
    const chips = await get(`/v1/chips?on=${today}`);
    await page.waitForSelector('#chart svg text.dot-label');
    const plotted = await page.$$eval('#chart svg circle.chip', (cs) => cs.map((c) => c.dataset.chip));
    const labels = await page.$$eval('#chart svg text.dot-label', (ts) => ts.map((t) => {
      const b = t.getBBox();
      return { ids: t.dataset.chips.split(', '), x: b.x, y: b.y, w: b.width, h: b.height };
    }));
    for (const id of plotted) assert.ok(labels.some((l) => l.ids.includes(id)), `${id} is labelled`);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i], b = labels[j];
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y + 1 || b.y + b.h <= a.y + 1;
        assert.ok(apart, `labels ${a.ids} and ${b.ids} overlap`);
      }
    const off = await page.$$eval('#off-chart li[data-chip]', (ls) => ls.map((l) => l.dataset.chip));
    assert.equal(off.length + new Set(plotted).size, chips.length, 'each chip either on the chart or named below it');
    for (const c of chips) assert.ok(plotted.includes(c.id) !== off.includes(c.id), c.id);
    assert.match(await page.textContent('#off-chart'), new RegExp(`${off.length} of ${chips.length} chips are not on the chart`));
    assert.match(await page.textContent('#off-chart li[data-chip="hw-910b"]'), /TPP >= 6,016/);
    await page.click('#off-chart li[data-chip="hw-910b"]');
    await page.waitForSelector('#classification[data-chip="hw-910b"]');
    assert.match(await page.textContent('#classification'), /TPP >= 6,016, performance density >= 9\.04/);
    await shot('chips-chart');
  });

  await step('an unknown license number gets a "no such license" card', async () => {
    await page.goto(`${base}/#/licenses/NOPE-404`);
    await page.waitForSelector('#license-missing');
    assert.equal(await page.textContent('#license h1'), 'No such license');
    assert.match(await page.textContent('#license-missing'), /NOPE-404/);
    assert.equal(await page.locator('#page .error').count(), 0, 'a card, not an error under an empty one');
    await onePage();
    problems.length = 0; // the 404 is logged by Chromium as a failed resource
    await shot('no-such-license');
    await page.goto(`${base}/#/licenses/CI-1`);
    await page.waitForSelector('#license[data-number="CI-1"] h1:text("License CI-1")');
  });

  assert.deepEqual(problems, [], 'no page or console errors');
  console.log(`${passed()} passed, 0 failed`);
} finally {
  await close();
}
