import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { cleanAnswerBody, cleanName, cleanQuestionBody, cleanTitle, guestName, LIMITS, searchWords } from '../../../server/domain/rules.js';

const refusedWith = (fn: () => unknown, code: string, field?: string) =>
  assert.throws(fn, (err: unknown) => err instanceof DomainError && err.code === code && (field === undefined || err.details.field === field));

describe('question and answer text', () => {
  it('keeps line breaks in bodies and folds whitespace in titles', () => {
    assert.equal(cleanQuestionBody('  Baris satu\r\nbaris dua  '), 'Baris satu\nbaris dua');
    assert.equal(cleanTitle('  Kenaikan   pangkat\nreguler  '), 'Kenaikan pangkat reguler');
  });

  it('collapses long runs of blank lines', () => {
    assert.equal(cleanQuestionBody('Paragraf satu\n\n\n\n\nParagraf dua'), 'Paragraf satu\n\nParagraf dua');
  });

  it('refuses titles that are too short or too long, naming the field and limit', () => {
    refusedWith(() => cleanTitle('Halo'), 'too_short', 'title');
    refusedWith(() => cleanTitle('x'.repeat(LIMITS.titleMax + 1)), 'too_long', 'title');
    assert.equal(cleanTitle('x'.repeat(LIMITS.titleMax)).length, LIMITS.titleMax);
    try {
      cleanTitle('x'.repeat(LIMITS.titleMax + 1));
    } catch (err) {
      assert.equal((err as DomainError).details.limit, LIMITS.titleMax);
    }
  });

  it('counts characters, not UTF-16 units, so emoji do not shorten the limit', () => {
    assert.doesNotThrow(() => cleanTitle('🙂'.repeat(LIMITS.titleMax)));
    refusedWith(() => cleanTitle('🙂'.repeat(LIMITS.titleMax + 1)), 'too_long');
  });

  it('refuses empty answers and control or bidi-override characters', () => {
    refusedWith(() => cleanAnswerBody('   '), 'too_short', 'body');
    refusedWith(() => cleanAnswerBody('ok\u0000'), 'invalid_text', 'body');
    refusedWith(() => cleanAnswerBody('abc\u202Edef'), 'invalid_text', 'body');
    assert.equal(cleanAnswerBody('\tok'), 'ok');
  });

  it('refuses question bodies that are too short', () => {
    refusedWith(() => cleanQuestionBody('pendek'), 'too_short', 'body');
  });

  it('validates display names', () => {
    assert.equal(cleanName('  Budi  Santoso '), 'Budi Santoso');
    refusedWith(() => cleanName('B'), 'too_short', 'name');
    refusedWith(() => cleanName('B'.repeat(41)), 'too_long', 'name');
  });
});

describe('invisible text', () => {
  const INVISIBLE = [
    '\u200B\u200C\u200D', // zero-width space, non-joiner, joiner
    '\u200E\u200F\u061C', // bidi marks
    '\u2060\uFEFF\u00AD', // word joiner, byte-order mark, soft hyphen
    '\u{E0041}\u{E0042}\u{E0043}\u{E007F}', // tag characters
    '\uFE0F\uFE0E\u{E0100}', // variation selectors
    '\u3164\u115F\u2800', // Hangul fillers, braille blank
  ];

  it('refuses names, titles, questions and answers made only of invisible characters', () => {
    for (const raw of INVISIBLE) {
      refusedWith(() => cleanName(raw.repeat(4)), 'invalid_text', 'name');
      refusedWith(() => cleanTitle(raw.repeat(8)), 'invalid_text', 'title');
      refusedWith(() => cleanQuestionBody(raw.repeat(10)), 'invalid_text', 'body');
      refusedWith(() => cleanAnswerBody(` ${raw} \n ${raw} `), 'invalid_text', 'body');
    }
  });

  it('does not count invisible characters toward a minimum length (spaces still count)', () => {
    refusedWith(() => cleanTitle('Halo\u200B\u200B\u200B\u200B\u200B'), 'too_short', 'title');
    refusedWith(() => cleanName('B\u200B'), 'too_short', 'name');
    assert.equal(cleanTitle('Cuti PNS'), 'Cuti PNS');
    assert.equal(cleanName('A B'), 'A B');
  });

  it('refuses hidden tag characters, except in the flag emoji they belong to', () => {
    refusedWith(() => cleanAnswerBody('Jawaban\u{E0061}\u{E0062}'), 'invalid_text', 'body');
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    assert.equal(cleanAnswerBody(`Salam dari ${scotland}`), `Salam dari ${scotland}`);
  });

  it('keeps joiners and variation selectors inside visible text (emoji, Persian)', () => {
    assert.equal(cleanName('Ani 👩\u200D💻'), 'Ani 👩\u200D💻');
    assert.equal(cleanAnswerBody('Terima kasih ❤\uFE0F'), 'Terima kasih ❤\uFE0F');
  });
});

describe('search words', () => {
  it('splits, lowercases and bounds the query', () => {
    assert.deepEqual(searchWords('  Kenaikan PANGKAT  '), ['kenaikan', 'pangkat']);
    assert.equal(searchWords('   '), undefined);
    assert.equal(searchWords(undefined), undefined);
    assert.equal(searchWords('a b c d e f g h i j')!.length, LIMITS.queryWordsMax);
  });

  it('takes control characters as spaces (PostgreSQL refuses a NUL in a query)', () => {
    assert.deepEqual(searchWords('pensiun\u0000taspen\u0007'), ['pensiun', 'taspen']);
    assert.equal(searchWords('\u0000\u001f'), undefined);
  });
});

describe('guest names', () => {
  it('look like Tamu-1234', () => {
    assert.match(guestName(), /^Tamu-\d{4}$/);
    assert.equal(guestName(() => 0), 'Tamu-1000');
    assert.equal(guestName(() => 0.9999), 'Tamu-9999');
  });
});
