/**
 * Minimal POSIX ustar writer and reader, enough for model.tar.gz packages of regular files
 * (SageMaker extracts ModelDataUrl with tar; Triton reads the tree). No dependency: the format
 * is 512-byte headers and zero-padded file blocks.
 * @see https://www.gnu.org/software/tar/manual/html_node/Standard.html
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Relative path with `/` separators; directories are implied by file paths. */
  readonly path: string;
  readonly content: Uint8Array;
}

const BLOCK = 512;

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(path: string, size: number, mtimeSeconds: number): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path longer than 100 bytes: ${path}`);
  const h = Buffer.alloc(BLOCK, 0);
  h.write(path, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtimeSeconds, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum is computed with its own field as spaces
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** A gzipped tar of the entries; fixed mtime so the same files give the same bytes. */
export function createTarGz(entries: readonly TarEntry[], mtimeSeconds = 0): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.path, e.content.length, mtimeSeconds), Buffer.from(e.content));
    const pad = (BLOCK - (e.content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return gzipSync(Buffer.concat(parts));
}

/** Regular files of a (gzipped) tar; refuses absolute paths and `..` so nothing escapes. */
export function readTarGz(archive: Uint8Array): TarEntry[] {
  const tar = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : Buffer.from(archive);
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      h.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = field(0, 100);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^\.\//, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    offset += BLOCK;
    if ((type === '0' || type === '\0') && path !== '') {
      if (path.startsWith('/') || path.split('/').includes('..'))
        throw new Error(`unsafe path in archive: ${path}`);
      entries.push({ path, content: tar.subarray(offset, offset + size) });
    }
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
