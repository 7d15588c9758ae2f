import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';

/**
 * `npm run dev` only: Vite's dev server injects each component's CSS as a <style> element (the build puts it in a
 * file), so the page's CSP admits inline styles while developing. Never in a build (`apply: 'serve'`).
 */
const devInlineStyles: Plugin = {
  name: 'raft-lab-dev-inline-styles',
  apply: 'serve',
  // The whole directive: beside a hash, 'unsafe-inline' would be ignored.
  transformIndexHtml: (html) => html.replace(/style-src [^;"]*/, "style-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [vue(), devInlineStyles],
    // The renderer benchmark's synthetic lab stays out of the app (renderer/src/main.ts; renderer-bench.ts sets true).
    define: { __RAFT_LAB_BENCH__: 'false' },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
