import { define } from '../../../lib/define.js';
import { OsgAdmin } from './admin.component.js';

export { OsgAdmin };
define('osg-admin', OsgAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin': OsgAdmin;
  }
}
