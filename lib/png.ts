/**
 * PNG encoding and decoding through pngjs (the app icons; the tests read the report's chart). RGBA pixels in,
 * RGBA pixels out; pngjs handles every colour type, filter and interlacing on the way in.
 */
import { PNG } from 'pngjs';

export interface Image {
  width: number;
  height: number;
  /** width × height × 4 bytes, RGBA. */
  rgba: Uint8Array;
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

export function encodePng(img: Image): Buffer {
  if (img.rgba.length !== img.width * img.height * 4) throw new Error('encodePng: wrong pixel buffer size');
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength);
  return PNG.sync.write(png, { deflateLevel: 9 });
}

/** Decodes any PNG to RGBA pixels (throws on a malformed file, including a bad chunk CRC). */
export function decodePng(buf: Buffer): Image {
  const png = PNG.sync.read(buf, { checkCRC: true });
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
}

/** The header fields of a PNG, after checking the whole file decodes. */
export function pngInfo(buf: Buffer): PngInfo {
  const png = PNG.sync.read(buf, { checkCRC: true });
  return { width: png.width, height: png.height, bitDepth: png.depth, colorType: png.colorType, interlace: png.interlace ? 1 : 0 };
}
