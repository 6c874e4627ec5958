/**
 * Structured JSON logs on stdout, one object a line. Callers pass ids and counts, never user text,
 * tokens or NIP: `redact` strips fields by name as a second line of defence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELDS = /^(token|authorization|secret|nip|password|body|title|name)$/i;

export function createLogger(min: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  return (level, msg, fields = {}) => {
    if (ORDER[level] < ORDER[min]) return;
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (SECRET_FIELDS.test(k)) continue;
      clean[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
    }
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...clean })}\n`);
  };
}

export const silentLogger: Logger = () => {};
