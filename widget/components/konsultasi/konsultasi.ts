import { define } from '../../lib/define.js';
import { OsgKonsultasi } from './konsultasi.component.js';

export { OsgKonsultasi };
define('osg-konsultasi', OsgKonsultasi);

declare global {
  interface HTMLElementTagNameMap {
    'osg-konsultasi': OsgKonsultasi;
  }
}
