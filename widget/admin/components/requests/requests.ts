import { define } from '../../../lib/define.js';
import { OsgAdminRequests } from './requests.component.js';

export { OsgAdminRequests };
define('osg-admin-requests', OsgAdminRequests);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-requests': OsgAdminRequests;
  }
}
