// The console's browser scenario, run by ConsoleBrowserIT with Node: Debian's Chromium driven by playwright-core.
// Input (environment): CONSOLE_URL, CHROMIUM, SHOTS (directory for failure screenshots), CUSTOMER_EMAIL,
// PRODUCT_ID, SIZE. Output: one JSON line per step on stdout ({"step":…, …}); exit 1 on the first failure,
// with a screenshot of the page at that moment.
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const base = env('CONSOLE_URL');
const shots = env('SHOTS');
const report = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
});
let page;
let step = 'start';
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(30000);

  const login = async (user, password) => {
    step = `login ${user}`;
    await page.goto(base + '/');
    await page.waitForSelector('#username');
    await page.fill('#username', user);
    await page.fill('#password', password);
    await page.click('#kc-login');
    await page.waitForURL((u) => u.toString().startsWith(base));
    const who = await page.textContent('header .who');
    report('login', { user, who: who.trim() });
  };
  const logout = async () => {
    step = 'logout';
    await page.click('text=Log out');
    await context.clearCookies();
  };

  // the operator: find the customer by the app's anonymous id, see the merge and the timeline, unmerge it
  await login('oli.operator', 'oli');
  step = 'search';
  await page.click('nav >> text=Customers');
  await page.selectOption('#identifierType', 'email');
  await page.fill('#identifier', env('CUSTOMER_EMAIL'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#identity-graph .merge');
  const identifiers = await page.$$eval('#identifiers li', (els) => els.map((e) => e.textContent.trim()));
  const merges = await page.$$eval('#identity-graph .merge', (els) => els.map((e) => ({
    id: e.dataset.mergeId, text: e.textContent.replace(/\s+/g, ' ').trim(), undone: e.classList.contains('undone') })));
  step = 'timeline';
  await page.waitForSelector('#timeline .timeline li');
  const timeline = await page.$$eval('#timeline .timeline li', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  report('customer', { url: page.url(), identifiers, merges, timeline });

  step = 'unmerge';
  await page.click('#identity-graph .merge >> text=Unmerge…');
  await page.waitForSelector('#reason');
  await page.click('text=Confirm unmerge'); // empty reason: refused in words
  const refusedInPage = await page.$eval('#reason', (e) => !e.checkValidity());
  await page.fill('#reason', 'two people share the tablet');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.ok[role=status]');
  const banner = (await page.textContent('.ok[role=status]')).trim();
  await page.waitForSelector('#identity-graph .merge.undone');
  const afterUnmerge = await page.$$eval('#identifiers li', (els) => els.map((e) => e.textContent.trim()));
  report('unmerged', { banner, refusedEmptyReason: refusedInPage, identifiers: afterUnmerge });

  step = 'inventory';
  await page.click('nav >> text=Inventory');
  await page.fill('#productId', env('PRODUCT_ID'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#sku');
  await page.selectOption('#sku', env('SIZE'));
  await page.click('text=Show on the map');
  await page.waitForSelector('#store-map');
  const rows = await page.$$eval('#size-availability tbody tr', (els) => els.map((e) =>
    ({ location: e.dataset.location || 'online', available: e.lastElementChild.textContent.trim() })));
  const dots = await page.$$eval('#store-map g.dot', (els) => els.map((e) =>
    ({ location: e.dataset.location, available: Number(e.dataset.available) })));
  const attributionLink = await page.$('nav >> text=Attribution');
  report('inventory', { size: await page.$eval('#sku', (e) => e.value), rows, dots, operatorSeesAttribution: !!attributionLink });

  step = 'operator refused attribution';
  const refused = await page.goto(base + '/attribution');
  report('refused', { status: refused.status(), text: (await page.textContent('main')).replace(/\s+/g, ' ').trim() });
  await logout();

  // the marketer: the attribution page and its chart's data
  await login('mia.marketer', 'mia');
  step = 'attribution';
  await page.click('nav >> text=Attribution');
  await page.fill('#from', process.env.FROM || '2026-01-01');
  await page.click('text=Show');
  await page.waitForSelector('#credit-chart svg');
  const chart = await page.evaluate(() => {
    const option = echarts.getInstanceByDom(document.getElementById('credit-chart')).getOption();
    return { channels: option.xAxis[0].data, series: option.series.map((s) => ({ name: s.name, data: s.data })) };
  });
  const kpis = await page.$$eval('.kpis li', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  const csvHref = await page.getAttribute('text=Download CSV', 'href');
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref);
  report('attribution', { chart, kpis, csvFirstLine: csv.split('\n')[0] });
  step = 'marketer refused unmerge';
  const unmergeAttempt = await page.goto(base + '/inventory');
  report('refused', { status: unmergeAttempt.status() });
  await browser.close();
} catch (e) {
  const shot = `${shots}/failure-${step.replace(/[^a-z0-9]+/gi, '-')}.png`;
  try { if (page) await page.screenshot({ path: shot, fullPage: true }); } catch (ignored) { /* the page is gone */ }
  console.log(JSON.stringify({ step: 'failed', at: step, error: String(e && e.stack || e), screenshot: shot,
    url: page ? page.url() : null }));
  await browser.close();
  process.exit(1);
}
