/** localStorage that never throws: Safari private mode and sandboxed iframes refuse it, and the widget must still work. */
export function readJson<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused: the data lives on in memory for this page.
  }
}

export const STORAGE_PREFIX = 'osg-konsultasi:v1:';
