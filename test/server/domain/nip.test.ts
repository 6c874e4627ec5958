import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { maskNip, parseNip } from '../../../server/domain/nip.js';

const now = new Date('2026-11-23T00:00:00Z');
const refused = (nip: string, pattern: RegExp) =>
  assert.throws(() => parseNip(nip, now), (e: unknown) => e instanceof DomainError && e.code === 'invalid_nip' && e.details.field === 'nip' && pattern.test(e.message), nip);

describe('NIP', () => {
  it('reads birth date, start month, gender and sequence', () => {
    const { nip, info } = parseNip('19850312 201001 2 003', now);
    assert.equal(nip, '198503122010012003');
    assert.deepEqual(info, { birthDate: '1985-03-12', startMonth: '2010-01', gender: 'wanita', sequence: '003' });
  });

  it('says which part is wrong', () => {
    refused('1985031220100120', /18 digits/);
    refused('19850230201001 1 003'.replace(/ /g, ''), /birth date/); // 30 February
    refused('198513012010011003', /birth date/);
    refused('198503122010131003', /start month/);
    refused('198503122010003003'.slice(0, 12) + '00' + '1003', /start month/);
    refused('198503122010013003', /gender/);
    refused('198503122010011000', /sequence/);
    refused('198503121990011001', /start year/);
    refused('201503122030011001', /birth year/);
  });

  it('is masked for the member themself', () => {
    assert.equal(maskNip('198503122010012003'), '••••••••••••••2003');
  });
});
