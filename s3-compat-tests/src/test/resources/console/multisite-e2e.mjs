// Drives the web console's Multisite page in headless Chromium (playwright-core, Debian's chromium) for
// MultisiteTest: signs in to one zone and waits until every peer zone shows CAUGHT_UP with nothing
// pending; prints "DONE" at the end. Every wait is bounded.
import {chromium} from 'playwright-core';
import {join} from 'node:path';

const env = process.env;
const browser = await chromium.launch({executablePath: env.CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage']});
try {
  const page = await (await browser.newContext({viewport: {width: 1280, height: 420}})).newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', e => console.log(`PAGEERROR ${e.message}`));
  await page.goto(env.CONSOLE_URL);
  await page.fill('input[name=accessKey]', env.ACCESS_KEY);
  await page.fill('input[name=secretKey]', env.SECRET_KEY);
  await page.click('form#signin button');
  await page.waitForSelector('nav a[href="#multisite"]:not([hidden])');
  await page.goto(`${env.CONSOLE_URL}#multisite`);
  await page.waitForFunction(n => {
    const rows = [...document.querySelectorAll('tr[data-zone]')];
    return rows.length === n && rows.every(r => r.querySelector('.badge.CAUGHT_UP') && r.children[2].textContent === '0');
  }, Number(env.PEERS), {timeout: 30000});
  await page.screenshot({path: join(env.SHOTS, 'multisite.png')});
  console.log('DONE');
} finally {
  await browser.close();
}
