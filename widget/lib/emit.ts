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
