import type { LitKit } from '../lib/on-demand-module.js';

/** Styles of the profile dialogs; `css` comes from the main bundle's Lit. */
export const profileStyles = (css: LitKit['css']) => css`
  dialog {
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    width: min(32rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  .top {
    display: flex;
    justify-content: space-between;
    align-items: start;
    gap: var(--_space);
  }
  h2 {
    overflow-wrap: anywhere;
  }
  h3 {
    margin-top: var(--_space);
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.2em var(--_space);
    margin: calc(var(--_space) * 0.5) 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .strip {
    display: grid;
    grid-template-columns: repeat(50, 1fr);
    gap: 1px;
    margin: 0.25em 0;
  }
  .strip i {
    height: 0.6em;
    background: var(--_border);
  }
  .strip i.on {
    background: var(--_success);
  }
  form {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  p {
    margin: 0.25em 0;
  }
`;
