import { define } from '../../../lib/define.js';
import { OsgAdminNotifications } from './notifications.component.js';

export { OsgAdminNotifications };
define('osg-admin-fu-notifications', OsgAdminNotifications);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-fu-notifications': OsgAdminNotifications;
  }
}
