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

/** Normalises user text (NFC, CRLF → LF, trimmed) and checks its length in code points. */
export function cleanText(field: string, raw: string, min: number, max: number, multiline: boolean): string {
  let value = raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!multiline) value = value.replace(/\s+/g, ' ');
  if (FORBIDDEN_CONTROL.test(value)) {
    throw new DomainError('invalid_text', `${field} contains control characters`, { field });
  }
  // Many blank lines in a row only push other posts off the screen.
  if (multiline) value = value.replace(/\n{3,}/g, '\n\n');
  const length = [...value].length;
  if (length < min) throw new DomainError('too_short', `${field} must be at least ${min} characters`, { field, limit: min });
  if (length > max) throw new DomainError('too_long', `${field} must be at most ${max} characters`, { field, limit: max });
  return value;
}

export const cleanTitle = (raw: string) => cleanText('title', raw, LIMITS.titleMin, LIMITS.titleMax, false);
export const cleanQuestionBody = (raw: string) => cleanText('body', raw, LIMITS.bodyMin, LIMITS.bodyMax, true);
export const cleanAnswerBody = (raw: string) => cleanText('body', raw, LIMITS.answerMin, LIMITS.answerMax, true);
export const cleanName = (raw: string) => cleanText('name', raw, LIMITS.nameMin, LIMITS.nameMax, false);

/** Splits a search query into at most a few lowercase words; an empty query means no filter. */
export function searchWords(q: string | undefined): string[] | undefined {
  if (!q) return undefined;
  const words = q.normalize('NFC').toLowerCase().split(/\s+/).filter(Boolean).slice(0, LIMITS.queryWordsMax);
  return words.length ? words : undefined;
}

/** Default display name for a new visitor, e.g. "Tamu-4821". */
export function guestName(random: () => number = Math.random): string {
  return `Tamu-${String(1000 + Math.floor(random() * 9000))}`;
}
