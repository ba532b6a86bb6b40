/**
 * The offline commands (verify, inspect, convert, keygen, help) as one self-contained file:
 * built by tsup.offline.config.ts with @a1/core, @noble/* and @a1/signer-uri bundled in, so
 * `a1 verify` reads one module instead of thirty-odd and starts close to bare Node. Nothing in
 * this process ever meets a provider package (bin.ts routes backend commands to main.js), so the
 * bundled copy of @a1/core never mixes with the installed one.
 */
export { main } from './main.js';
