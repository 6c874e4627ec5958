import { css } from 'lit';

/**
 * Shared by every component: the private `--_*` tokens are set once on <osg-konsultasi> from the public
 * `--osg-*` properties and inherit through the nested shadow roots.
 */
export default css`
  :host {
    box-sizing: border-box;
    color: var(--_text);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.5;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3 {
    margin: 0;
    line-height: 1.3;
  }
  h2 {
    font-size: 1.2em;
  }
  h3 {
    font-size: 1em;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: calc(var(--_space) * 0.4) calc(var(--_space) * 0.9);
  }
  button.primary {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    color: var(--_primary);
    text-decoration: underline;
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: default;
  }
  input,
  select,
  textarea {
    width: 100%;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    padding: calc(var(--_space) * 0.5);
  }
  textarea {
    resize: vertical;
    min-height: 6em;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  a {
    color: var(--_primary);
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: calc(var(--_space) * 0.25);
  }
  .muted {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .error {
    color: var(--_danger);
  }
  /* A field's hint or error, with its character counter; the counter turns red past the limit. */
  .field-info {
    display: flex;
    justify-content: space-between;
    gap: var(--_space);
    margin-top: calc(var(--_space) * 0.25);
  }
  .over {
    color: var(--_danger);
    font-weight: 600;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    align-items: center;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .author {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.35em;
  }
  .chip {
    display: inline-block;
    border: 1px solid var(--_border);
    border-radius: 1em;
    padding: 0 0.5em;
    font-size: 0.8em;
    line-height: 1.5;
  }
  .badge {
    border-color: var(--_success);
    color: var(--_success);
    font-weight: 600;
  }
`;
