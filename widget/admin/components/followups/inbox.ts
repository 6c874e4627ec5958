import { define } from '../../../lib/define.js';
import { OsgAdminInbox } from './inbox.component.js';

export { OsgAdminInbox };
define('osg-admin-fu-inbox', OsgAdminInbox);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-fu-inbox': OsgAdminInbox;
  }
}
