/**
 * zod speaks Vietnamese: its own messages (where a schema gives none) are what an operator reads
 * about a bad setting, regime file or argument. zod 4 ships a Vietnamese locale (`z.locales.vi`),
 * used as is; its few English leftovers (type names such as "string", origins in size messages
 * such as "number <=65535") and its wordier sentences are replaced here by the catalogue's words
 * (vi.cli.zod). Imported for
 * its effect by config/env.ts and by the entry points (cli/main.ts); zod's configuration is
 * process-wide.
 */
import { z } from 'zod';
import { vi } from '../i18n/vi.js';

const W = vi.cli.zod;
const typeName = (t: string): string => W.types[t] ?? t;

function receivedType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
}

/** The unit of a size limit, or undefined for a value limit (numbers, dates). */
const sizeUnit = (origin: string): 'ký tự' | 'phần tử' | undefined => (origin === 'string' ? 'ký tự' : origin === 'array' || origin === 'set' || origin === 'map' ? 'phần tử' : undefined);

const limit = (n: number | bigint, origin: string): string => (origin === 'date' ? new Date(Number(n)).toISOString() : String(n));

z.config(z.locales.vi());
z.config({
  customError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? W.required(typeName(issue.expected)) : W.invalidType(typeName(issue.expected), typeName(receivedType(issue.input)));
      case 'too_big': {
        const unit = sizeUnit(issue.origin);
        if (unit) return W.maxLength(Number(issue.maximum) - (issue.inclusive === false ? 1 : 0), unit);
        return issue.inclusive === false ? W.below(limit(issue.maximum, issue.origin)) : W.atMost(limit(issue.maximum, issue.origin));
      }
      case 'too_small': {
        const unit = sizeUnit(issue.origin);
        if (unit) return W.minLength(Number(issue.minimum) + (issue.inclusive === false ? 1 : 0), unit);
        return issue.inclusive === false ? W.above(limit(issue.minimum, issue.origin)) : W.atLeast(limit(issue.minimum, issue.origin));
      }
      case 'invalid_value':
        return W.oneOf(issue.values.map((v) => (typeof v === 'string' ? v : String(v))).join(', '));
      default:
        // The locale's own words.
        return undefined;
    }
  },
});
