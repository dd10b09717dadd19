// The console's browser scenario, run by ConsoleBrowserIT with Node: Debian's Chromium driven by playwright-core.
// Input (environment): CONSOLE_URL, CHROMIUM, SHOTS (directory for failure screenshots), PAGES (directory for a
// screenshot of each page, taken on every run), CUSTOMER_EMAIL, PRODUCT_ID, SIZE, FROM, COHORT, SEGMENT_NAME,
// JOURNEY_ID. Output: one JSON line per step on stdout ({"step":…, …}); exit 1 on the first failure, with a
// screenshot of the page at that moment.
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const base = env('CONSOLE_URL');
const shots = env('SHOTS');
const pages = env('PAGES');
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
  // a page for the README: the part that matters scrolled into view, or the whole page at a smaller zoom (≤ 200 KB)
  const shot = async (name, { scrollTo, zoom } = {}) => {
    if (scrollTo) await page.$eval(scrollTo, (e) => e.scrollIntoView());
    if (zoom) await page.evaluate((z) => { document.body.style.zoom = String(z); }, zoom);
    await page.screenshot({ path: `${pages}/console-${name}.png`, fullPage: !!zoom });
    if (zoom) await page.evaluate(() => { document.body.style.zoom = ''; });
    await page.evaluate(() => window.scrollTo(0, 0));
  };
  const text = (e) => e.textContent.replace(/\s+/g, ' ').trim();
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
  await shot('customer-360');

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
  step = 'reservations at risk';
  await page.waitForSelector('#at-risk-table, #at-risk-empty, #at-risk .problem');
  const atRisk = await page.$$eval('#at-risk-table tbody tr', (els) => els.map((e) => ({
    reservation: e.dataset.reservation, sku: e.dataset.sku, location: e.dataset.location,
    customer: e.querySelector('a') ? e.querySelector('a').getAttribute('href') : null,
    cells: [...e.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim()) })));
  const atRiskProblem = await page.$eval('#at-risk', (e) => (e.querySelector('.problem') ? e.textContent.trim() : null));
  await shot('inventory', { zoom: 0.7 });
  const attributionLink = await page.$('nav >> text=Attribution');
  report('inventory', { size: await page.$eval('#sku', (e) => e.value), rows, dots, atRisk, atRiskProblem,
    operatorSeesAttribution: !!attributionLink });

  step = 'operator refused attribution';
  const refused = await page.goto(base + '/attribution');
  report('refused', { status: refused.status(), text: (await page.textContent('main')).replace(/\s+/g, ' ').trim() });
  step = 'operator refused segments';
  const refusedSegments = await page.goto(base + '/segments');
  report('refused', { status: refusedSegments.status(), page: 'segments' });
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
  step = 'path flow';
  await page.waitForSelector('#path-chart svg');
  const sankey = await page.evaluate(() => {
    const s = echarts.getInstanceByDom(document.getElementById('path-chart')).getOption().series[0];
    return { type: s.type, nodes: s.data.map((n) => n.name),
      links: s.links.map((l) => ({ source: l.source, target: l.target, value: l.value })) };
  });
  const pathRows = await page.$$eval('#path-table tbody tr', (els) => els.map((e) => ({
    path: e.dataset.path, conversions: Number(e.children[1].textContent) })));
  await shot('attribution', { scrollTo: '#h-paths' });
  report('attribution', { chart, kpis, csvFirstLine: csv.split('\n')[0], sankey, pathRows });

  // segments: build a condition, be refused in words, preview the count, be refused a nameless save, save
  step = 'segments';
  await page.click('nav >> text=Segments');
  await page.waitForSelector('#segment-form');
  const cond = page.locator('fieldset.cond');
  await cond.nth(0).locator('select[name=type]').selectOption('trait');
  await cond.nth(0).locator('input[name=trait]').fill('cohort');
  await cond.nth(0).locator('select[name=op]').selectOption('eq');
  await cond.nth(0).locator('input[name=value]').fill(env('COHORT'));
  await cond.nth(1).locator('select[name=type]').selectOption('interaction');
  await cond.nth(1).locator('input[name=event]').fill('order_completed');
  await cond.nth(1).locator('input[name=withinDays]').fill('0');
  await page.click('#preview-button');
  await page.waitForSelector('#preview .problem');
  const previewRefused = await page.$eval('#preview .problem', text);
  await cond.nth(1).locator('select[name=type]').selectOption('');
  await page.click('#preview-button');
  await page.waitForSelector('#preview-count');
  const previewCount = Number(await page.textContent('#preview-count'));
  await shot('segments');
  step = 'segment save';
  await page.click('text=Save segment'); // no name: refused in words, the form keeps what was typed
  await page.waitForSelector('#refused');
  const saveRefused = await page.$eval('#refused', text);
  const keptValue = await page.locator('fieldset.cond').nth(0).locator('input[name=value]').inputValue();
  await page.fill('#name', env('SEGMENT_NAME'));
  await page.click('text=Save segment');
  await page.waitForSelector('#saved');
  const listed = await page.$$eval('#segment-table tbody tr', (els) => els.map((e) => e.dataset.segment));
  report('segments', { previewRefused, previewCount, saveRefused, keptValue, listed });

  // journeys: the drawn steps and their counts; a POST without the CSRF token is refused; pause, then resume
  step = 'journeys';
  await page.click('nav >> text=Journeys');
  await page.waitForSelector('#journey-table');
  const journeys = await page.$$eval('#journey-table tbody tr', (els) => els.map((e) => e.dataset.journey));
  await page.click(`tr[data-journey="${env('JOURNEY_ID')}"] a`);
  await page.waitForSelector('#journey-map');
  const drawn = await page.$$eval('#journey-map g.step', (els) => els.map((e) => ({ step: e.dataset.step,
    type: e.dataset.type, entered: Number(e.dataset.entered), sent: Number(e.dataset.sent),
    delivered: Number(e.dataset.delivered), opened: Number(e.dataset.opened), clicked: Number(e.dataset.clicked),
    suppressed: Number(e.dataset.suppressed) })));
  const arrows = await page.$$eval('#journey-map g.edge', (els) => els.map((e) => `${e.dataset.from}>${e.dataset.to}`));
  const runs = Number(await page.textContent('#runs-entered'));
  await shot('journeys');
  step = 'csrf';
  const journeyPath = new URL(page.url()).pathname;
  const post = (body) => page.evaluate(async ({ url, body }) => (await fetch(url, { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body })).status, { url: journeyPath + '/pause', body });
  const csrf = { withoutToken: await post(''), forgedToken: await post('csrf-token=forged-token-value') };
  await page.reload();
  const stateAfterForgery = await page.$eval('#journey-state', text);
  step = 'pause';
  await page.click('#pause');
  await page.waitForSelector('#confirm');
  await page.click('#confirm');
  await page.waitForSelector('#changed');
  const paused = await page.$eval('#journey-state', text);
  step = 'resume';
  await page.click('#resume');
  await page.waitForSelector('#confirm');
  await page.click('#confirm');
  await page.waitForSelector('#changed');
  const resumed = await page.$eval('#journey-state', text);
  report('journeys', { journeys, drawn, arrows, runs, csrf, stateAfterForgery, paused, resumed });
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
