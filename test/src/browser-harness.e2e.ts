import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join } from 'node:path';
import { accessibilityViolations, formatViolations, launchBrowser, saveScreenshot, type TestBrowser } from './harness/browser';
import { eventually } from './harness/eventually';
import { readParameters, requestUrl, startLoopbackServer, type LoopbackServer } from './harness/loopback-server';

const CSP = "default-src 'none'; style-src 'nonce-abc'; form-action 'self'";
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SCREENSHOTS = join(__dirname, '..', 'artifacts', 'screenshots');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, style = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style nonce="abc">body { font: 16px/1.5 sans-serif; color: #111; background: #fff; }${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

// The inline script has no nonce: if the CSP were not enforced it would rename the page.
const GOOD = page(
  'Say hello',
  `<h1>Say hello</h1>
<script>document.title = 'inline script ran';</script>
<form method="post" action="/greetings">
  <label for="display-name">Display name</label>
  <input id="display-name" name="displayName" type="text" autocomplete="name" required>
  <button type="submit">Say hello</button>
</form>`,
);

const BAD = page(
  'Broken form',
  `<h1>Broken form</h1>
<img id="logo" src="/logo.png">
<p id="fine-print" class="faint">Terms and conditions apply.</p>
<input id="nickname" name="nickname" type="text">`,
  '.faint { color: #c8c8c8; }',
);

const TALL = page('Tall page', '<h1>Tall page</h1><div class="tall"></div>', '.tall { height: 3000px; }');

interface Received {
  greetings: string[];
  acceptLanguage: string[];
}

function send(response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(html);
}

function site(received: Received) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = requestUrl(request, 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/good') {
      received.acceptLanguage.push(request.headers['accept-language'] ?? '');
      return send(response, 200, GOOD);
    }
    if (request.method === 'GET' && url.pathname === '/bad') return send(response, 200, BAD);
    if (request.method === 'GET' && url.pathname === '/tall') return send(response, 200, TALL);
    if (request.method === 'POST' && url.pathname === '/greetings') {
      const name = (await readParameters(request)).get('displayName') ?? '';
      received.greetings.push(name);
      response.writeHead(303, { location: `/greetings/${received.greetings.length - 1}` });
      return void response.end();
    }
    const greeting = /^\/greetings\/(\d+)$/.exec(url.pathname);
    const name = greeting && received.greetings[Number(greeting[1])];
    if (request.method === 'GET' && name !== null && name !== undefined) {
      return send(response, 200, page('Hello', `<h1>Hello, ${escapeHtml(name)}</h1>`));
    }
    if (request.method === 'GET' && url.pathname === '/cookie') {
      const set = url.searchParams.get('set');
      const cookie = request.headers.cookie ?? '';
      return send(response, 200, page('Cookie', `<h1 id="cookie">${escapeHtml(cookie)}</h1>`), {
        ...(set && { 'set-cookie': `visitor=${encodeURIComponent(set)}; Path=/; HttpOnly; SameSite=Lax` }),
      });
    }
    send(response, 404, page('Not found', '<h1>Not found</h1>'));
  };
}

