import { css } from 'lit';

export default css`
  :host {
    display: block;
  }
  article,
  li {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: calc(var(--_space) * 0.75);
  }
  article {
    margin: var(--_space) 0 calc(var(--_space) * 0.5);
  }
  article h2 {
    overflow-wrap: anywhere;
  }
  .meta {
    margin: calc(var(--_space) * 0.25) 0 calc(var(--_space) * 0.5);
  }
  h3 {
    margin: var(--_space) 0 calc(var(--_space) * 0.5);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  li.pending {
    border-style: dashed;
  }
  form {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    margin-top: var(--_space);
  }
`;
