/**
 * The passport file store behind `/v1/passports/*` (§5), confined to one directory: a client
 * names files, never paths. Passports are issued with the gateway's own signer (upstream makes a
 * throw-away key per passport, so its passports can never sign a sub-cert).
 */
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { certFingerprint, issuePassport, loadPassport, savePassport, toHex, type AsyncSigner, type Passport, type Signer } from '@a1/core';

/** Upstream's file name for a namespace: each char not alphanumeric (Unicode), '-' or '_' becomes '-'. */
export function fileNameFor(namespace: string): string {
  return `${namespace.replace(/[^\p{L}\p{N}_-]/gu, '-')}.json`;
}

/** `<n>d|h|m|y` (365-day years) or plain seconds, > 0; undefined when invalid or overflowing. */
export function parsePassportTtl(text: string): bigint | undefined {
  const match = /^(\d{1,20})([dhmy]?)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { '': 1n, m: 60n, h: 3600n, d: 86_400n, y: 31_536_000n }[match[2] as '' | 'm' | 'h' | 'd' | 'y'];
  const seconds = BigInt(match[1]!) * unit;
  return seconds > 0n && seconds < 1n << 62n ? seconds : undefined;
}

export class PassportDirectory {
  readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  /** The file `name` inside the directory, or undefined for anything that is not a bare `*.json` name. */
  fileOf(name: string): string | undefined {
    if (name.length === 0 || name !== basename(name) || name.includes('..') || !name.endsWith('.json')) return undefined;
    const path = resolve(this.root, name);
    return path.startsWith(this.root + sep) ? path : undefined;
  }

  async issue(signer: Signer | AsyncSigner, namespace: string, capabilities: string[], ttlSeconds: bigint, fileName = fileNameFor(namespace)): Promise<{ passport: Passport; path: string }> {
    const path = this.fileOf(fileName);
    if (!path) throw new Error(`${fileName} is not a file name inside the passports directory`);
    const passport = await issuePassport({ namespace, capabilities, ttlSeconds, signer });
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await writeFile(path, `${savePassport(passport)}\n`, { mode: 0o600 });
    return { passport, path };
  }

  async load(name: string): Promise<{ passport: Passport; path: string; text: string }> {
    const path = this.fileOf(name);
    if (!path) throw Object.assign(new Error('access denied'), { code: 'EACCES' });
    const text = await readFile(path, 'utf8');
    return { passport: loadPassport(text), path, text };
  }

  async names(): Promise<string[]> {
    try {
      return (await readdir(this.root)).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await unlink(path);
  }

  /** Writes `content` as `name`, keeping an existing file as `name.bak`. */
  async restore(name: string, content: unknown): Promise<boolean> {
    const path = this.fileOf(name);
    if (!path) return false;
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await rename(path, `${path}.bak`).catch(() => {});
    await writeFile(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    return true;
  }
}

export function fingerprintHex(passport: Passport): string {
  return toHex(certFingerprint(passport.cert));
}
