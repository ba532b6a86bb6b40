/**
 * Intents as people type them: `action key=value key=value` (e.g. `trade.fx pair=eurusd`), hashed
 * with core's `intentHash`. Also the "capability names" list, one intent per line, that lets the
 * page name the hashes a chain carries.
 */
import { intentHash, toHex, type IntentParams } from '@a1/core';

export interface TypedIntent {
  action: string;
  params: IntentParams;
  text: string;
}

export function parseIntent(text: string): TypedIntent | undefined {
  const [action, ...pairs] = text.trim().split(/\s+/).filter(Boolean);
  if (!action) return undefined;
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`"${pair}" is not key=value (an intent is: action key=value …)`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { action, params, text: text.trim() };
}

/** Intent hash (hex) → the text that produces it, for every line that parses. */
export function namesByHash(lines: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of lines) {
    try {
      const intent = parseIntent(line);
      if (intent) names.set(toHex(intentHash(intent.action, intent.params)), intent.text);
    } catch {
      // A line that does not parse names nothing; the intent field reports its own errors.
    }
  }
  return names;
}
