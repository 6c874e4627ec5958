import { LitElement } from 'lit';
import { property, query } from 'lit/decorators.js';
import baseStyles from '../../styles/base.styles.js';
import { adminMessages } from '../i18n.js';
import type { OfficerApiLike } from '../lib/officer-api.js';
import { sectionStyles } from '../styles/admin.styles.js';

/**
 * What every section of the officers' page shares: its styles, the API and messages the page hands it, and the
 * heading the page focuses when the officer switches sections. A base class rather than a controller because
 * these are reactive properties, which Lit declares on the element class; behaviour stays in controllers.
 */
export abstract class AdminSection extends LitElement {
  static styles = [baseStyles, sectionStyles];

  @query('h2') protected heading?: HTMLElement;

  @property({ attribute: false }) api?: OfficerApiLike;
  @property({ attribute: false }) t = adminMessages('id');

  focusHeading(): void {
    this.heading?.focus();
  }
}
