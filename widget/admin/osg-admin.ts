/** Entry of the officers' admin page (widget/admin/index.html): registers <osg-admin> and its sections. */
export { OsgAdmin } from './components/admin/admin.js';
