import { chromium } from 'playwright-core';
const [,, url, out, w, h, ...actions] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
page.on('console', m => { if (m.type() === 'error') console.log('console:', m.text()); });
page.on('pageerror', e => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
for (const a of actions) { if (a.startsWith('click:')) { await page.click(a.slice(6)); await page.waitForTimeout(800);} }
await page.screenshot({ path: out, fullPage: true });
await browser.close();
