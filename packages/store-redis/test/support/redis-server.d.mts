export declare const INSTALL_HINT: string;
export declare function findRedisServer(): string | undefined;
export interface RedisServerHandle {
  readonly port: number;
  readonly password: string;
  /** redis://:<password>@127.0.0.1:<port>/0 */
  readonly url: string;
  readonly pid: number | undefined;
  pause(): void;
  resume(): void;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}
export declare function startRedisServer(options?: { password?: string; cluster?: boolean; extraArgs?: string[] }): Promise<RedisServerHandle>;
export interface SentinelHandle {
  readonly port: number;
  readonly name: string;
  stop(): Promise<void>;
}
export declare function startSentinel(primary: { port: number; password: string }, name?: string): Promise<SentinelHandle>;
