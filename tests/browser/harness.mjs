// harness.mjs - what a browser test needs around its steps: Debian's
// Chromium (headless, through playwright-core) in a throwaway profile, a
// page that records every page error and console error, numbered steps,
// and full-page screenshots into SHOTS when it is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export async function openBrowser({ width = 1366, height = 900, shots } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tg-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width, height },
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  let passed = 0;
  return {
    page,
    problems,
    passed: () => passed,
    step: async (name, fn) => { await fn(); passed++; console.log(`ok ${passed} - ${name}`); },
    shot: async (n) => { if (shots) await page.screenshot({ path: join(shots, `${n}.png`), fullPage: true }); },
    close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}
