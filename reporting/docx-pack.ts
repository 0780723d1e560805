/**
 * Packs a Word document made with docx, its body written block by block instead of all at once.
 *
 * docx's Packer turns the whole document into one object tree (prepForXml), then its serialiser
 * (the xml package) copies that tree into a second one and appends every piece to one string, all
 * alive together: for a 1,000-unit draft (bench/export.ts: 35,000 paragraphs, a 9 MB
 * document.xml) that took the process to 550 MiB. Here each block of the body (a paragraph or a
 * table, made by a generator only when its turn comes) goes through docx's own prepForXml alone,
 * is written as XML by `writeXml` (the xml package's rules, without its copies), and its objects
 * are dropped. docx then packs a skeleton of the document (the section, its headers, styles,
 * settings, relationships, and every block that adds a relationship or a picture, such as the
 * chart) in which each run of written blocks stands as a one-line placeholder paragraph, and the
 * package's word/document.xml is rewritten with the placeholders replaced, streamed into the zip.
 * The document.xml is byte for byte the one Packer.toBuffer writes for the whole document
 * (checked when this was introduced, on the 1,000-unit draft and the test scenarios).
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { Document, Packer, Paragraph, Table, TextRun } from 'docx';
import JSZip from 'jszip';

/** A block of the body already written as XML (docx-parts.ts `table`): written as it is. */
export class WrittenXml {
  constructor(readonly xml: string) {}
}

/** A block of the body: a docx paragraph or table, or one already written. */
export type Block = Paragraph | Table | WrittenXml;

/**
 * jszip's entry already compressed (what it makes of each entry of a zip it loads) and its DEFLATE
 * method: not among its exports, loaded from jszip's own files (the copy `import JSZip` loads) when
 * the first document is packed. If a later jszip moves them, this throws rather than pack otherwise.
 */
