/**
 * The element that has focus, looking into shadow roots. A profile dialog notes it when it is created (the name
 * or button that opened it) and gives focus back to it when it closes.
 */
export function focusedElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return (active as HTMLElement | null) ?? undefined;
}
