import { define } from '../../lib/define.js';
import { OsgAskForm } from './ask-form.component.js';

export { OsgAskForm };
define('osg-ask-form', OsgAskForm);

declare global {
  interface HTMLElementTagNameMap {
    'osg-ask-form': OsgAskForm;
  }
}
