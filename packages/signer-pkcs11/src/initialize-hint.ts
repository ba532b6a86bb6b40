/**
 * What to do when a library's `C_Initialize` fails. SoftHSM2 reads its configuration at
 * `C_Initialize` and answers a missing or unreadable one with a bare `CKR_GENERAL_ERROR`, the most
 * common first-hour failure: say which file it read and how to point it at another.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

/** SoftHSM2's compiled-in default on Debian/Ubuntu (`root:softhsm`, mode 0640 there). */
export const SOFTHSM2_DEFAULT_CONF = '/etc/softhsm/softhsm2.conf';

export function initializeHint(
  modulePath: string,
  returnValue: string | undefined,
  env: NodeJS.ProcessEnv,
  fileExists: (path: string) => boolean = existsSync,
): string | undefined {
  if (!/softhsm/i.test(basename(modulePath)) || returnValue !== 'CKR_GENERAL_ERROR') return undefined;
  const conf = env.SOFTHSM2_CONF;
  if (!conf) {
    return (
      `SOFTHSM2_CONF is not set, so SoftHSM2 read ${SOFTHSM2_DEFAULT_CONF}, which is missing or not readable ` +
      'by this user (or names a token directory that is not): set SOFTHSM2_CONF to your softhsm2.conf, e.g. ' +
      '`export SOFTHSM2_CONF=$HOME/a1-softhsm/softhsm2.conf` with a line `directories.tokendir = <existing dir>`'
    );
  }
  if (!fileExists(conf)) {
    return `SOFTHSM2_CONF is ${JSON.stringify(conf)}, which does not exist: set SOFTHSM2_CONF to your softhsm2.conf`;
  }
  return (
    `SoftHSM2 could not use SOFTHSM2_CONF=${JSON.stringify(conf)}: check that this user can read it and that ` +
    'its directories.tokendir exists and is writable'
  );
}
