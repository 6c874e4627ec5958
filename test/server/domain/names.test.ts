import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { nameSkeleton, ReservedNames } from '../../../server/domain/names.js';

const names = new ReservedNames(['Petugas Kanreg I', 'Siti Rahma', 'Ani']);

describe('reserved display names', () => {
  it('refuse an officer\'s name however it is spelled', () => {
    for (const name of [
      'Siti Rahma',
      'siti rahma',
      'SITI  RAHMA',
      'Síti Ráhma',
      'S1ti Rahma',
      'Siti Rahrna',
      'Siti\u200BRahma',
      'Ｓｉｔｉ Ｒａｈｍａ', // fullwidth
      'Ѕiti Rаhma', // Cyrillic Ѕ and а
      'Dr. Siti Rahma, M.Si',
      'SitiRahma',
      'Ani',
      'ANl',
    ]) {
      assert.equal(names.isReserved(name), true, name);
    }
  });

  it('refuse words that claim an office or a badge', () => {
    for (const name of ['Petugas', 'Budi (petugas)', 'P e t u g a s', 'Pet-ugas Sleman', 'BKN Pusat', 'b.k.n', 'Admin', 'Adm1n Forum', 'Kanreg I', 'Budi Terverifikasi', 'Verified Budi', 'Moderator']) {
      assert.equal(names.isReserved(name), true, name);
    }
  });

  it('leave ordinary names alone, including ones that merely contain an officer\'s name', () => {
    for (const name of ['Daniel', 'Siti Rahmawati', 'Rahma', 'Budi Santoso', 'Badminton Sleman', 'Tamu-4821', 'Analis Kepegawaian', 'Ani Wijaya Kusuma'.replace('Ani ', 'Dani ')]) {
      assert.equal(names.isReserved(name), false, name);
    }
  });

  it('refuse with name_reserved on the name field', () => {
    assert.throws(() => names.check('Petugas BKN'), (e: unknown) => e instanceof DomainError && e.code === 'name_reserved' && e.details.field === 'name');
    assert.doesNotThrow(() => names.check('Budi'));
  });

  it('compare names in one skeleton form', () => {
    assert.deepEqual(nameSkeleton('Pétugas  KANREG-I'), ['petugas', 'kanreg', 'l']);
    assert.deepEqual(nameSkeleton('0ff1c1al'), ['offlclal']);
  });
});
