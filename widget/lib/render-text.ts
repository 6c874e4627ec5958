import { html, type TemplateResult } from 'lit';

// Only absolute http(s) URLs become links; the scheme is matched at the start, so `javascript:` never can.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Sentence punctuation right after a URL belongs to the sentence, not the link.
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/**
 * Turns user text into Lit parts: strings (rendered as text nodes, never parsed as HTML) and links.
 * The caller keeps line breaks with `white-space: pre-wrap`.
 */
export function renderText(text: string): Array<string | TemplateResult> {
  const parts: Array<string | TemplateResult> = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index!;
    if (!parses(url)) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(html`<a href=${url} rel="nofollow noopener ugc" target="_blank">${url}</a>`);
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
