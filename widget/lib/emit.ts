import type { ShownError } from '../i18n.js';

/**
 * Dispatches an internal event from a view to <osg-konsultasi>. The host listens on the child element itself,
 * so these neither bubble nor cross the outer shadow root: the page never sees them.
 */
export function emit<T>(target: EventTarget, name: string, detail?: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail }));
}

/** Dispatches a public event of <osg-konsultasi>: it bubbles and is composed, so the page hears it. */
export function tell<T>(target: EventTarget, name: string, detail: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Counts what the server counts: code points of the trimmed text, runs of spaces as one in one-line fields. */
export function textLength(value: string, multiline = true): number {
  const trimmed = value.trim();
  return [...(multiline ? trimmed : trimmed.replace(/\s+/g, ' '))].length;
}

/** `too_short` or `too_long` when a length is outside `min`–`max`, as the server would refuse it. */
export function lengthError(field: string, length: number, min: number, max: number): ShownError | undefined {
  return length < min ? { code: 'too_short', field, limit: min } : length > max ? { code: 'too_long', field, limit: max } : undefined;
}
