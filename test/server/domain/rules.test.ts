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

describe('search words', () => {
  it('splits, lowercases and bounds the query', () => {
    assert.deepEqual(searchWords('  Kenaikan PANGKAT  '), ['kenaikan', 'pangkat']);
    assert.equal(searchWords('   '), undefined);
    assert.equal(searchWords(undefined), undefined);
    assert.equal(searchWords('a b c d e f g h i j')!.length, LIMITS.queryWordsMax);
  });
});

describe('guest names', () => {
  it('look like Tamu-1234', () => {
    assert.match(guestName(), /^Tamu-\d{4}$/);
    assert.equal(guestName(() => 0), 'Tamu-1000');
    assert.equal(guestName(() => 0.9999), 'Tamu-9999');
  });
});
