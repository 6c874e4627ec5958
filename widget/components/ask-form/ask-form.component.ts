import { html, LitElement, nothing } from 'lit';
import type { SiteView } from '../../../server/protocol.js';
import { errorMessage, type Messages, type ShownError } from '../../i18n.js';
import { emit, lengthError, textLength } from '../../lib/emit.js';
import baseStyles from '../../styles/base.styles.js';
import styles from './ask-form.styles.js';

export interface QuestionDraft {
  title: string;
  body: string;
  category: string;
}

type Field = keyof QuestionDraft;

/**
 * @summary The ask form: title, topic and question with counters, checked against the site's limits before
 * anything is sent.
 *
 * @event osg-draft - `QuestionDraft` on every edit, so the host keeps it across views.
 * @event osg-submit - `QuestionDraft`, only when every field is within the limits.
 * @event osg-cancel - The visitor gave up.
 *
 * @csspart heading - The form's heading.
 * @csspart ask-form - The form element.
 * @csspart title-input - The title field.
 * @csspart category - The topic select.
 * @csspart compose - The question textarea.
 * @csspart counter - The character counters.
 * @csspart submit - The send button.
 * @csspart cancel - The cancel button.
 * @csspart error - A message about one field or the whole form.
 */
export class OsgAskForm extends LitElement {
  static styles = [baseStyles, styles];
  static properties = {
    t: { attribute: false },
    site: { attribute: false },
    draft: { attribute: false },
    serverError: { attribute: false },
    errors: { state: true },
  };

  t!: Messages;
  site?: SiteView;
  draft: QuestionDraft = { title: '', body: '', category: '' };
  /** An error the server gave for this question, shown until the visitor edits. */
  serverError?: ShownError;

  private errors: Partial<Record<Field, ShownError>> = {};

  focusHeading(): void {
    this.renderRoot.querySelector('h2')?.focus();
  }

  /** The problems the server would refuse, in the server's own codes. */
  #check(): Partial<Record<Field, ShownError>> {
    const limits = this.site?.limits;
    if (!limits) return {};
    const { title, body, category } = this.draft;
    return {
      title: lengthError('title', textLength(title, false), limits.titleMin, limits.titleMax),
      body: lengthError('body', textLength(body), limits.bodyMin, limits.bodyMax),
      category: this.site!.categories.some((known) => known.id === category) ? undefined : { code: 'invalid_category' },
    };
  }

  #handleInput(field: Field, event: Event): void {
    // Kept here too: the host's copy comes back only on its next render, after a second edit could land.
    this.draft = { ...this.draft, [field]: (event.target as HTMLInputElement).value };
    if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
    emit(this, 'osg-draft', this.draft);
  }

  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.errors = this.#check();
    const first = (['title', 'category', 'body'] as Field[]).find((field) => this.errors[field]);
    if (first) {
      this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus();
      return;
    }
    emit(this, 'osg-submit', { ...this.draft });
  }

  #renderInfo(field: Field, label: string, hint: string, length: number, max: number) {
    const error = this.errors[field] ?? (this.serverError?.field === field ? this.serverError : undefined);
    return html`<div class="field-info">
      <span id="${field}-hint" class="muted">
        ${error ? html`<span part="error" class="error">${errorMessage(this.t, error, label)}</span>` : hint}
      </span>
      <span part="counter" class="muted ${length > max ? 'over' : ''}" aria-hidden="true">${length}/${max}</span>
    </div>`;
  }

  render() {
    const { t, draft, site } = this;
    const limits = site?.limits ?? { titleMin: 0, titleMax: 150, bodyMin: 0, bodyMax: 5000 };
    const formError = this.serverError && !this.serverError.field ? this.serverError : undefined;
    return html`
      <form part="ask-form" novalidate @submit=${this.#handleSubmit}>
        <h2 part="heading" tabindex="-1">${t.askHeading}</h2>
        ${formError ? html`<p part="error" class="error" role="alert">${errorMessage(t, formError)}</p>` : nothing}
        <div>
          <label for="title">${t.titleLabel}</label>
          <input id="title" part="title-input" .value=${draft.title} aria-describedby="title-hint"
            aria-invalid=${!!this.errors.title} @input=${(event: Event) => this.#handleInput('title', event)} />
          ${this.#renderInfo('title', t.titleLabel, t.limitHint(limits.titleMin, limits.titleMax), textLength(draft.title, false),
            limits.titleMax)}
        </div>
        <div>
          <label for="category">${t.categoryLabel}</label>
          <select id="category" part="category" .value=${draft.category} aria-invalid=${!!this.errors.category}
            aria-describedby=${this.errors.category ? 'category-hint' : nothing} @change=${(event: Event) => this.#handleInput('category', event)}>
            <option value="" ?selected=${!draft.category}>—</option>
            ${site?.categories.map(
              (category) => html`<option value=${category.id} ?selected=${category.id === draft.category}>
                ${category.label[t.locale]}
              </option>`,
            )}
          </select>
          ${this.errors.category
            ? html`<p id="category-hint" part="error" class="error">${errorMessage(t, this.errors.category)}</p>`
            : nothing}
        </div>
        <div>
          <label for="body">${t.bodyLabel}</label>
          <textarea id="body" part="compose" rows="6" .value=${draft.body} aria-describedby="body-hint"
            aria-invalid=${!!this.errors.body} @input=${(event: Event) => this.#handleInput('body', event)}></textarea>
          ${this.#renderInfo('body', t.bodyLabel, t.limitHint(limits.bodyMin, limits.bodyMax), textLength(draft.body), limits.bodyMax)}
        </div>
        <div class="row">
          <button part="submit" class="primary" type="submit" ?disabled=${!site}>${t.send}</button>
          <button part="cancel" type="button" @click=${() => emit(this, 'osg-cancel')}>${t.cancel}</button>
        </div>
      </form>
    `;
  }
}
