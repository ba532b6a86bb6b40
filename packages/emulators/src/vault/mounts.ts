/**
 * Transit mounts per namespace: `namespace -> mount path -> key name -> key`. A request path is
 * resolved against the longest mount that prefixes it, as Vault's router does.
 */
import { normalizeNamespace } from './tokens.js';
import type { TransitKey } from './transit-key.js';

export interface KeyLocation {
  /** Transit mount path, `transit` unless set. */
  mount?: string;
  /** Vault Enterprise namespace (`X-Vault-Namespace`); root namespace when omitted. */
  namespace?: string;
}

export interface ResolvedMount {
  mount: string;
  keys: Map<string, TransitKey>;
  /** The path after the mount, e.g. `sign/a1-root`. */
  rest: string;
}

export class TransitMounts {
  private readonly byNamespace = new Map<string, Map<string, Map<string, TransitKey>>>();

  /** Mounts transit at `mount` in `namespace` (idempotent) and returns its keys. */
  enable(mount: string, namespace?: string): Map<string, TransitKey> {
    const ns = normalizeNamespace(namespace);
    let table = this.byNamespace.get(ns);
    if (!table) this.byNamespace.set(ns, (table = new Map()));
    const path = mount.replace(/^\/+|\/+$/g, '');
    let keys = table.get(path);
    if (!keys) table.set(path, (keys = new Map()));
    return keys;
  }

  find(name: string, where: KeyLocation = {}): TransitKey | undefined {
    return this.byNamespace.get(normalizeNamespace(where.namespace))?.get(where.mount ?? 'transit')?.get(name);
  }

  resolve(namespace: string, path: string): ResolvedMount | undefined {
    const table = this.byNamespace.get(normalizeNamespace(namespace));
    if (!table) return undefined;
    const mount = [...table.keys()].sort((a, b) => b.length - a.length).find((m) => path === m || path.startsWith(`${m}/`));
    if (mount === undefined) return undefined;
    return { mount, keys: table.get(mount)!, rest: path.slice(mount.length + 1) };
  }

  *entries(): Generator<{ namespace: string; mount: string; key: TransitKey }> {
    for (const [namespace, table] of this.byNamespace) {
      for (const [mount, keys] of table) for (const key of keys.values()) yield { namespace, mount, key };
    }
  }
}
