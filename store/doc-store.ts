/**
 * The one storage abstraction both backends implement: named collections of JSON documents
 * keyed by a string `_id`, with a version `_v` bumped on every write (optimistic concurrency,
 * after botbuilder's Storage eTag), equality/range filters on top-level or dotted fields, and an
 * atomic find-and-modify used for claims and leases. Repositories (store/repositories.ts) are
 * written once on top of this; the contract suite runs against both implementations.
 *
 * Deterministic `_id`s carry idempotency: inserting an existing `_id` returns false, never throws.
 */
import { vi } from '../i18n/vi.js';
import type { BlobStore } from './blobs.js';

export interface Doc {
  _id: string;
  /** Version, bumped by every write; 0 or absent for a document never written. */
  _v?: number;
}

export type Scalar = string | number | boolean | null;
export interface Range {
  $lt?: Scalar;
  $lte?: Scalar;
  $gt?: Scalar;
  $gte?: Scalar;
  $ne?: Scalar;
  $in?: Scalar[];
}
export type Filter = Record<string, Scalar | Range>;

export interface FindOptions {
  sort?: Array<[field: string, dir: 1 | -1]>;
  limit?: number;
}

export interface Collection<T extends Doc> {
  get(id: string): Promise<T | null>;
  find(filter?: Filter, opts?: FindOptions): Promise<T[]>;
  count(filter?: Filter): Promise<number>;
  /** Inserts a new document; false if one with this `_id` (or a unique key) exists. */
  insert(doc: T): Promise<boolean>;
  /**
   * Writes the whole document, created or replaced (the last writer wins); `_v` becomes the stored
   * version + 1 (1 if none), whatever `doc._v` says: versions only move forward, so a write after it
   * from a version read before it is refused, and on FerretDB it takes its step as the conditional
   * writes do (store/mongo-store.ts). No read of the version beforehand is needed.
   */
  put(doc: T): Promise<T>;
  /** Replaces only if the stored version equals `expectedV` (0: only if absent). False on conflict. */
  replaceIfVersion(doc: T, expectedV: number): Promise<T | null>;
  /** Atomically sets fields on the first document matching (in sort order); returns it after the update. */
  updateOne(filter: Filter, set: Partial<T> & Record<string, unknown>, opts?: Pick<FindOptions, 'sort'>): Promise<T | null>;
  /** Sets fields on every match; returns how many. */
  updateMany(filter: Filter, set: Partial<T> & Record<string, unknown>): Promise<number>;
  /** For technical records only (locks, throttles, processed inbound events past their retention); domain records are never deleted. */
  deleteMany(filter: Filter): Promise<number>;
}

export interface IndexSpec {
  fields: string[];
  unique?: boolean;
  /**
   * Which documents the index needs to cover: each field missing (null) or present ({ $ne: null }).
   * The embedded store indexes only those (a partial index: a write of any other document leaves
   * its pages alone), and a query uses it only if its filter says the same of those fields, in
   * the same words; MongoDB indexes every document, as without it. Not with `unique`.
   */
  where?: Record<string, null | { $ne: null }>;
}

export interface DocStore {
  /** "embedded" (SQLite file) or "mongodb". */
  readonly kind: 'embedded' | 'mongodb';
  /** Human description for logs, never containing credentials. */
  readonly description: string;
  collection<T extends Doc>(name: string): Collection<T>;
  /** Creates collections and indexes (idempotent). */
  init(indexes: Record<string, IndexSpec[]>): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `fn` as one unit of work: on the embedded store its writes resolve at once and share
   * the commits of the writes around them, and (`durable`, the default) the unit returns only once
   * all of them are committed; with `durable: false` they are committed with the next commit,
   * shortly after. A dialog turn is one (its answer is sent only after the unit returns). On
   * MongoDB every write is acknowledged by the server when it returns: `fn` just runs.
   * `meanwhile`: called with fn's result while the unit waits for its writes to reach the disk
   * (the embedded store: its commit made, the WAL's sync running), for work that would otherwise
   * wait behind them and needs no store (rendering a turn's replies); not called when nothing
   * waits (MongoDB, `durable: false`, no write).
   */
  unitOfWork<T>(fn: () => Promise<T>, opts?: { durable?: boolean; meanwhile?: (result: T) => void }): Promise<T>;
  /** Where the bytes of attached files live (store/blobs.ts): files beside the SQLite file, or GridFS. */
  readonly blobs: BlobStore;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
export function assertField(f: string): string {
  if (!FIELD.test(f)) throw new Error(`invalid field name: ${f}`);
  return f;
}

export function isRange(v: Scalar | Range): v is Range {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Applies a `$set` (top-level or dotted paths) to a plain object, returning a new object; `doc`
 * is left as it was. Copied along the paths set only: the parts of `doc` the change does not
 * touch are shared with the result (a whole deep copy of each document written was measurable
 * per dialog turn).
 */
export function applySet<T extends object>(doc: T, set: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  for (const [path, value] of Object.entries(set)) {
    const parts = assertField(path).split('.');
    let o = out;
    for (const p of parts.slice(0, -1)) {
      const child = o[p];
      o[p] = typeof child !== 'object' || child === null ? {} : Array.isArray(child) ? [...(child as unknown[])] : { ...(child as Record<string, unknown>) };
      o = o[p] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    if (value === undefined) delete o[last];
    else o[last] = value;
  }
  return out as T;
}

export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(vi.store.unavailable((cause as Error)?.message ?? String(cause)));
    this.name = 'StoreUnavailableError';
  }
}
