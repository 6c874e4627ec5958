import { define } from '../../../lib/define.js';
import { OsgAdminAudit } from './audit.component.js';

export { OsgAdminAudit };
define('osg-admin-audit', OsgAdminAudit);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-audit': OsgAdminAudit;
  }
}
