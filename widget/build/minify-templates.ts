import { parseAst, type Plugin } from 'vite';

/**
 * Squeezes the text of Lit's `html` and `css` tagged templates in the widget's sources. The JS minifier
 * leaves template text alone, and the indentation of our templates was about a tenth of the bundle.
 *
 * Only our own template text changes; what a visitor writes is bound as values, never part of it.
 * - `html`: a run of whitespace that holds a line break becomes one space. Browsers collapse such a run to
 *   one space anyway everywhere we use these templates; the only places where they would not (`pre-wrap`
 *   text, `<textarea>` content) hold nothing but bindings. Attribute values keep their words.
 * - `css`: comments and whitespace that CSS ignores go, and `0.5` becomes `.5`. Quoted strings are kept.
 */
export function minifyTemplates(): Plugin {
  return {
    name: 'osg-minify-templates',
    apply: 'build',
    // Before the TypeScript transform: positions in the AST are then positions in the file as written.
    enforce: 'pre',
    transform: {
      filter: { id: /\/widget\/.*\.ts$/, code: /\b(html|css)`/ },
      handler(code, id) {
        const edits: Array<{ start: number; end: number; text: string }> = [];
        visit(parseAst(code, { lang: 'ts', sourceType: 'module' }, id), (node) => {
          if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier') return;
          const squeeze = node.tag.name === 'html' ? squeezeHtml : node.tag.name === 'css' ? squeezeCss : undefined;
          if (!squeeze) return;
          const { quasis } = node.quasi;
          quasis.forEach((quasi: { start: number; end: number; value: { raw: string } }, index: number) => {
            const { raw } = quasi.value;
            // The span may or may not include the delimiters (` or }); the text must be found where it says.
            const start = code.startsWith(raw, quasi.start) ? quasi.start : quasi.start + 1;
            if (code.slice(start, start + raw.length) !== raw) this.error(`${id}: template text at ${quasi.start} does not match the AST`);
            const text = squeeze(raw, index === 0, index === quasis.length - 1);
            if (text !== raw) edits.push({ start, end: start + raw.length, text });
          });
        });
        if (!edits.length) return null;
        let out = code;
        for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
        // Whitespace only moved within lines' worth of template text; no source map is kept for the widget.
        return { code: out, map: null };
      },
    },
  };
}

/** Calls `found` on every AST node (objects with a string `type`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function visit(node: any, found: (node: any) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, found);
    return;
  }
  if (!node || typeof node !== 'object') return;
  if (typeof node.type === 'string') found(node);
  for (const key of Object.keys(node)) {
    if (key !== 'parent') visit(node[key], found);
  }
}

/** Not `\s`: that also matches U+00A0 and other spaces that are content. */
const LINE_BREAK_RUN = /[ \t\r]*\n[ \t\r\n]*/g;

export function squeezeHtml(raw: string): string {
  return raw.replace(LINE_BREAK_RUN, ' ');
}

export function squeezeCss(raw: string, first: boolean, last: boolean): string {
  // Odd pieces are quoted strings ('Segoe UI', ''), kept as written.
  const squeezed = raw
    .split(/('[^'\n]*'|"[^"\n]*")/)
    .map((piece, index) => (index % 2 ? piece : squeezeCssCode(piece)))
    .join('');
  let result = squeezed;
  if (first) result = result.replace(/^ /, '');
  if (last) result = result.replace(/ $/, '');
  return result;
}

function squeezeCssCode(code: string): string {
  return (
    code
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/[ \t\r\n]+/g, ' ')
      // Not around `:` in general: ` :hover` (descendant) and `:hover` differ in a selector.
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      // Inside calc(): `a * b` needs no spaces (`+` and `-` do, and are left alone).
      .replace(/\) \* /g, ')*')
      .replace(/(^|[^\w.#-])0\.(\d)/g, '$1.$2')
  );
}
