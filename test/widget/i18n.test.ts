import { expect } from '@esm-bundle/chai';
import { ERROR_CODES } from '../../server/protocol.js';
import {
  ACTION_WORDS_ID,
  addActionWords,
  addCatalogue,
  errorMessage,
  messages,
  missingCatalogue,
  relativeTime,
} from '../../widget/i18n.js';
import { en } from '../../widget/i18n-en.js';

describe('message catalogue', () => {
  it('has Bahasa Indonesia built in and English only once its catalogue has arrived', () => {
    // Each test file runs in its own page: nothing has loaded the on-demand module here yet.
    expect(missingCatalogue('id')).to.equal(false);
    expect(missingCatalogue('en')).to.equal(true);
    expect(missingCatalogue('fr')).to.equal(false);
    expect(messages('en').status.online).to.equal('Tersambung');
    addCatalogue(en);
    expect(missingCatalogue('en-GB')).to.equal(false);
    expect(messages('en').status.online).to.equal('Connected');
  });

  it('has words for every error code of the protocol, in both languages', () => {
    for (const lang of ['id', 'en']) {
      const t = messages(lang);
      for (const code of ERROR_CODES) {
        const text = errorMessage(t, { code, field: 'title', limit: 150, retryAfterMs: 5000 });
        expect(text, `${lang}/${code}`).to.be.a('string').and.not.match(/\{|undefined/);
        expect(text.length, `${lang}/${code}`).to.be.greaterThan(5);
      }
    }
  });

  it('has its own words for every error code once the on-demand module has brought those only its actions meet', () => {
    addActionWords(ACTION_WORDS_ID);
    for (const lang of ['id', 'en']) {
      const t = messages(lang);
      const internal = errorMessage(t, { code: 'internal' });
      for (const code of ERROR_CODES) {
        if (code !== 'internal') expect(errorMessage(t, { code, field: 'title', limit: 150 }), `${lang}/${code}`).not.to.equal(internal);
      }
    }
    expect(errorMessage(messages('id'), { code: 'too_long', field: 'jabatan', limit: 400 })).to.equal(
      'Jabatan terlalu panjang (maks. 400 karakter)',
    );
  });

  it('names the field and the limit for too_long / too_short', () => {
    expect(errorMessage(messages('id'), { code: 'too_long', field: 'title', limit: 150 })).to.equal(
      'Judul terlalu panjang (maks. 150 karakter)',
    );
    expect(errorMessage(messages('id'), { code: 'too_short', field: 'body', limit: 10 })).to.equal(
      'Isi terlalu pendek (min. 10 karakter)',
    );
    expect(errorMessage(messages('en'), { code: 'too_long', field: 'title', limit: 150 })).to.equal(
      'Title is too long (max. 150 characters)',
    );
  });

  it('says how long to wait when rate limited', () => {
    expect(errorMessage(messages('id'), { code: 'rate_limited', retryAfterMs: 4200 })).to.contain('5 detik');
  });

  it('speaks Bahasa Indonesia unless told otherwise', () => {
    expect(messages(undefined).status.online).to.equal('Tersambung');
    expect(messages('fr').status.online).to.equal('Tersambung');
    expect(messages('en-GB').status.online).to.equal('Connected');
    expect(messages('id').status.offline).to.equal('Offline — pesan akan dikirim saat tersambung kembali');
  });

  it('gives relative times in the visitor language', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(relativeTime(messages('id'), '2026-01-01T11:55:00Z', now)).to.equal('5 menit yang lalu');
    expect(relativeTime(messages('en'), '2026-01-01T09:00:00Z', now)).to.equal('3 hours ago');
  });
});
