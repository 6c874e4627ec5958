import { css } from 'lit';

export default css`
  :host {
    display: block;
  }
  .head:empty {
    display: none;
  }
  .label {
    font-weight: 600;
    font-size: 0.875em;
    color: var(--_success);
  }
  .meta,
  .note {
    margin: 0 0 calc(var(--_space) * 0.5);
  }
  .actions {
    margin-top: calc(var(--_space) * 0.5);
  }
  .actions button:not(.link) {
    padding: calc(var(--_space) * 0.2) calc(var(--_space) * 0.6);
  }
  [aria-pressed='true'] {
    border-color: var(--_primary);
    color: var(--_primary);
    font-weight: 600;
  }
  .score {
    min-width: 1.5em;
    text-align: center;
    font-weight: 600;
  }
  .reasons,
  .edit {
    margin-top: calc(var(--_space) * 0.5);
  }
  .error {
    margin: calc(var(--_space) * 0.5) 0 0;
  }
`;
