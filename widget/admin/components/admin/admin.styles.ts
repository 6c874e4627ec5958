import { css } from 'lit';

export default css`
  :host {
    max-width: 60rem;
    margin: 0 auto;
    padding: var(--_space);
    color: var(--_text);
    background: var(--_bg);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: calc(var(--_space) * 0.5);
    border-bottom: 1px solid var(--_border);
    padding-bottom: calc(var(--_space) * 0.5);
    margin-bottom: var(--_space);
  }
  h1 {
    font-size: 1.3em;
    margin: 0;
    line-height: 1.3;
  }
  nav ul {
    list-style: none;
    margin: 0 0 var(--_space);
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.4);
  }
  nav button[aria-current='page'] {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
  }
  .announcement {
    min-height: 1.5em;
    margin: 0 0 calc(var(--_space) * 0.5);
    color: var(--_success);
  }
  .announcement:empty {
    min-height: 0;
  }
`;
