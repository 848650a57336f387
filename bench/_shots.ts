import { launchChromium, newPage, PHONE, LAPTOP } from '../tests/helpers/browser';
import { axeViolations, describeViolations } from '../tests/helpers/axe';
import { call, createWorkshop } from '../tests/helpers/clients';
import { startServer } from '../tests/helpers/server';
const server = await startServer();
const browser = await launchChromium();
const named = await createWorkshop(server.url, ['Barns behov kartlegges ikke', 'Vedtak begrunnes ikke'], { anonymous: false });
const a = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Nasjonal', riskPoints: [{ text: 'A' }] } })).body;
await call(server.url, `/api/assessments/${a.id}/workshops`, { method: 'POST', key: a.ownerKey, json: { preset: 'county-governors' } });
const shots: [string, string, object][] = [
  ['join-named-phone', `/join/${named.joinCode}`, PHONE],
  ['facilitator-laptop', `/facilitate/${named.id}#key=${named.facilitatorKey}`, LAPTOP],
  ['assessment-laptop', `/assessments/${a.id}#key=${a.ownerKey}`, { viewport: { width: 1920, height: 1080 } }]
];
for (const [name, path, options] of shots) {
  const page = await newPage(browser, options);
  await page.goto(server.url + path);
  await page.waitForTimeout(1200);
  const v = await axeViolations(page); if (v.length) console.log(name, describeViolations(v));
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
await browser.close(); await server.stop();
