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
`;
