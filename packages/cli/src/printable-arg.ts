/**
 * An argument as it may appear in a message. A key or token pasted in the wrong place (a seed
 * as a positional, `a1 <hex>`) must not be echoed back to a terminal or a CI log, even partly.
 */
const KEY_LIKE = /[0-9a-fA-F]{16,}|[A-Za-z0-9+/_-]{32,}|^(hvs|hvb|s)\.[A-Za-z0-9]/;

export function printableArg(arg: string): string {
  return KEY_LIKE.test(arg) ? '(not shown: it looks like a key or token)' : `"${arg.slice(0, 60)}"`;
}
