/**
 * Registers a tag unless it is already taken: a page that loads the script twice (a CMS block and a theme
 * both adding it) must keep working, and customElements.define throws on a second definition.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
