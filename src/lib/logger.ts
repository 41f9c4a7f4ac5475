export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// Field names whose values must never reach a log line, whatever a caller passes in.
const SECRET_FIELD = /(authorization|token|secret|password|cookie)$|^(api[-_]?key|key)$/i;

/** drizzle wraps the database's error ("Failed query: …") and keeps the reason in `cause`. */
function describeError(error: Error): Record<string, unknown> {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(cause ? { cause: { name: cause.name, message: cause.message, ...(code ? { code } : {}) } } : {}),
  };
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(name)) out[name] = '[redacted]';
    else if (value instanceof Error) out[name] = describeError(value);
    else out[name] = value;
  }
  return out;
}

/** JSON lines on stdout/stderr, one object per event. */
export function createLogger(level: LogLevel, write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  const threshold = ORDER[level];
  const emit = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[at] < threshold) return;
    write(JSON.stringify({ level: at, time: new Date().toISOString(), msg: message, ...redact(fields) }), at);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function defaultWrite(line: string, level: LogLevel) {
  if (level === 'error' || level === 'warn') console.error(line);
  // eslint-disable-next-line no-console -- the logger is the one place that writes to stdout
  else console.log(line);
}
