import type { OfficerLoginResponse } from '../../../server/protocol.js';

const KEY_PREFIX = 'osg-admin:v1:';

/**
 * The officer's token lives in sessionStorage, never localStorage: it dies with the tab, so a shared office
 * computer does not keep an officer signed in. Storage that throws (private modes) leaves the session in memory.
 */
export class OfficerSession {
  private readonly key: string;
  private current?: OfficerLoginResponse;

  constructor(origin: string) {
    this.key = `${KEY_PREFIX}${origin}`;
    this.current = this.read();
  }

  /** The signed-in officer, unless the token has expired. */
  get value(): OfficerLoginResponse | undefined {
    if (this.current && Date.parse(this.current.expiresAt) <= Date.now()) this.clear();
    return this.current;
  }

  save(login: OfficerLoginResponse): void {
    this.current = login;
    try {
      sessionStorage.setItem(this.key, JSON.stringify(login));
    } catch {
      // Refused storage: the session lasts as long as this page.
    }
  }

  clear(): void {
    this.current = undefined;
    try {
      sessionStorage.removeItem(this.key);
    } catch {
      // Nothing stored to remove.
    }
  }

  private read(): OfficerLoginResponse | undefined {
    try {
      const raw = sessionStorage.getItem(this.key);
      const parsed = raw ? (JSON.parse(raw) as OfficerLoginResponse) : undefined;
      return parsed?.token && parsed.expiresAt && parsed.officer ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}
