// harness.mjs - what a browser test needs around its steps: Debian's
// Chromium (headless, through playwright-core) in a throwaway profile, a
// page that records every page error and console error (and, with
// httpErrors, every answer >= 400), numbered steps, full-page screenshots
// into SHOTS when it is set, signing in to the console with a token, and
// running an order on the check page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export async function openBrowser({ width = 1366, height = 900, shots, acceptDownloads = false, httpErrors = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tg-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width, height },
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let passed = 0;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} (step ${passed + 1}, ${page.url()})`); });
  if (httpErrors) page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  return {
    page,
    problems,
    passed: () => passed,
    // signs in at base with token t (a fresh session); the header shows who
    signIn: async (base, t) => {
      await page.goto(base);
      await page.evaluate(() => sessionStorage.clear());
      await page.goto(base);
      await page.fill('#token', t);
      await page.click('#signin');
      await page.waitForSelector('#nav:visible');
      return page.textContent('#who');
    },
    // opens the check page at base, fills the form from order (chip, to, hq,
    // qty, unit_price, on, end_user, end_use: those given) and runs it
    runCheck: async (base, order) => {
      await page.goto(`${base}/#/check`);
      await page.waitForSelector('#check-form');
      for (const [k, v] of Object.entries(order)) {
        if (k === 'chip' || k === 'end_use') await page.selectOption(`#chk-${k}`, v);
        else await page.fill(`#chk-${k}`, String(v));
      }
      await page.click('#chk-run');
    },
    step: async (name, fn) => { await fn(); passed++; console.log(`ok ${passed} - ${name}`); },
    shot: async (n) => { if (shots) await page.screenshot({ path: join(shots, `${n}.png`), fullPage: true }); },
    close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}
