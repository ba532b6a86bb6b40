export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  input?: string;
}

export interface RunOutput {
  stdout: string;
  stderr: string;
}

export interface FailureDescription {
  command: string;
  args?: readonly string[];
  cwd?: string;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  timedOut?: boolean;
  timeoutMs?: number;
  stdout?: string;
  stderr?: string;
}

/** Resolves on exit 0; rejects with the command, how it ended, and both outputs' last lines. */
export declare function run(command: string, args: readonly string[], options?: RunOptions): Promise<RunOutput>;
/** The same, synchronously. */
export declare function runSync(command: string, args: readonly string[], options?: RunOptions): RunOutput;
export declare function describeFailure(failure: FailureDescription): string;
export declare function tail(text: string, lines?: number): string;
