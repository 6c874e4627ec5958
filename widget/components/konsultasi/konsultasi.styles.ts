import { css } from 'lit';

/**
 * The dark scheme, for theme="dark" and for theme="auto" under a dark system setting. It reads --osg-dark-*
 * only: a webmaster's light --osg-color-* (a dark brand blue, say) would be unreadable on the dark background.
 */
const dark = css`
  color-scheme: dark;
  --_bg: var(--osg-dark-color-background, #111827);
  --_surface: var(--osg-dark-color-surface, #1f2937);
  --_text: var(--osg-dark-color-text, #f3f4f6);
  --_muted: var(--osg-dark-color-muted, #b6bfcc);
  --_border: var(--osg-dark-color-border, #4b5563);
  --_primary: var(--osg-dark-color-primary, #7cb8f7);
  --_on-primary: var(--osg-dark-color-on-primary, #0b1220);
  --_danger: var(--osg-dark-color-danger, #fca5a5);
  --_success: var(--osg-dark-color-success, #86efac);
  --_focus: var(--osg-dark-color-focus, #f59e0b);
`;

// Light defaults (--osg-color-*); the dark scheme above has its own (--osg-dark-color-*).
export default css`
  :host {
    display: block;
    color-scheme: light;
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
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
  .base {
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: calc(var(--_space) * 0.5);
    margin-bottom: var(--_space);
  }
  .status::before {
    content: '';
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    margin-inline-end: 0.4em;
    background: var(--_muted);
  }
  .status.online::before {
    background: var(--_success);
  }
  .status:is(.offline, .unavailable, .stopped)::before {
    background: var(--_danger);
  }
  .notice {
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.5);
    margin: 0 0 var(--_space);
  }
`;
