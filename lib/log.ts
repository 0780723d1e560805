/**
 * One structured logger (pino). Secrets never reach logs: known secret fields are redacted
 * wherever they appear, and callers log ids and outcomes, not payload bodies.
 */
import { pino, destination, type Logger } from 'pino';

export type { Logger };

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

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', dest?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'dondoc' }, redact: { paths: REDACT_PATHS, censor: '[ẩn]' } }, dest ?? destination({ fd: 1, sync: true }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
