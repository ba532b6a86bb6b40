export declare const INSTALL_HINT: string;
export declare function findPostgresBinDir(): string | undefined;
export interface PostgresServerHandle {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** With `tls`: the CA that signed the server's certificate (PEM, and its file). */
  readonly ca: string | undefined;
  readonly caFile: string | undefined;
  /** postgres://a1:<password>@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly pid: number | undefined;
  log(): string;
  pause(): Promise<void>;
  resume(): void;
  kill(): Promise<void>;
  killNow(): void;
  restart(): Promise<void>;
  promote(): Promise<void>;
  stop(): Promise<void>;
}
export declare function startPostgresServer(options?: {
  password?: string;
  user?: string;
  settings?: Record<string, string>;
  tls?: boolean;
  standbyOf?: { port: number; user: string; password: string };
}): Promise<PostgresServerHandle>;
