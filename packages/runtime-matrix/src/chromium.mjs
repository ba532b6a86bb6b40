// Debian's Chromium (scripts/ensure-chromium.sh installs it) driven by playwright-core: no browser
// download, headless, no network services of its own, a fresh profile every launch.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.A1_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumInstalled() {
  return existsSync(CHROMIUM_PATH);
}

/**
 * A headless Chromium context on a fresh --user-data-dir (Playwright passes the directory as that
 * flag); `close()` ends the browser and removes the profile.
 */
export async function launchChromium({ viewport = { width: 1280, height: 900 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'a1-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: FLAGS,
      viewport,
      timeout: 120_000,
    });
    return {
      context,
      version: context.browser()?.version() ?? 'chromium',
      close: async () => {
        await context.close().catch(() => {});
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}
