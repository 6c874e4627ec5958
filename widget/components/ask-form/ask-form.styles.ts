import { css } from 'lit';

export default css`
  :host {
    display: block;
  }
  form {
    display: grid;
    gap: var(--_space);
  }
  h2 {
    margin-bottom: calc(var(--_space) * 0.5);
  }
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
`;
