import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';
import { trimLit } from './widget/build/trim-lit.js';
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

/** The on-demand module (widget/profile/osg-konsultasi-profile.ts), built in memory by the main build. */
const profileBuild: UserConfig = {
  publicDir: false,
  build: {
    write: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: { entry: 'widget/profile/osg-konsultasi-profile.ts', formats: ['es'], fileName: () => 'osg-konsultasi-profile.mjs' },
    rolldownOptions: { output: { codeSplitting: false, minify: true, comments: false } },
  },
  plugins: [noLit(), minifyTemplates(), gzipBudget(MAX_GZIP_BYTES)],
};

/**
 * Builds the on-demand module first and names it by its content (`osg-konsultasi-profile-<hash>.mjs`); the main
 * script gets that name as `__OSG_ON_DEMAND_FILE__`, and the file is written beside it. So a main script only
 * ever loads the module it was built with, and the server can cache modules for good (a new build is a new
 * name). The main script's own name stays fixed: webmasters embed it.
 */
function onDemandModule(): Plugin {
  let file: { name: string; code: string } | undefined;
  return {
    name: 'osg-on-demand-module',
    apply: 'build',
    async config() {
      const built = await build({ configFile: false, ...profileBuild });
      const chunk = (Array.isArray(built) ? built[0] : built) as { output: Array<{ type: string; code?: string }> };
      const code = chunk.output.find((output) => output.type === 'chunk')!.code!;
      const name = `osg-konsultasi-profile-${createHash('sha256').update(code).digest('hex').slice(0, 10)}.mjs`;
      file = { name, code };
      return { define: { __OSG_ON_DEMAND_FILE__: JSON.stringify(name) } };
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: file!.name, source: file!.code });
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
  plugins: [onDemandModule(), minifyTemplates(), trimLit(), gzipBudget(MAX_GZIP_BYTES)],
};

export default defineConfig(mainBuild);
