import { gzipSync } from 'node:zlib';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';
import { minifyTemplates } from './widget/build/minify-templates.js';

/**
 * The bundle budget: a regional site's visitors are often on slow mobile links. 20 KB read as 20,000 bytes,
 * the stricter reading, which is also how Vite prints kB.
 */
const MAX_GZIP_BYTES = Number(process.env.OSG_GZIP_BUDGET) || 20_000;

/** Prints each output's gzipped size and fails the build when one is over the budget. */
function gzipBudget(limit: number): Plugin {
  return {
    name: 'osg-gzip-budget',
    apply: 'build',
    generateBundle(options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const bytes = gzipSync(output.code, { level: 9 }).length;
        const line = `${output.fileName}: ${output.code.length} bytes, ${bytes} bytes gzipped (budget ${limit})`;
        this.info?.(line);
        if (bytes > limit) this.error(`${output.fileName} is ${bytes} bytes gzipped, over the ${limit}-byte budget`);
      }
    },
  };
}

/** The profile module must take Lit from the main bundle (install(kit)); a second copy would not fit. */
function noLit(): Plugin {
  return {
    name: 'osg-no-lit',
    resolveId(id, importer) {
      if (/^lit($|\/)|^@lit\//.test(id)) this.error(`${importer} imports ${id}: the profile module gets Lit through install(kit)`);
      return null;
    },
  };
}

/** `vite build --mode profile`: dist/widget/osg-konsultasi-profile.mjs, loaded on demand by the widget. */
const profileBuild: UserConfig = {
  publicDir: false,
  build: {
    outDir: 'dist/widget',
    // The main build ran first and emptied the folder.
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: { entry: 'widget/profile/osg-konsultasi-profile.ts', formats: ['es'], fileName: () => 'osg-konsultasi-profile.mjs' },
    rolldownOptions: { output: { codeSplitting: false, minify: true, comments: false } },
  },
  plugins: [noLit(), minifyTemplates(), gzipBudget(MAX_GZIP_BYTES)],
};

/** After the main script, builds the profile module too, so `vite build` alone gives the whole widget. */
function alsoProfile(): Plugin {
  let done = false;
  return {
    name: 'osg-profile-module',
    apply: 'build',
    async closeBundle() {
      if (done) return;
      done = true;
      await build({ configFile: false, ...profileBuild });
    },
  };
}

const mainBuild: UserConfig = {
  publicDir: false,
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: {
      entry: 'widget/osg-konsultasi.ts',
      name: 'OsgKonsultasi',
      formats: ['iife', 'es'],
      fileName: (format) => (format === 'es' ? 'osg-konsultasi.mjs' : 'osg-konsultasi.js'),
    },
    rolldownOptions: {
      // One file per format: the embed is a single script tag. Vite leaves whitespace in ES library output
      // (to keep pure annotations for the app that bundles it); this file is served as-is, so minify it fully and
      // drop those `/* @__PURE__ */` comments too (licence comments were already left out by default).
      // The IIFE's global needs no Symbol.toStringTag 'Module' on it either.
      output: { codeSplitting: false, minify: true, comments: false, generatedCode: { symbols: false } },
      onLog(level, log, handler) {
        // The IIFE build has no import.meta; there `{}.url` is undefined on purpose and document.currentScript
        // gives the script's address instead (widget/osg-konsultasi.ts).
        if (log.message.includes('import.meta')) return;
        handler(level, log);
      },
    },
  },
  plugins: [minifyTemplates(), gzipBudget(MAX_GZIP_BYTES), alsoProfile()],
};

export default defineConfig(({ mode }) => (mode === 'profile' ? profileBuild : mainBuild));
