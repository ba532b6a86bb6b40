/**
 * Compiles a user's program against the installed `.d.ts` files with the workspace's
 * TypeScript, under `moduleResolution: NodeNext` (an ESM `.mts` and a CommonJS `.cts` file, so
 * both the `import` and `require` type conditions are exercised) and under `Bundler`.
 * Errors in the user's files or in any `@a1/*` declaration file fail the check; vendor SDKs'
 * own declarations are not ours to check (like `skipLibCheck` for them only).
 */
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let ts;
function typescript(root) {
  ts ??= createRequire(join(root, 'package.json'))('typescript');
  return ts;
}

const MODES = {
  NodeNext: { module: 'NodeNext', moduleResolution: 'NodeNext', files: ['index.mts', 'index.cts'] },
  Bundler: { module: 'ESNext', moduleResolution: 'Bundler', files: ['index.ts'] },
};

/** Writes the program into `projectDir/ts-<mode>/` and type-checks it; returns the resolved @a1 declaration files. */
export function compileAgainstTypes(root, projectDir, mode, source, expectedDeclarations) {
  const ts = typescript(root);
  const dir = join(projectDir, `ts-${mode.toLowerCase()}`);
  mkdirSync(dir, { recursive: true });
  const { files, ...settings } = MODES[mode];
  const paths = files.map((file) => join(dir, file));
  for (const path of paths) writeFileSync(path, source);
  const options = {
    ...ts.convertCompilerOptionsFromJson(
      { ...settings, target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, esModuleInterop: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
      dir,
    ).options,
  };
  const program = ts.createProgram(paths, options);
  const ours = program.getSourceFiles().filter((sf) => paths.includes(sf.fileName) || sf.fileName.includes('/node_modules/@a1/'));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics.slice(0, 8), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }));
  }
  const declarations = ours.map((sf) => sf.fileName).filter((f) => f.includes('/node_modules/@a1/'));
  for (const expected of expectedDeclarations(mode)) {
    if (!declarations.some((f) => f.endsWith(expected))) throw new Error(`${mode}: expected ${expected} among the declarations used, got ${declarations.join(', ')}`);
  }
  return declarations.map((f) => f.slice(f.indexOf('/node_modules/') + 14));
}
