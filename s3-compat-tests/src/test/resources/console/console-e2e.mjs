// Drives the web console in headless Chromium (playwright-core, Debian's chromium) for ConsoleTest.
// Talks to the test on stdout/stdin: prints "MOUNT" when it wants a FUSE mount started and waits for
// "MOUNTED <id>", "UNMOUNT" then "UNMOUNTED" to unmount it, "STOP" when it wants a chunkserver
// stopped and waits for "STOPPED <id>", prints "DONE" at the end. Every wait is bounded.
import {chromium} from 'playwright-core';
import {createInterface} from 'node:readline';
import {join} from 'node:path';

const env = process.env;
const WAIT = {timeout: 15000};
const lines = createInterface({input: process.stdin});
const nextLine = () => new Promise(resolve => lines.once('line', resolve));
const step = text => console.log(`STEP ${text}`);

const browser = await chromium.launch({executablePath: env.CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage']});
try {
  const context = await browser.newContext({acceptDownloads: true, viewport: {width: 1280, height: 760}});
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('dialog', dialog => dialog.accept());
  page.on('pageerror', e => console.log(`PAGEERROR ${e.message}`));
  const shot = name => page.screenshot({path: join(env.SHOTS, `${name}.png`)});
  const go = async hash => page.goto(`${env.CONSOLE_URL}#${hash}`);

  step('sign in');
  await page.goto(env.CONSOLE_URL);
  await page.fill('input[name=accessKey]', env.ACCESS_KEY);
  await page.fill('input[name=secretKey]', env.SECRET_KEY);
  await page.click('form#signin button');
  await page.waitForFunction(n => document.querySelectorAll('tr[data-node] .badge.LIVE').length === n, Number(env.CHUNKSERVERS), WAIT);
  await page.waitForSelector('tr[data-master] .badge.LEADER', WAIT);

  step('maintenance');
  await go('maintenance');
  await page.waitForSelector('.cards', WAIT);
  await shot('maintenance');

  step('upload');
  await go(`browser/${env.BUCKET}`);
  await page.setInputFiles('input#upload', env.UPLOAD_FILE);
  const name = env.UPLOAD_FILE.slice(env.UPLOAD_FILE.lastIndexOf('/') + 1);
  await page.waitForSelector(`tr[data-key="${name}"]`, {timeout: 30000}); // listed once every part is in
  await shot('browser');

  step('download');
  const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click(`tr[data-key="${name}"] button.download`)]);
  await download.saveAs(join(env.DOWNLOAD_DIR, name));

  step('delete');
  await page.click(`tr[data-key="${env.DELETE_KEY}"] button.delete`);
  await page.waitForSelector(`tr[data-key="${env.DELETE_KEY}"]`, {state: 'detached', timeout: 15000});

  step('restore');
  await go(`trash/${env.BUCKET}`);
  await page.waitForSelector(`tr[data-key="${env.DELETE_KEY}"] button`, WAIT);
  await shot('trash');
  await page.click(`tr[data-key="${env.DELETE_KEY}"] button`);
  await page.waitForSelector(`tr[data-key="${env.DELETE_KEY}"]`, {state: 'detached', timeout: 15000});

  step('classes');
  await go(`buckets/${env.BUCKET}`);
  await page.waitForSelector('input[name=prefix]', WAIT);
  await page.fill('input[name=prefix]', 'archive/');
  await page.fill('input[name=class]', 'EC_2_1');
  await page.click('form.toolbar button');
  await page.waitForFunction(() => [...document.querySelectorAll('td')].some(td => td.textContent === 'archive/'), null, WAIT);
  await shot('buckets');

  step('mount');
  await go('overview');
  await page.waitForSelector('tr[data-node] .badge.LIVE', WAIT);
  console.log('MOUNT');
  const mount = (await nextLine()).replace(/^MOUNTED /, '');
  await page.waitForSelector(`tr[data-mount="${mount}"] .badge.LIVE`, WAIT);

  step('lost chunkserver');
  console.log('STOP');
  const id = (await nextLine()).replace(/^STOPPED /, '');
  await page.waitForSelector(`tr[data-node="${id}"] .badge.LOST`, WAIT);
  await shot('overview');

  step('unmount');
  console.log('UNMOUNT');
  await nextLine();
  await page.waitForSelector(`tr[data-mount="${mount}"]`, {state: 'detached', timeout: 15000});

  step('multisite');
  await go('multisite');
  await page.waitForSelector('#no-zonegroup', WAIT);

  step('a user without administrator keys sees the object browser only');
  await page.click('#signout');
  await page.waitForSelector('form#signin:not([hidden])', WAIT);
  await page.fill('input[name=accessKey]', env.USER_ACCESS_KEY);
  await page.fill('input[name=secretKey]', env.USER_SECRET_KEY);
  await page.click('form#signin button');
  await page.waitForSelector('#page[data-page=browser] select[name=bucket]', WAIT);
  if (await page.isVisible('nav a[href="#overview"]')) throw new Error('the Overview is offered to a user without administrator keys');
  console.log('DONE');
} finally {
  lines.close();
  await browser.close();
}
