/**
 * One loaded, initialized PKCS#11 library per path per process, shared by every signer that
 * uses it. Cryptoki allows one `C_Initialize` per process, and login state is per token for the
 * whole process, so both are reference-counted here rather than in each signer.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import pkcs11js from 'pkcs11js';
import { pkcs11Failure, signerError } from './pkcs11-failure.js';
import { handleKey } from './handles.js';
import { returnValueOf } from './return-values.js';
import { initializeHint } from './initialize-hint.js';

interface TokenLogin {
  /** Signers (and helpers) relying on this login. */
  holders: number;
  /** HMAC of the PIN that logged in, to check later PINs without keeping the PIN. */
  pinDigest: Buffer;
}

interface LoadedModule {
  readonly path: string;
  readonly api: pkcs11js.PKCS11;
  /** False when someone else in the process had initialized the library: then we never finalize it. */
  readonly initializedHere: boolean;
  leases: number;
  readonly logins: Map<string, TokenLogin>;
}

const loaded = new Map<string, LoadedModule>();
// A per-process key, so a PIN digest held in memory cannot be brute-forced offline from a dump alone.
const pinKey = randomBytes(32);

function pinDigest(pin: string): Buffer {
  return createHmac('sha256', pinKey).update(pin, 'utf8').digest();
}

function load(path: string, keyId: string | undefined): LoadedModule {
  const api = new pkcs11js.PKCS11();
  try {
    api.load(path);
  } catch (e) {
    throw signerError(keyId, 'Misconfigured', `cannot load PKCS#11 module ${path}`, e, false);
  }
  let initializedHere = true;
  try {
    // OS locking: pkcs11js runs C_Sign on libuv worker threads, so the library must be thread-safe.
    api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (returnValueOf(e) === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') initializedHere = false;
    else {
      try {
        api.close();
      } catch {
        // the initialize failure is the one worth reporting
      }
      const failure = pkcs11Failure(e, keyId, `C_Initialize of ${path}`);
      const hint = initializeHint(path, returnValueOf(e), process.env);
      throw hint ? signerError(keyId, failure.code, `${failure.message}: ${hint}`, e, false) : failure;
    }
  }
  return { path, api, initializedHere, leases: 0, logins: new Map() };
}

/** A signer's hold on a shared module. `release()` is idempotent. */
export class ModuleLease {
  #module: LoadedModule | undefined;
  readonly path: string;

  constructor(module: LoadedModule) {
    this.#module = module;
    this.path = module.path;
    module.leases += 1;
  }

  get api(): pkcs11js.PKCS11 {
    if (!this.#module) throw new Error('PKCS#11 module lease already released');
    return this.#module.api;
  }

  /**
   * Logs the user in on `slot` (through `session`) and counts this holder. When the process is
   * already logged in to the token, the PIN is still checked against the one that logged in:
   * otherwise `CKR_USER_ALREADY_LOGGED_IN` would let a wrong PIN through.
   */
  login(slot: Buffer, session: Buffer, pin: string, keyId: string | undefined, hold: boolean): void {
    const module = this.#requireModule();
    const key = handleKey(slot);
    const digest = pinDigest(pin);
    const known = module.logins.get(key);
    let rv: string | undefined;
    try {
      module.api.C_Login(session, pkcs11js.CKU_USER, pin);
    } catch (e) {
      rv = returnValueOf(e);
      if (rv !== 'CKR_USER_ALREADY_LOGGED_IN') throw pkcs11Failure(e, keyId, 'C_Login');
    }
    if (rv === 'CKR_USER_ALREADY_LOGGED_IN' && known && !timingSafeEqual(known.pinDigest, digest)) {
      throw signerError(
        keyId,
        'AccessDenied',
        'C_Login failed: CKR_PIN_INCORRECT (the token is logged in by this process with a different PIN)',
        undefined,
        false,
      );
    }
    // A fresh C_Login proves this PIN; an unknown earlier login (another library) is taken as is.
    const entry = known ?? { holders: 0, pinDigest: digest };
    if (rv === undefined) entry.pinDigest = digest;
    if (hold) entry.holders += 1;
    module.logins.set(key, entry);
  }

  /** Drops this holder; the last one logs the token out. Best effort: the session may be gone. */
  logout(slot: Buffer, session: Buffer | undefined): void {
    const module = this.#module;
    if (!module) return;
    const key = handleKey(slot);
    const entry = module.logins.get(key);
    if (!entry) return;
    entry.holders -= 1;
    if (entry.holders > 0) return;
    module.logins.delete(key);
    if (session) {
      try {
        module.api.C_Logout(session);
      } catch {
        // CKR_USER_NOT_LOGGED_IN or a dead session: logged out either way
      }
    }
  }

  release(): void {
    const module = this.#module;
    if (!module) return;
    this.#module = undefined;
    module.leases -= 1;
    if (module.leases > 0) return;
    loaded.delete(module.path);
    try {
      if (module.initializedHere) module.api.C_Finalize();
    } catch {
      // finalize failing leaves nothing for us to clean up
    }
    try {
      module.api.close();
    } catch {
      // the library stays mapped; harmless
    }
  }

  #requireModule(): LoadedModule {
    if (!this.#module) throw new Error('PKCS#11 module lease already released');
    return this.#module;
  }
}

/** Loads and initializes the library at `path` on first use; later calls share it. */
export function acquireModule(path: string, keyId?: string): ModuleLease {
  const absolute = resolve(path);
  let module = loaded.get(absolute);
  if (!module) {
    module = load(absolute, keyId);
    loaded.set(absolute, module);
  }
  return new ModuleLease(module);
}

/** How many leases each loaded module has (for tests and diagnostics). */
export function loadedModules(): ReadonlyArray<{ path: string; leases: number; loggedInTokens: number }> {
  return [...loaded.values()].map((m) => ({ path: m.path, leases: m.leases, loggedInTokens: m.logins.size }));
}
