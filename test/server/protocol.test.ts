import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, HTTP_STATUS } from '../../server/protocol.js';
import { adminMessages, errorMessage } from '../../widget/admin/i18n.js';

const SERVER = fileURLToPath(new URL('../../server', import.meta.url));

/** Every TypeScript file of the server but the protocol file itself, which only lists the codes. */
function serverSources(dir = SERVER): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return serverSources(path);
    return entry.name.endsWith('.ts') && path !== join(SERVER, 'protocol.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('the error codes of the protocol', () => {
  it('are each sent somewhere by the server (a code nobody sends is a promise the widget cannot test)', () => {
    const sources = serverSources().join('\n');
    const unsent = ERROR_CODES.filter((code) => !sources.includes(`'${code}'`));
    assert.deepEqual(unsent, []);
  });

  it('each have an HTTP status', () => {
    assert.deepEqual(Object.keys(HTTP_STATUS).sort(), [...ERROR_CODES].sort());
  });

  // The widget's catalogues are checked in the browser (test/widget/i18n.test.ts); the officers' page's here.
  // Its catalogue is cast to Record<code, string>, which would not catch a missing code.
  it('each have their own words on the officers’ page, in Bahasa Indonesia and English', () => {
    for (const lang of ['id', 'en']) {
      const t = adminMessages(lang);
      const internal = errorMessage(t, { code: 'internal' });
      for (const code of ERROR_CODES) {
        const text = errorMessage(t, { code, field: 'body', limit: 10, retryAfterMs: 60_000 });
        assert.ok(text.length > 5 && !/\{|undefined/.test(text), `${lang}/${code}: ${text}`);
        if (code !== 'internal') assert.notEqual(text, internal, `${lang}/${code}`);
      }
    }
  });
});
