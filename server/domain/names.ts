import { DomainError } from './errors.js';

/**
 * Words no member's display name may contain, because they claim an office or a badge the member does not
 * hold: the officers' badge ("Petugas BKN"), the office, the admin role and the verified badge. Compared in
 * skeleton form (see `nameSkeleton`), as whole words or runs of words.
 */
export const RESERVED_WORDS = ['petugas', 'bkn', 'kanreg', 'admin', 'administrator', 'moderator', 'officer', 'official', 'terverifikasi', 'verified'];

// Characters that pass for Latin letters in a display name: digits and symbols, Cyrillic and Greek look-alikes.
const CONFUSABLES: Record<string, string> = {
  '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', '$': 's', '|': 'l', '!': 'l',
  i: 'l', 'ı': 'l',
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
  'у': 'y', 'х': 'x', 'і': 'l', 'ї': 'l', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ɡ': 'g',
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'l', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u',
  'χ': 'x', 'ω': 'w',
};

/**
 * A name as a list of words in the form look-alike names share: compatibility forms folded (NFKC: fullwidth and
 * mathematical letters), case and diacritics dropped, invisible characters removed, look-alike characters mapped
 * to one Latin letter (0→o, 1/l/I/i→l, Cyrillic а→a, …, "rn"→"m", "vv"→"w"), split at anything else.
 */
export function nameSkeleton(name: string): string[] {
  const folded = name
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\p{M}\p{Default_Ignorable_Code_Point}]/gu, '');
  const mapped = [...folded].map((c) => CONFUSABLES[c] ?? c).join('').replace(/rn/g, 'm').replace(/vv/g, 'w');
  return mapped.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * Display names members may not take: an officer's name and the RESERVED_WORDS, however spelled. A name is
 * reserved when some run of its words, joined, is a reserved word or an officer's whole name joined (so
 * "Petugas  Kanreg 1", "P e t u g a s" and "Dr. Siti Rahma" are caught; "Daniel" is not "Ani", nor "Siti
 * Rahmawati" "Siti Rahma").
 */
export class ReservedNames {
  readonly #reserved: Set<string>;
  readonly #longest: number;

  constructor(officerNames: Iterable<string>, words: Iterable<string> = RESERVED_WORDS) {
    this.#reserved = new Set([...words, ...officerNames].map((n) => nameSkeleton(n).join('')).filter(Boolean));
    this.#longest = Math.max(0, ...[...this.#reserved].map((r) => r.length));
  }

  isReserved(name: string): boolean {
    const words = nameSkeleton(name);
    for (let i = 0; i < words.length; i++) {
      let run = '';
      for (let j = i; j < words.length && run.length < this.#longest; j++) {
        run += words[j];
        if (this.#reserved.has(run)) return true;
      }
    }
    return false;
  }

  /** Refuses a reserved name with `name_reserved`. */
  check(name: string): void {
    if (this.isReserved(name)) {
      throw new DomainError('name_reserved', 'This name belongs to a BKN officer or claims a role or badge; choose another', { field: 'name' });
    }
  }
}
