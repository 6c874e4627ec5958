import { css } from 'lit';

export default css`
  :host {
    display: block;
  }
  .bar {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--_space);
    margin-bottom: var(--_space);
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    margin-bottom: var(--_space);
  }
  .tools input {
    flex: 1 1 14em;
    width: auto;
  }
  [aria-pressed='true'] {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  li {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  li.pending {
    border-style: dashed;
    padding: calc(var(--_space) * 0.75);
  }
  .open {
    display: block;
    width: 100%;
    text-align: left;
    border: none;
    background: none;
    padding: calc(var(--_space) * 0.75);
  }
  .title {
    display: block;
    font-weight: 600;
    color: var(--_primary);
    overflow-wrap: anywhere;
  }
  .answered {
    color: var(--_success);
  }
  .more {
    margin-top: var(--_space);
    text-align: center;
  }
`;
