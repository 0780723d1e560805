/**
 * One structured logger (pino). Secrets never reach logs: known secret fields are redacted
 * wherever they appear, and callers log ids and outcomes, not payload bodies.
 *
 * Format: one JSON object a line (for a log collector, journald, a file, a pipe), or, when the
 * destination is a terminal, readable lines (pino-pretty: time, level, message, then the fields).
 * LOG_FORMAT=json|pretty overrides the guess.
 */
import { createRequire } from 'node:module';
import { pino, destination, type Logger } from 'pino';

export type { Logger };

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const REDACT_PATHS = [
  '*.password',
  '*.appPassword',
  '*.secret',
  '*.appSecret',
  '*.oaSecretKey',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers["x-zevent-signature"]',
];

/**
 * `dest`: standard output when absent. `format`: LOG_FORMAT; when absent, readable on a terminal
 * (`isTTY`), JSON otherwise, so a captured or piped log stays machine-readable.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', dest?: NodeJS.WritableStream, format?: LogFormat): Logger {
  const options = { level, base: { app: 'dondoc' }, redact: { paths: REDACT_PATHS, censor: '[ẩn]' } };
  const out = dest ?? destination({ fd: 1, sync: true });
  const tty = (dest ?? process.stdout) as { isTTY?: boolean };
  if ((format ?? (tty.isTTY ? 'pretty' : 'json')) === 'json') return pino(options, out);
  // Loaded only here: a JSON logger (servers under a supervisor, the tests, most CLI runs) does
  // not pay for it. prettyFactory formats each line synchronously, like the JSON destination.
  const { prettyFactory, isColorSupported } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ colorize: tty.isTTY === true && isColorSupported, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,app', singleLine: true });
  return pino(options, { write: (line: string) => void out.write(prettify(line)) });
}

export const silentLogger: Logger = pino({ level: 'silent' });
