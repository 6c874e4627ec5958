/**
 * Entry of the embeddable bundle: `<script src="https://HOST/osg-konsultasi.js" defer></script>` then
 * `<osg-konsultasi site="kanreg1"></osg-konsultasi>`.
 */
import { OsgKonsultasi } from './components/konsultasi/konsultasi.component.js';

// Read while this module evaluates: document.currentScript is only set then, and only for classic scripts
// (the IIFE build). The ES build has import.meta.url instead. Either gives the server's origin by default.
const script = document.currentScript as HTMLScriptElement | null;
const source = script?.src || import.meta.url;
try {
  OsgKonsultasi.defaultServer ||= new URL(source).origin;
} catch {
  // An inline or blob script has no usable origin; `server` or the page's origin is used then.
}

export { OsgKonsultasi };
export { OsgAskForm } from './components/ask-form/ask-form.js';
export { OsgThreadList } from './components/thread-list/thread-list.js';
export { OsgThreadView } from './components/thread-view/thread-view.js';
import './components/konsultasi/konsultasi.js';
