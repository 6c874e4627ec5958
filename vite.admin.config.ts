import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The officers' admin page: widget/admin/index.html built into dist/admin/, which the server serves at /admin/.
 * Relative base so the page works under any path prefix; hashed asset names so they can be cached for long.
 */
export default defineConfig({
  root: resolve(root, 'widget/admin'),
  base: './',
  publicDir: false,
  build: {
    outDir: resolve(root, 'dist/admin'),
    emptyOutDir: true,
    target: 'es2021',
    minify: true,
    sourcemap: false,
    assetsDir: 'assets',
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
