import { html, nothing } from 'lit';
import { formatDate, type Messages } from '../../i18n.js';
import type { Author } from '../../lib/thread-data.js';

/**
 * A member's name with their level chip (or, for an officer, the officer badge instead: reputation levels are
 * for members) and badges, as shown next to every question and answer. With
 * `open`, the name is a button that opens the profile card. Names and badge words are member text: always
 * rendered as text.
 */
export function renderAuthor(t: Messages, author: Author, open?: (memberId: string) => void) {
  const { level, verified } = author;
  return html`<span class="author">
    ${open
      ? html`<button type="button" class="link name" aria-haspopup="dialog" @click=${() => open(author.id)}>${author.name}</button>`
      : html`<span class="name">${author.name}</span>`}
    ${author.officer
      ? html`<span part="badge-officer" class="chip badge">${t.officer}</span>`
      : level
        ? html`<span part="level" class="chip" title=${t.levelTitle(t.levels[level], author.reputation ?? 1)}>${t.levels[level]}</span>`
        : nothing}
    ${verified
      ? html`<span part="badge-verified" class="chip badge" title=${t.verifiedOn(formatDate(t, verified.at))}
          >${t.verified} · ${verified.jabatan} · ${verified.instansi}<span class="sr-only">
            (${t.verifiedOn(formatDate(t, verified.at))})</span></span>`
      : nothing}
  </span>`;
}
