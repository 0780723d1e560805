/**
 * Log format (issue 14): JSON lines unless the destination is a terminal, where pino-pretty
 * makes them readable; LOG_FORMAT=json|pretty overrides the guess. Redaction holds in both.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../config/env.js';
import { createLogger, type LogFormat } from '../../lib/log.js';

/** A destination that keeps what it is given; `isTTY` as a terminal's stream has it. */
function sink(isTTY: boolean): Writable & { isTTY?: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; text: () => string };
  if (isTTY) w.isTTY = true;
  w.text = () => chunks.join('');
  return w;
}

function logOnce(isTTY: boolean, format?: LogFormat): string {
  const out = sink(isTTY);
  createLogger('info', out, format).info({ unit: 'BA-BE', zalo: { token: 'bi-mat-khong-lo-ra' } }, 'đã lưu báo cáo');
  return out.text();
}

describe('log format', () => {
  it('a pipe or file gets one JSON object a line', () => {
    const line = logOnce(false);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ level: 30, app: 'dondoc', unit: 'BA-BE', zalo: { token: '[ẩn]' }, msg: 'đã lưu báo cáo' });
  });

  it('a terminal gets one readable line: time, level, message, fields; secrets still hidden', () => {
    const text = logOnce(true);
    expect(() => JSON.parse(text)).toThrow();
    // Colours are on for a terminal that supports them: compare without them.
    const plain = text.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
    expect(plain).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] INFO: đã lưu báo cáo \{.*"unit":"BA-BE".*\}\n$/);
    expect(plain).toContain('"zalo":{"token":"[ẩn]"}');
    expect(plain).not.toContain('bi-mat-khong-lo-ra');
    expect(plain).not.toContain('"app"');
  });

  it('LOG_FORMAT overrides the guess both ways', () => {
    expect(JSON.parse(logOnce(true, 'json'))).toMatchObject({ msg: 'đã lưu báo cáo' });
    const pretty = logOnce(false, 'pretty');
    expect(pretty).toMatch(/INFO: đã lưu báo cáo/);
    expect(pretty).not.toContain('\x1b['); // no colours into a file
  });

  it('LOG_FORMAT is checked with the other settings', () => {
    expect(parseEnv({ LOG_FORMAT: 'pretty' })).toMatchObject({ ok: true, config: { env: { LOG_FORMAT: 'pretty' } } });
    const bad = parseEnv({ LOG_FORMAT: 'xml' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toContain('LOG_FORMAT');
  });
});