let internal: { CompressedObject: new (compressedSize: number, uncompressedSize: number, crc32: number, compression: unknown, data: Buffer) => unknown; DEFLATE: unknown } | undefined;
function jszipInternal() {
  if (internal) return internal;
  const req = createRequire(createRequire(import.meta.url).resolve('jszip'));
  const CompressedObject = req('./compressedObject') as NonNullable<typeof internal>['CompressedObject'];
  const DEFLATE = (req('./compressions') as { DEFLATE?: unknown }).DEFLATE;
  if (typeof CompressedObject !== 'function' || !DEFLATE) throw new Error('jszip: lib/compressedObject or lib/compressions not found; word/document.xml cannot be stored compressed');
  return (internal = { CompressedObject, DEFLATE });
}
type DocumentOptions = ConstructorParameters<typeof Document>[0];
type SectionOptions = Omit<DocumentOptions['sections'][number], 'children'>;

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
const escape = (v: unknown) => (typeof v === 'string' ? v.replace(/[&"<>']/g, (ch) => ESCAPES[ch]) : String(v));
/** A text as the writer (`writeXml`) writes it inside an element. */
export const escapeText = (text: string): string => escape(text);

/**
 * A tree made by docx's prepForXml as XML: what docx's serialiser (the xml package, which docx
 * bundles and does not export) writes for it without indentation, rule for rule: `{name: value}`;
 * an array value holds `{_attr}` objects (the attributes), elements, and at most a text, which
 * replaces the element before it; an object value `{_attr}` or `{}` is an empty element; any other
 * value is the element's text. The xml package appends every piece to one string and first
 * copies the tree into its own; this writes the pieces into `out`, to be joined once.
 */
function writeXml(node: Record<string, unknown>, out: string[]): void {
  const name = Object.keys(node)[0];
  const value = node[name];
  let attrs = '';
  const addAttrs = (a: Record<string, unknown>) => {
    for (const k of Object.keys(a)) attrs += ` ${k}="${escape(a[k])}"`;
  };
  let content: unknown[] = [];
  if (Array.isArray(value)) {
    let text = false;
    content.push('');
    for (const child of value) {
      if (typeof child === 'object' && child !== null) {
        if (Object.keys(child)[0] === '_attr') addAttrs((child as { _attr: Record<string, unknown> })._attr);
        else content.push(child);
      } else {
        content.pop();
        text = true;
        content.push(escape(child));
      }
    }
    if (!text) content.push('');
  } else if (typeof value === 'object' && value !== null) {
    if ('_attr' in value) addAttrs((value as { _attr: Record<string, unknown> })._attr);
  } else content = [escape(value)];
  if (!content.length) {
    out.push(`<${name}${attrs}/>`);
    return;
  }
  out.push(`<${name}${attrs}>`);
  for (const c of content) {
    if (typeof c === 'string') {
      if (c) out.push(c);
    } else writeXml(c as Record<string, unknown>, out);
  }
  out.push(`</${name}>`);
}

const toXml = (tree: unknown): string => {
  const out: string[] = [];
  writeXml(tree as Record<string, unknown>, out);
  return out.join('');
};

/**
 * A part of a block (a table row or cell) as the XML packDocx writes for it, by docx's own
 * prepForXml; for parts that register no picture and no link (this throws if one does).
 */
export function xmlOf(part: { prepForXml(context: never): unknown }): string {
  const ctx = (partsContext ??= scratchContext());
  const media = ctx.file.Media.Array.length;
  const links = ctx.viewWrapper.Relationships.RelationshipCount;
  const xml = toXml(part.prepForXml(ctx as never));
  if (ctx.file.Media.Array.length !== media || ctx.viewWrapper.Relationships.RelationshipCount !== links) throw new Error('docx-pack: xmlOf of a part with a picture or a link');
  return xml;
}
let partsContext: ReturnType<typeof scratchContext> | undefined;

/** The context docx's Compiler gives prepForXml, for blocks that need nothing from the file but a place to register pictures and links. */
function scratchContext() {
  const file = new Document({ sections: [] });
  return { file, viewWrapper: file.Document, stack: [] as unknown[] };
}

/**
 * Lets the event loop run between blocks: the server answers other requests meanwhile, and V8
 * frees what the blocks already written left behind (measured: without it, the garbage of the
 * whole body stayed until the end, +130 MiB).
 */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const MARK = '\uE000dondoc-part-';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const placeholder = (i: number) => new Paragraph({ children: [new TextRun(`${MARK}${i}\uE000`)] });

/**
 * The document with `options` (styles, properties) and one section (`section`: page, headers)
 * whose body is `blocks`: paragraphs and tables, or iterables of them (a generator makes its
 * blocks only as they are written). `blocks` is emptied as it is written, so that each block's
 * objects can go as soon as its XML is made.
 */
export async function packDocx(options: Omit<DocumentOptions, 'sections'>, section: SectionOptions, blocks: Array<Block | Iterable<Block>>): Promise<Buffer> {
  const ctx = scratchContext();
  const parts: string[][] = [];
  const skeleton: Array<Paragraph | Table> = [];
  // Each block's XML, kept as it is written and joined once, in the package's document.xml.
  let run: string[] = [];
  let sinceYield = 0;
  const flush = () => {
    if (!run.length) return;
    skeleton.push(placeholder(parts.length));
    parts.push(run);
    run = [];
  };
  const write = async (block: Block) => {
    if (block instanceof WrittenXml) {
      run.push(block.xml);
      if ((sinceYield += block.xml.length) > 1 << 18) {
        sinceYield = 0;
        await yieldToLoop();
      }
      return;
    }
    const media = ctx.file.Media.Array.length;
    const links = ctx.viewWrapper.Relationships.RelationshipCount;
    const written = toXml(block.prepForXml(ctx as never));
    if (ctx.file.Media.Array.length !== media || ctx.viewWrapper.Relationships.RelationshipCount !== links) {
      // a picture or a link: docx numbers its relationship when it packs the document, so the block stays whole in the skeleton
      flush();
      skeleton.push(block);
      return;
    }
    run.push(written);
    if ((sinceYield += written.length) > 1 << 18) {
      sinceYield = 0;
      await yieldToLoop();
    }
  };
  for (let i = 0; i < blocks.length; i++) {
    const item = blocks[i];
    blocks[i] = [];
    if (item instanceof Paragraph || item instanceof Table || item instanceof WrittenXml) await write(item);
    else for (const block of item) await write(block);
  }
  flush();
  blocks.length = 0;

  const packed = await Packer.toBuffer(new Document({ ...options, sections: [{ ...section, children: skeleton }] }));
  const zip = await JSZip.loadAsync(packed);
  const documentXml = await zip.file('word/document.xml')!.async('string');
  const [before, after] = toXml(placeholder(0).prepForXml(ctx as never)).split(`${MARK}0`);
  const pieces = documentXml.split(new RegExp(`${escapeRe(before + MARK)}(\\d+)${escapeRe(after)}`));
  if (pieces.length !== 2 * parts.length + 1) throw new Error(`docx-pack: ${parts.length} parts written, ${(pieces.length - 1) / 2} placeholders found`);
  // Compressed by Node's zlib (native; jszip's own deflate is JavaScript, about a second for a
  // 1,000-unit draft) piece by piece, never one string, and handed to jszip as an entry already
  // compressed, which it stores as it stores the entries it loaded.
  let crc = 0;
  let size = 0;
  const compressed: Buffer[] = [];
  await pipeline(
    Readable.from(
      (function* () {
        // joined into chunks of about 64 KiB: each write to zlib is one job on libuv's threads
        let chunk: string[] = [];
        let length = 0;
        const take = () => {
          const b = Buffer.from(chunk.join(''));
          chunk = [];
          length = 0;
          crc = crc32(b, crc);
          size += b.length;
          return b;
        };
        for (const [i, p] of pieces.entries())
          for (const text of i % 2 === 0 ? [p] : parts[Number(p)]) {
            chunk.push(text);
            if ((length += text.length) >= 1 << 16) yield take();
          }
        if (length) yield take();
      })(),
    ),
    createDeflateRaw(),
    async (source: AsyncIterable<Buffer>) => {
      for await (const c of source) compressed.push(c);
    },
  );
  const deflated = Buffer.concat(compressed);
  zip.file('word/document.xml', new (jszipInternal().CompressedObject)(deflated.length, size, crc >>> 0, jszipInternal().DEFLATE, deflated) as never);
  return zip.generateAsync({ type: 'nodebuffer', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', compression: 'DEFLATE' });
}
