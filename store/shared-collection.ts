/**
 * Two record types in one collection, so that what a dialog turn needs comes in one query
 * (issue 15: a person's Contact with their memberships, a report's draft with its state; one
 * round trip each on MongoDB, one statement each on SQLite). The collection's own records (the
 * host: contacts, drafts) carry no `_kind`; the guest records (members, report states) carry
 * `_kind` and, when their ids would collide with the host's, an id suffix (`#state`).
 *
 * `sharedViews` gives each type its own Collection over the shared one: the guest view adds
 * `_kind` to every filter and write and maps ids; the host view keeps to records without
 * `_kind`. Repositories use the views, so nothing above the store sees the sharing, and
 * `Repositories.init` moves records of the former separate collections in (see there).
 */
import { isRange, type Collection, type Doc, type Filter, type FindOptions, type Range, type Scalar } from './doc-store.js';

/** The field that marks a guest record (absent on the host's). */
export const KIND = '_kind';

export type Stored = Doc & { [KIND]?: string };

/** How the host's records are stored, when not as they are (store/draft-codec.ts). */
export interface Codec<T extends Doc> {
  encode(doc: T): Doc;
  decode(stored: Doc): T;
}

/** The host's records: those without `_kind`; stored through `codec` when given. */
class HostView<T extends Doc> implements Collection<T> {
  constructor(
    private raw: Collection<Stored>,
    private codec?: Codec<T>,
  ) {}
  private f(filter?: Filter): Filter {
    return { ...filter, [KIND]: null };
  }
  /** A stored record as the host type (null if it is a guest's). */
  out(doc: Stored | null): T | null {
    if (!doc || doc[KIND] !== undefined) return null;
    return this.codec ? this.codec.decode(doc) : (doc as T);
  }
  private in(doc: T): Stored {
    return this.codec ? this.codec.encode(doc) : doc;
  }
  /** The document written, at the version the store gave it (not decoded back from what was stored). */
  private written(doc: T, stored: Stored | null): T | null {
    return stored && (this.codec ? { ...doc, _v: stored._v } : (stored as T));
  }
  async get(id: string) {
    return this.out(await this.raw.get(id));
  }
  async find(filter?: Filter, opts?: FindOptions) {
    const docs = await this.raw.find(this.f(filter), opts);
    return this.codec ? docs.map((d) => this.codec!.decode(d)) : (docs as T[]);
  }
  count(filter?: Filter) {
    return this.raw.count(this.f(filter));
  }
  insert(doc: T) {
    return this.raw.insert(this.in(doc));
  }
  async put(doc: T) {
    return this.written(doc, await this.raw.put(this.in(doc))) as T;
  }
  async replaceIfVersion(doc: T, expectedV: number) {
    return this.written(doc, await this.raw.replaceIfVersion(this.in(doc), expectedV));
  }
  async updateOne(filter: Filter, set: Partial<T> & Record<string, unknown>, opts?: Pick<FindOptions, 'sort'>) {
    this.whole();
    return this.out(await this.raw.updateOne(this.f(filter), set, opts));
  }
  async updateMany(filter: Filter, set: Partial<T> & Record<string, unknown>) {
    this.whole();
    return this.raw.updateMany(this.f(filter), set);
  }
  deleteMany(filter: Filter) {
    return this.raw.deleteMany(this.f(filter));
  }
  /**
   * Records stored through a codec are written whole (insert, put, replaceIfVersion): a partial
   * update would change the stored form without the codec (a draft's `updatedBy` set alone would
   * give its answers another `by`).
   */
  private whole(): void {
    if (this.codec) throw new Error('records stored through a codec are written whole, not updated in part');
  }
}

/** The guest records: `_kind` = kind, stored under `${_id}${suffix}`. */
class GuestView<T extends Doc> implements Collection<T> {
  constructor(
    private raw: Collection<Stored>,
    private kind: string,
    private suffix: string,
  ) {}
  /** The stored id of a guest id. */
  id(id: string): string {
    return `${id}${this.suffix}`;
  }
  /** A stored record as the guest type (null if it is not one). */
  out(doc: Stored | null): T | null {
    if (!doc || doc[KIND] !== this.kind) return null;
    const { [KIND]: _k, ...rest } = doc;
    void _k;
    return { ...rest, _id: this.suffix ? doc._id.slice(0, -this.suffix.length) : doc._id } as T;
  }
  private outAll(docs: Stored[]): T[] {
    return docs.map((d) => this.out(d) as T);
  }
  private in(doc: T): Stored {
    return { ...doc, _id: this.id(doc._id), [KIND]: this.kind };
  }
  private mapId(v: Scalar): Scalar {
    return typeof v === 'string' ? this.id(v) : v;
  }
  private f(filter?: Filter): Filter {
    const out: Filter = { ...filter, [KIND]: this.kind };
    const id = filter?._id;
    if (id !== undefined && this.suffix) {
      if (!isRange(id)) out._id = this.mapId(id);
      else {
        const r: Range = {};
        for (const op of ['$lt', '$lte', '$gt', '$gte', '$ne'] as const) if (id[op] !== undefined) r[op] = this.mapId(id[op]);
        if (id.$in) r.$in = id.$in.map((x) => this.mapId(x));
        out._id = r;
      }
    }
    return out;
  }
  async get(id: string) {
    return this.out(await this.raw.get(this.id(id)));
  }
  async find(filter?: Filter, opts?: FindOptions) {
    return this.outAll(await this.raw.find(this.f(filter), opts));
  }
  count(filter?: Filter) {
    return this.raw.count(this.f(filter));
  }
  insert(doc: T) {
    return this.raw.insert(this.in(doc));
  }
  async put(doc: T) {
    return this.out(await this.raw.put(this.in(doc))) as T;
  }
  async replaceIfVersion(doc: T, expectedV: number) {
    return this.out(await this.raw.replaceIfVersion(this.in(doc), expectedV));
  }
  async updateOne(filter: Filter, set: Partial<T> & Record<string, unknown>, opts?: Pick<FindOptions, 'sort'>) {
    return this.out(await this.raw.updateOne(this.f(filter), set, opts));
  }
  updateMany(filter: Filter, set: Partial<T> & Record<string, unknown>) {
    return this.raw.updateMany(this.f(filter), set);
  }
  deleteMany(filter: Filter) {
    return this.raw.deleteMany(this.f(filter));
  }
}

export interface SharedViews<H extends Doc, G extends Doc> {
  host: Collection<H>;
  guest: Collection<G>;
  /** A stored record of the host type, as that type (null if it is a guest record). */
  asHost(doc: Stored): H | null;
  /** A stored record of the guest type, as that type (null if it is a host record). */
  asGuest(doc: Stored): G | null;
  /** The stored id of a guest record. */
  guestId(id: string): string;
}

export function sharedViews<H extends Doc, G extends Doc>(raw: Collection<Stored>, kind: string, suffix = '', hostCodec?: Codec<H>): SharedViews<H, G> {
  const guest = new GuestView<G>(raw, kind, suffix);
  const host = new HostView<H>(raw, hostCodec);
  return { host, guest, asHost: (d) => host.out(d), asGuest: (d) => guest.out(d), guestId: (id) => guest.id(id) };
}
