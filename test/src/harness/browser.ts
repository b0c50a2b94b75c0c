import { accessSync, constants } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling out, and the closed network
// here refuses many of those connections.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const IMPACTS = ['minor', 'moderate', 'serious', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

export interface BrowserContextOptions {
  locale?: string;
  bypassCSP?: boolean;
}

export interface TestBrowser {
  /** A new BrowserContext (its own cookies and storage); closed by `close()` at the latest. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new BrowserContext of its own, so no cookies are shared with other pages. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** The ids of the browser's processes as Chromium reports them (browser process first). */
  processIds(): Promise<number[]>;
  /** Closes every context and the browser; kills the browser process if that fails. Again is a no-op. */
  close(): Promise<void>;
}

export interface AxeViolationSummary {
  id: string;
  impact: Impact;
  help: string;
  /** CSS selectors of the offending elements (shadow DOM steps joined with ` >>> `). */
  targets: string[];
}

/**
 * Headless Chromium (Debian's `chromium` package, or `CHROMIUM_PATH`) with a fresh temporary
 * profile. Call `close()` in `afterAll`/`finally`; playwright also kills the browser when the
 * test process exits.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = process.env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM;
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium executable at ${executablePath}: install Debian's chromium package (apt-get install chromium) ` +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  let browserPid: number;
  try {
    browserPid = (await chromiumProcesses(browser))[0] ?? 0;
    if (!browserPid) throw new Error('Chromium reported no browser process');
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }

  const newContext = (options: BrowserContextOptions = {}) => browser.newContext(options);
  let closed: Promise<void> | undefined;
  return {
    newContext,
    async newPage(options) {
      const context = await newContext(options);
      return context.newPage();
    },
    processIds: () => chromiumProcesses(browser),
    close: () =>
      (closed ??= (async () => {
        try {
          await browser.close();
        } catch {
          try {
            process.kill(browserPid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      })()),
  };
}

async function chromiumProcesses(browser: Browser): Promise<number[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    // Playwright does not expose the process of a launched browser; the DevTools protocol does.
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    const browserFirst = [...processInfo].sort((a, b) => Number(b.type === 'browser') - Number(a.type === 'browser'));
    return browserFirst.map((entry) => entry.id);
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** A full-page PNG at `test/artifacts/screenshots/<name>.png` (name lower-cased to [a-z0-9-]); returns its absolute path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const fileName = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!fileName) throw new Error(`screenshot name ${JSON.stringify(name)} has no letters or digits`);
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${fileName}.png`);
  await page.screenshot({ path, fullPage: true, type: 'png' });
  return path;
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA plus best practices) on the page's current document and
 * returns the violations at or above `minimumImpact` (default `serious`). Frames are not scanned.
 *
 * axe is injected with `page.evaluate`, which goes through the DevTools protocol and is not
 * subject to the page's Content-Security-Policy, so pages with a strict CSP need no `bypassCSP`.
 */
export async function accessibilityViolations(
  page: Page,
  options: { minimumImpact?: Impact } = {},
): Promise<AxeViolationSummary[]> {
  const minimum = IMPACTS.indexOf(options.minimumImpact ?? 'serious');
  // An element with id="axe" would also show up as a global, hence the check for `run`.
  const injected = await page.evaluate(() => typeof (globalThis as { axe?: { run?: unknown } }).axe?.run === 'function');
  if (!injected) await page.evaluate(await (axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8')));

  const runOptions: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };
  const violations = await page.evaluate(async (runOptions) => {
    const { axe } = globalThis as unknown as { axe: { run(options: RunOptions): Promise<AxeResults> } };
    const results = await axe.run(runOptions);
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) =>
        node.target.map((step) => (Array.isArray(step) ? step.join(' >>> ') : String(step))).join(' '),
      ),
    }));
  }, runOptions);

  return violations
    .map((violation) => ({ ...violation, impact: impactOf(violation.impact) }))
    .filter((violation) => IMPACTS.indexOf(violation.impact) >= minimum);
}

// axe gives every violation an impact; should one come without, it counts as the least.
function impactOf(impact: ImpactValue): Impact {
  return impact ?? 'minor';
}

/** One line per violation, for assertion messages. */
export function formatViolations(list: readonly AxeViolationSummary[]): string {
  if (list.length === 0) return 'no accessibility violations';
  return list
    .map((violation) => `- ${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.targets.join('\n    ')}`)
    .join('\n');
}
