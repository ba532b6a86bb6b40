// Modules build-bundles.mjs generates at bundle time.
declare module 'a1-matrix:groups' {
  export const GROUPS: { name: string; load: () => Promise<unknown> }[];
}
declare module 'a1-matrix:vectors' {
  export const VECTOR_FILES: Record<string, string>;
}
declare module 'a1-matrix:paths' {
  export const SODIUM_FROM: string;
}
