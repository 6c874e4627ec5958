import { define } from '../../../lib/define.js';
import { OsgAdminThread } from './thread.component.js';

export { OsgAdminThread };
define('osg-admin-fu-thread', OsgAdminThread);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-fu-thread': OsgAdminThread;
  }
}