/** Whether `pid` is a live process (a zombie has exited and only awaits its parent). */
function isRunning(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `root` and every process below it (Linux /proc; just `root` elsewhere). */
function processTree(root: number): number[] {
  if (process.platform !== 'linux') return [root];
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

describe('the real-browser test harness (headless Chromium, axe-core)', () => {
  const received: Received = { greetings: [], acceptLanguage: [] };
  let server: LoopbackServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startLoopbackServer(site(received));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('injects axe into a page under a strict CSP, finds nothing on an accessible page, and submits its form', async () => {
    const tab = await browser.newPage();
    const consoleMessages: string[] = [];
    tab.on('console', (message) => consoleMessages.push(message.text()));
    await tab.goto(`${server.url}/good`);

    expect(await tab.title()).toBe('Say hello');
    expect(consoleMessages.join('\n')).toMatch(/Content Security Policy/);
    expect(formatViolations(await accessibilityViolations(tab))).toBe('no accessibility violations');
    expect(formatViolations(await accessibilityViolations(tab, { minimumImpact: 'minor' }))).toBe('no accessibility violations');

    await tab.getByLabel('Display name').fill('Ada <Lovelace> & co');
    const [redirect] = await Promise.all([
      tab.waitForResponse((response) => response.request().method() === 'POST'),
      tab.getByRole('button', { name: 'Say hello' }).click(),
    ]);
    expect(redirect.status()).toBe(303);
    await tab.waitForURL(/\/greetings\/\d+$/);
    expect(received.greetings).toEqual(['Ada <Lovelace> & co']);
    expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, Ada <Lovelace> & co');
    await tab.context().close();
  });

  it('reports the missing label, the missing alt text and the low contrast as serious or worse', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}/bad`);

    const violations = await accessibilityViolations(tab);
    const byId = new Map(violations.map((violation) => [violation.id, violation]));
    expect(byId.get('label')).toMatchObject({ impact: 'critical', targets: ['#nickname'] });
    expect(byId.get('image-alt')).toMatchObject({ impact: 'critical', targets: ['#logo'] });
    expect(byId.get('color-contrast')).toMatchObject({ impact: 'serious', targets: ['#fine-print'] });
    for (const violation of violations) expect(['serious', 'critical']).toContain(violation.impact);

    const critical = await accessibilityViolations(tab, { minimumImpact: 'critical' });
    expect(critical.map((violation) => violation.id).sort()).toEqual(
      violations
        .filter((violation) => violation.impact === 'critical')
        .map((violation) => violation.id)
        .sort(),
    );
    expect(critical.map((violation) => violation.id)).not.toContain('color-contrast');

    const message = formatViolations(violations);
    expect(message).toContain('- label (critical): ');
    expect(message).toContain('#nickname');
    await tab.context().close();
  });

  it('saves a full-page PNG screenshot under test/artifacts/screenshots', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}/tall`);
    await rm(join(SCREENSHOTS, 'browser-harness-tall-page.png'), { force: true });

    const path = await saveScreenshot(tab, 'Browser harness: Tall page!');

    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(join(SCREENSHOTS, 'browser-harness-tall-page.png'));
    const png = await readFile(path);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(2_000);
    // IHDR: width and height follow the signature, chunk length and type.
    expect(png.readUInt32BE(16)).toBe(tab.viewportSize()?.width);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(3000);
    await expect(saveScreenshot(tab, '???')).rejects.toThrow(/no letters or digits/);
    await tab.context().close();
  });

  it('gives every page its own cookies unless a context is shared, and applies the locale', async () => {
    const first = await browser.newPage();
    await first.goto(`${server.url}/cookie?set=first`);
    await first.goto(`${server.url}/cookie`);
    expect(await first.locator('#cookie').textContent()).toBe('visitor=first');

    const second = await browser.newPage();
    await second.goto(`${server.url}/cookie`);
    expect(await second.locator('#cookie').textContent()).toBe('');

    const shared = await browser.newContext();
    await (await shared.newPage()).goto(`${server.url}/cookie?set=shared`);
    const sibling = await shared.newPage();
    await sibling.goto(`${server.url}/cookie`);
    expect(await sibling.locator('#cookie').textContent()).toBe('visitor=shared');

    const german = await browser.newPage({ locale: 'de-DE' });
    await german.goto(`${server.url}/good`);
    expect(await german.evaluate(() => (globalThis as unknown as { navigator: { language: string } }).navigator.language)).toBe(
      'de-DE',
    );
    expect(received.acceptLanguage.at(-1)).toMatch(/^de-DE\b/);

    for (const tab of [first, second, german]) await tab.context().close();
    await shared.close();
  });

  it('leaves no Chromium process behind once closed', async () => {
    const own = await launchBrowser();
    let pids: number[] = [];
    try {
      const tab = await own.newPage();
      await tab.goto(`${server.url}/good`);
      const reported = await own.processIds();
      pids = [...new Set([...reported, ...processTree(reported[0]!)])];
      expect(reported.length).toBeGreaterThan(0);
      expect(pids.every(isRunning)).toBe(true);
      if (process.platform === 'linux') expect(pids.length).toBeGreaterThan(reported.length); // renderers, zygotes
    } finally {
      await own.close();
    }
    await own.close();
    await eventually(async () => expect(pids.filter(isRunning)).toEqual([]), { timeoutMs: 10_000 });
  });

  it('says how to install Chromium when the executable is missing', async () => {
    const saved = process.env['CHROMIUM_PATH'];
    process.env['CHROMIUM_PATH'] = '/nonexistent/chromium';
    try {
      await expect(launchBrowser()).rejects.toThrow(/apt-get install chromium.*CHROMIUM_PATH/s);
    } finally {
      if (saved === undefined) delete process.env['CHROMIUM_PATH'];
      else process.env['CHROMIUM_PATH'] = saved;
    }
  });
});
