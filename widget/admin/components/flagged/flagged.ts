import { define } from '../../../lib/define.js';
import { OsgAdminFlagged } from './flagged.component.js';

export { OsgAdminFlagged };
define('osg-admin-flagged', OsgAdminFlagged);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-flagged': OsgAdminFlagged;
  }
}
