import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';

const escapeScript = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1');
const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * One self-contained index.html: the script and the styles inlined, so the page works opened from
 * disk (file://) as well as from any static host, and a Content-Security-Policy that allows exactly
 * that script (by hash) and no connection at all: the page cannot reach the network.
 */
function selfContainedPage(): Plugin {
  return {
    name: 'a1-self-contained-page',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset') return;
      let html = String(page.source);
      let scriptHash = '';
      for (const [name, chunk] of Object.entries(bundle)) {
        if (chunk.type === 'chunk' && chunk.isEntry) {
          const code = escapeScript(chunk.code);
          scriptHash = sha256(code);
          html = html.replace(new RegExp(`<script type="module" crossorigin src="[^"]*${chunk.fileName}"></script>`), () => `<script type="module">${code}</script>`);
          delete bundle[name];
        } else if (chunk.type === 'asset' && chunk.fileName.endsWith('.css')) {
          html = html.replace(new RegExp(`<link rel="stylesheet" crossorigin href="[^"]*${chunk.fileName}">`), () => `<style>${String(chunk.source)}</style>`);
          delete bundle[name];
        }
      }
      if (!scriptHash || /<script[^>]+src=|<link[^>]+stylesheet/.test(html)) throw new Error('inspector build: could not inline the page script and styles');
      const csp = `default-src 'none'; script-src ${scriptHash}; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'`;
      page.source = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`);
    },
  };
}

export default defineConfig({
  base: './',
  build: { outDir: 'dist', target: 'es2022', emptyOutDir: true, modulePreload: false, assetsInlineLimit: 0 },
  plugins: [selfContainedPage()],
});
