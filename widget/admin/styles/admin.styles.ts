import { css } from 'lit';

/**
 * Shared by every admin component. The widget's base styles (widget/styles/base.styles.ts) read private
 * `--_*` tokens; <osg-admin> sets them once and they inherit through the nested shadow roots.
 */
export const tokens = css`
  :host {
    display: block;
    --_bg: var(--osg-color-background, #ffffff);
    --_surface: var(--osg-color-surface, #f5f7fa);
    --_text: var(--osg-color-text, #1f2933);
    --_muted: var(--osg-color-muted, #52606d);
    --_border: var(--osg-color-border, #cbd2d9);
    --_primary: var(--osg-color-primary, #0b5cad);
    --_on-primary: var(--osg-color-on-primary, #ffffff);
    --_danger: var(--osg-color-danger, #b42318);
    --_success: var(--osg-color-success, #1a7f37);
    --_focus: var(--osg-color-focus, #f59e0b);
    --_font: var(--osg-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--osg-font-size, 1rem);
    --_radius: var(--osg-radius, 0.5rem);
    --_space: var(--osg-spacing, 1rem);
  }
`;

/** Cards, definition lists, chips and toolbars used by the sections. */
export const sectionStyles = css`
  :host {
    display: block;
  }
  h2:focus,
  h3:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 3px solid var(--_focus);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    align-items: flex-end;
    margin: calc(var(--_space) * 0.75) 0;
  }
  .toolbar .field {
    flex: 1 1 12rem;
    min-width: 0;
  }
  .toolbar select {
    width: auto;
  }
  ul.cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    padding: calc(var(--_space) * 0.75);
    min-width: 0;
  }
  .card > * + * {
    margin-top: calc(var(--_space) * 0.5);
  }
  dl {
    display: grid;
    grid-template-columns: minmax(7rem, max-content) minmax(0, 1fr);
    gap: calc(var(--_space) * 0.25) calc(var(--_space) * 0.75);
    margin: 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  @media (max-width: 480px) {
    dl {
      grid-template-columns: minmax(0, 1fr);
    }
    dd {
      margin-bottom: calc(var(--_space) * 0.25);
    }
  }
  .member {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.4);
    align-items: baseline;
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .chip {
    display: inline-block;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0 0.5em;
    font-size: 0.8em;
    overflow-wrap: anywhere;
  }
  .chip.verified,
  .chip.ok {
    border-color: var(--_success);
    color: var(--_success);
  }
  .chip.officer {
    border-color: var(--_primary);
    color: var(--_primary);
  }
  .chip.warn {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    align-items: center;
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .confirm {
    border: 2px solid var(--_danger);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
  }
  .state {
    padding: calc(var(--_space) * 0.5) 0;
  }
  .notice {
    border-left: 4px solid var(--_primary);
    padding: calc(var(--_space) * 0.25) calc(var(--_space) * 0.5);
  }
  .code {
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    overflow-wrap: anywhere;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    border-bottom: 1px solid var(--_border);
    padding: calc(var(--_space) * 0.4);
    overflow-wrap: anywhere;
  }
  @media (max-width: 600px) {
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    tr {
      border-bottom: 1px solid var(--_border);
      padding: calc(var(--_space) * 0.4) 0;
    }
    td {
      border: none;
      padding: calc(var(--_space) * 0.15) 0;
    }
    td[data-label]::before {
      content: attr(data-label) ': ';
      color: var(--_muted);
    }
  }
`;
