import type { BrowserContext } from 'playwright-core';

export declare const CHROMIUM_PATH: string;
export declare function chromiumInstalled(): boolean;
export declare function launchChromium(options?: { viewport?: { width: number; height: number } }): Promise<{
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}>;
