import { DomainError } from './errors.js';

/** Length limits in characters (Unicode code points), after trimming. */
export const LIMITS = {
  titleMin: 8,
  titleMax: 150,
  bodyMin: 10,
  bodyMax: 5000,
  answerMin: 1,
  answerMax: 5000,
  nameMin: 2,
  nameMax: 40,
  queryWordsMax: 8,
} as const;

// Control characters other than tab and newline have no place in a post and can hide text.
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

/**
 * Characters that show nothing at all: Unicode's default-ignorables (zero-width characters, bidi marks, soft
 * hyphen, variation selectors, tag characters, Hangul fillers…) and the blank braille pattern. Inside visible
 * text some are needed (ZWJ in emoji, ZWNJ in Persian); alone, or with white space, they make a post or a
 * name that looks empty.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;
// Tag characters spell hidden text; the only visible use is a subdivision flag (🏴 + tags + cancel tag).
const STRAY_TAG = /(?<!\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0000}-\u{E007F}]/u;

/** How many characters of the text count toward a minimum: code points other than INVISIBLE ones (spaces count). */
export const visibleLength = (value: string) => [...value.replace(INVISIBLE, '')].length;

/**
 * Normalises user text (NFC, CRLF → LF, trimmed) and checks it: no control, bidi-override or stray tag
 * characters, not made only of invisible characters, at least `min` visible and at most `max` code points.
 */
export function cleanText(field: string, raw: string, min: number, max: number, multiline: boolean): string {
  let value = raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!multiline) value = value.replace(/\s+/g, ' ');
  if (FORBIDDEN_CONTROL.test(value) || STRAY_TAG.test(value)) {
    throw new DomainError('invalid_text', `${field} contains control or hidden characters`, { field });
  }
  // Many blank lines in a row only push other posts off the screen.
  if (multiline) value = value.replace(/\n{3,}/g, '\n\n');
  if (value !== '' && value.replace(INVISIBLE, '').trim() === '') {
    throw new DomainError('invalid_text', `${field} has no visible characters`, { field });
  }
  const visible = visibleLength(value);
  if (visible < min) throw new DomainError('too_short', `${field} must be at least ${min} characters`, { field, limit: min });
  if ([...value].length > max) throw new DomainError('too_long', `${field} must be at most ${max} characters`, { field, limit: max });
  return value;
}

export const cleanTitle = (raw: string) => cleanText('title', raw, LIMITS.titleMin, LIMITS.titleMax, false);
export const cleanQuestionBody = (raw: string) => cleanText('body', raw, LIMITS.bodyMin, LIMITS.bodyMax, true);
export const cleanAnswerBody = (raw: string) => cleanText('body', raw, LIMITS.answerMin, LIMITS.answerMax, true);
export const cleanName = (raw: string) => cleanText('name', raw, LIMITS.nameMin, LIMITS.nameMax, false);

/** Splits a search query into at most a few lowercase words; an empty query means no filter. */
export function searchWords(q: string | undefined): string[] | undefined {
  if (!q) return undefined;
  // Control characters separate words like spaces: no text holds them, and PostgreSQL refuses a NUL outright.
  const words = q.normalize('NFC').toLowerCase().replace(/\p{Cc}/gu, ' ').split(/\s+/).filter(Boolean).slice(0, LIMITS.queryWordsMax);
  return words.length ? words : undefined;
}

/** Default display name for a new visitor, e.g. "Tamu-4821". */
export function guestName(random: () => number = Math.random): string {
  return `Tamu-${String(1000 + Math.floor(random() * 9000))}`;
}
