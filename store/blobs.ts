/**
 * The bytes of files people send (a signed report's scan), kept beside the documents that
 * describe them (store/records.ts `Attachment`):
 *
 * - embedded store: one file per blob in `attachments/` next to the SQLite file. Written to a
 *   temporary name, fsynced, renamed into place and the folder fsynced, so a blob that `put`
 *   returned for is on disk whole, and a crash leaves at most a temporary file, never half a blob.
 * - MongoDB: GridFS (the driver's GridFSBucket, bucket `attachments`: `attachments.files` and
 *   `attachments.chunks`, 255 KB chunks), which FerretDB 1.24 serves too (test/attachments.test.ts
 *   runs on it). The driver's upload resolves once every chunk and the files document are
 *   acknowledged by the server.
 *
 * Blob ids are chosen by the caller (a random id, letters, digits, `-`), never a person's file name.
 */

import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export interface BlobStore {
  /** Where the bytes live, for the record: `files` (the data folder) or `gridfs`. */
  readonly kind: 'files' | 'gridfs';
  /** Stores the bytes under `id` durably before it returns. */
  put(id: string, data: Buffer, meta?: { contentType?: string }): Promise<void>;
  /** The bytes, or null when there is no such blob. */
  get(id: string): Promise<Buffer | null>;
}

const BLOB_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,100}$/;
export function assertBlobId(id: string): string {
  if (!BLOB_ID.test(id)) throw new Error(`invalid blob id: ${id}`);
  return id;
}

/** Blobs as files in a folder of the data directory. */
export class FileBlobs implements BlobStore {
  readonly kind = 'files' as const;
  constructor(readonly dir: string) {}

  async put(id: string, data: Buffer): Promise<void> {
    const final = join(this.dir, assertBlobId(id));
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${id}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, final);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    // The rename itself is durable only once the folder is synced.
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  async get(id: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.dir, assertBlobId(id)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}

/** The GridFS bucket's surface this module uses (mongodb's GridFSBucket), so the driver stays in mongo-store.ts. */
export interface GridFsLike {
  openUploadStreamWithId(id: string, filename: string, opts?: { metadata?: Record<string, unknown> }): NodeJS.WritableStream;
  openDownloadStream(id: string): NodeJS.ReadableStream;
}

/** Blobs in GridFS, the blob's id as the files document's `_id`. */
export class GridFsBlobs implements BlobStore {
  readonly kind = 'gridfs' as const;
  constructor(private readonly bucket: GridFsLike) {}

  async put(id: string, data: Buffer, meta: { contentType?: string } = {}): Promise<void> {
    await pipeline(Readable.from([data]), this.bucket.openUploadStreamWithId(assertBlobId(id), id, { metadata: { contentType: meta.contentType ?? null } }));
  }

  async get(id: string): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    try {
      for await (const c of this.bucket.openDownloadStream(assertBlobId(id)) as AsyncIterable<Buffer>) chunks.push(c);
    } catch (e) {
      if (/FileNotFound|file not found/i.test(String((e as Error).message))) return null;
      throw e;
    }
    return Buffer.concat(chunks);
  }
}

/** Used by the embedded store: the folder next to its SQLite file. */
export const attachmentsDir = (storeDir: string): string => join(storeDir, 'attachments');
