import { format } from 'node:util';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Everything written while a capture is on, as `[where, text]` pairs. */
export interface OutputCapture {
  readonly lines: ReadonlyArray<readonly [where: string, text: string]>;
  restore(): void;
}

/**
 * Records what is logged through `console` and written to stdout/stderr, still passing it
 * through, so a secret logged by a signer or its SDK can be found afterwards.
 */
export function captureOutput(): OutputCapture {
  const lines: Array<[string, string]> = [];
  const restorers: Array<() => void> = [];

  for (const method of CONSOLE_METHODS) {
    const original = console[method];
    console[method] = function (this: Console, ...args: unknown[]) {
      lines.push([`console.${method}`, format(...args)]);
      return original.apply(this, args);
    } as (typeof console)[typeof method];
    restorers.push(() => {
      console[method] = original;
    });
  }
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      lines.push([`process.${name}`, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')]);
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restorers.push(() => {
      stream.write = original;
    });
  }

  return {
    lines,
    restore() {
      for (const undo of restorers.reverse()) undo();
      restorers.length = 0;
    },
  };
}
