/**
 * Word search over one site's follow-ups in the JSON and memory stores. The queue is walked in due order and
 * each entry's text tested (`includes`), which stops as soon as a page is full: quick for common words, but
 * a rare word (or one matching nothing) walks every entry of the site. For those the walk asks this index
 * instead: every text of the site lower-cased in one string, separated by NUL, which `indexOf` searches far
 * faster than thousands of short strings one by one (docs/PERFORMANCE.md, "Officers' inbox").
 *
 * Entries join in the order follow-ups open (a follow-up is never removed, nor its thread's text changed);
 * the string is extended only when a search needs it. The walk still tests each candidate's own text, so
 * the results are exactly those of the plain walk.
 */
export class SiteWords<E> {
  #text = '';
  /** Where each entry's text starts in #text, ascending. */
  readonly #starts: number[] = [];
  readonly #entries: E[] = [];
  readonly #pending: E[] = [];
  readonly #textOf: (entry: E) => string;

  constructor(textOf: (entry: E) => string) {
    this.#textOf = textOf;
  }

  add(entry: E): void {
    this.#pending.push(entry);
  }

  /** The entries whose text contains `word` (lower case). */
  containing(word: string): Set<E> {
    this.#catchUp();
    const found = new Set<E>();
    if (word.length === 0) return found;
    let from = 0;
    for (;;) {
      const at = this.#text.indexOf(word, from);
      if (at < 0) return found;
      const i = this.#entryAt(at);
      found.add(this.#entries[i]!);
      // The rest of that entry's text cannot add anything: go on with the next one.
      from = i + 1 < this.#starts.length ? this.#starts[i + 1]! : this.#text.length;
    }
  }

  #catchUp(): void {
    if (this.#pending.length === 0) return;
    const parts = [this.#text];
    let offset = this.#text.length;
    for (const entry of this.#pending) {
      const text = `${this.#textOf(entry)}\u0000`;
      this.#starts.push(offset);
      this.#entries.push(entry);
      parts.push(text);
      offset += text.length;
    }
    this.#text = parts.join('');
    this.#pending.length = 0;
  }

  /** The index of the entry whose text holds position `at`. */
  #entryAt(at: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
