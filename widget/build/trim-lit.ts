import type { Plugin } from 'vite';

/**
 * Trims what Lit's production build carries for developers, never for visitors, from the widget's main script
 * (about 160 of its 20,000 gzipped bytes):
 * - two long messages for misuse of `css` (a CSSResult built by hand, a non-`css` value interpolated). The
 *   widget does neither; the same errors are still thrown, with shorter words naming what was wrong;
 * - the version each Lit package pushes onto a global list (`litHtmlVersions`, …), which only Lit's development
 *   build reads, to warn about two copies on one page.
 * A Lit that no longer has any of these texts fails the build, so the budget never quietly counts on a
 * replacement that stopped applying (update the texts here after upgrading Lit).
 */
const TRIMS: Array<{ file: RegExp; from: string | RegExp; to: string }> = [
  {
    file: /[\\/]@lit[\\/]reactive-element[\\/]css-tag\.js$/,
    from: '"CSSResult is not constructable. Use `unsafeCSS` or `css` instead."',
    to: '"CSSResult: use css"',
  },
  {
    file: /[\\/]@lit[\\/]reactive-element[\\/]css-tag\.js$/,
    from: `"Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security."`,
    to: '"css: not a css result: "+t',
  },
  { file: /[\\/]@lit[\\/]reactive-element[\\/]reactive-element\.js$/, from: /\(\w+\.reactiveElementVersions\?\?=\[\]\)\.push\("[\d.]+"\)/, to: 'void 0' },
  { file: /[\\/]lit-html[\\/]lit-html\.js$/, from: /\(\w+\.litHtmlVersions\?\?=\[\]\)\.push\("[\d.]+"\)/, to: 'void 0' },
  { file: /[\\/]lit-element[\\/]lit-element\.js$/, from: /\(\w+\.litElementVersions\?\?=\[\]\)\.push\("[\d.]+"\)/, to: 'void 0' },
];

export function trimLit(): Plugin {
  return {
    name: 'osg-trim-lit',
    apply: 'build',
    transform: {
      filter: { id: /[\\/](@lit[\\/]reactive-element|lit-html|lit-element)[\\/][\w-]+\.js$/ },
      handler(code, id) {
        let out = code;
        for (const trim of TRIMS.filter((each) => each.file.test(id))) {
          const found = typeof trim.from === 'string' ? out.includes(trim.from) : trim.from.test(out);
          if (!found) this.error(`${id}: Lit no longer has ${String(trim.from).slice(0, 50)}…; update widget/build/trim-lit.ts`);
          out = out.replace(trim.from, trim.to);
        }
        return out === code ? null : { code: out, map: null };
      },
    },
  };
}
