/**
 * Test support: builds the page, serves dist/ on loopback and opens it in Debian's headless
 * Chromium (the runtime matrix's launcher), with helpers to fill the inputs and read what shows.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumInstalled, launchChromium } from '@a1/runtime-matrix/chromium';
import { serveStatic } from '@a1/runtime-matrix/static-server';
import type { Page } from 'playwright-core';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const distDir = fileURLToPath(new URL('../dist', import.meta.url));

export function buildPage(): void {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: packageDir, stdio: 'inherit' });
}

export { chromiumInstalled };

export async function openInspector() {
  const server = await serveStatic(distDir);
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(server.url);
  return {
    page,
    browser,
    server,
    requests,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export interface Inputs {
  document?: string;
  root?: string;
  intent?: string;
  checkAt?: string;
  names?: string[];
}

/** Fills the inputs (as a person typing would: input events) and waits for the verdict. */
export async function show(page: Page, inputs: Inputs): Promise<void> {
  if (inputs.names !== undefined) await page.fill('#names', inputs.names.join('\n'));
  if (inputs.root !== undefined) await page.fill('#root-key', inputs.root);
  if (inputs.intent !== undefined) await page.fill('#intent', inputs.intent);
  if (inputs.checkAt !== undefined) await page.fill('#check-at', inputs.checkAt);
  // Set like a paste: Playwright's fill() of a large multi-line text is very slow.
  if (inputs.document !== undefined) {
    await page.evaluate((text) => {
      const area = document.getElementById('document-input') as HTMLTextAreaElement;
      area.value = text;
      area.dispatchEvent(new Event('input'));
    }, inputs.document);
  }
  await page.evaluate(() => (window as unknown as { a1Inspector: { settled(): Promise<void> } }).a1Inspector.settled());
}

export async function shown(page: Page) {
  return page.evaluate(() => {
    const verdict = document.querySelector<HTMLElement>('[data-testid=verdict]')!;
    const parseError = document.querySelector<HTMLElement>('[data-testid=parse-error]')!;
    return {
      hopCount: document.querySelector('[data-testid=hop-count]')?.textContent ?? null,
      hops: [...document.querySelectorAll<HTMLElement>('[data-testid=hop]')].map((hop) => ({
        index: hop.dataset.index,
        key: hop.querySelector<HTMLElement>('.key')?.dataset.key,
        capabilities: [...hop.querySelectorAll('.capability')].map((c) => c.textContent),
        narrowing: hop.querySelector('[data-testid=narrowing]')?.textContent,
        signature: hop.querySelector('[data-testid=signature]')?.textContent,
        extensions: [...hop.querySelectorAll('.extensions tr')].map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      })),
      summary: document.querySelector('[data-testid=summary]')?.textContent ?? '',
      timelineBars: document.querySelectorAll('[data-testid=timeline] .tl-bar').length,
      verdict: verdict.dataset.verdict,
      code: verdict.dataset.code,
      explanation: document.querySelector('[data-testid=explanation]')?.textContent ?? '',
      verdictText: verdict.textContent ?? '',
      parseError: parseError.hidden ? null : parseError.textContent,
    };
  });
}
