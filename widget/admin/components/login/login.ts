import { define } from '../../../lib/define.js';
import { OsgAdminLogin } from './login.component.js';

export { OsgAdminLogin };
define('osg-admin-login', OsgAdminLogin);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-login': OsgAdminLogin;
  }
}
