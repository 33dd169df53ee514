import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync, readSync } from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { positionAt } from './guard.js';

/**
 * Reading a manifest safely: never blocking on a FIFO or a device, never loading something absurdly large, and
 * turning bytes into text the way a YAML reader must (YAML 1.2, 5.2: UTF-8, UTF-16 or UTF-32, told apart by a BOM or
 * by the pattern of NUL bytes at the start). Anything that is not text becomes one clear message with its position.
 */

/**
 * Larger files are not read. A parsed YAML document takes up to ~30 times its size in memory (the syntax tree that
 * gives every finding its line and column), so the limit follows the heap: 64 MiB with Node's usual 4 GB heap, less on
 * a smaller machine, where reading the file would crash the whole run instead.
 */
export const MAX_FILE_BYTES = Math.min(
  64 * 1024 * 1024,
  Math.floor(v8.getHeapStatistics().heap_size_limit / 48 / (1024 * 1024)) * 1024 * 1024,
);

/** `code`: the errno code (ENOENT, EACCES…), or NOTREG (not a regular file) or TOOBIG. */
export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; reason: string; code: string };

/**
 * The bytes of a regular file. It is opened without blocking (a FIFO with no writer would otherwise hang the run) and
 * checked with fstat on the open descriptor, so that a file swapped for a FIFO or a device after discovery is still refused.
 * Synchronous on purpose: for the small files manifests are, the promise API costs the main thread 4 trips through the
 * thread pool per file (~100 µs each here, more than reading); reading the 10,000-resource tree this way takes 0.1 s
 * against 1.5 s of main-thread time (bench/README.md).
 */
export function readRegularFile(absPath: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: errnoReason(err), code: errnoCode(err) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      return { ok: false, reason: 'not a regular file (a FIFO, socket or device), skipped', code: 'NOTREG' };
    if (st.size > maxBytes) return { ok: false, reason: tooBig(st.size, maxBytes), code: 'TOOBIG' };
    // Files in /proc and the like report a size of 0 and still have content: read to the end, within the limit.
    const bytes = st.size > 0 ? readExactly(fd, st.size, maxBytes) : readFileSync(fd);
    if (bytes.length > maxBytes) return { ok: false, reason: tooBig(bytes.length, maxBytes), code: 'TOOBIG' };
    return { ok: true, bytes };
  } catch (err) {
    return { ok: false, reason: errnoReason(err), code: errnoCode(err) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already closed or never usable: nothing to release
    }
  }
}

/**
 * `size` bytes (what fstat said), then whatever was appended since, up to one byte past the limit. One byte more than
 * `size` is asked for, so that the usual case (nothing appended) ends with that one read coming back short.
 */
function readExactly(fd: number, size: number, maxBytes: number): Buffer {
  const buf = Buffer.allocUnsafe(size + 1);
  let got = 0;
  while (got <= size) {
    const n = readSync(fd, buf, got, size + 1 - got, null);
    if (n === 0) return buf.subarray(0, got); // the end of the file (sooner, if it was truncated while we read)
    got += n;
  }
  return Buffer.concat([buf, readFileSync(fd)]).subarray(0, maxBytes + 1);
}

function errnoCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
}

export function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied, skipped';
  if (code === 'ELOOP') return 'symlink loop, skipped';
  if (code === 'ENOENT') return 'does not exist (a dangling symlink?), skipped';
  if (code === 'EISDIR') return 'is a directory, skipped';
  if (code === 'EIO') return 'input/output error while reading, skipped';
  return `cannot be read (${code ?? (err as Error)?.message ?? String(err)}), skipped`;
}

/** The nearest directory upward (from `dir`) that holds `.git`, or undefined. */
export async function gitRoot(dir: string): Promise<string | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (
      await fs.stat(path.join(d, '.git')).then(
        () => true,
        () => false,
      )
    )
      return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Whether `p` is `root` or below it, symlinks resolved (a path that does not exist is judged as written). */
export async function insideRoot(root: string, p: string): Promise<boolean> {
  const real = async (x: string): Promise<string> => fs.realpath(x).catch(() => path.resolve(x));
  const rel = path.relative(await real(root), await real(p));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function tooBig(size: number, max: number): string {
  const hint = max < 64 * 1024 * 1024 ? ', or give Node.js a larger heap: NODE_OPTIONS=--max-old-space-size=4096' : '';
  return `${mib(size)}, larger than the ${mib(max)} limit: not checked (split it into smaller files${hint})`;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** Text decoded from a file, or why it is not YAML text, with the 1-based position of the first offending character. */
export type Decoded =
  { ok: true; text: string; encoding: Encoding } | { ok: false; message: string; line: number; column: number };
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** Characters YAML does not allow in a stream (c-printable excludes them): C0 controls but tab, LF and CR; DEL; C1 but NEL; U+FFFE/U+FFFF. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NOT_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;
/** The same, plus unpaired surrogates, which only text decoded from UTF-16 can hold. */
const NOT_PRINTABLE_WIDE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Decode a manifest's bytes. A leading BOM is dropped. */
export function decodeManifest(bytes: Buffer): Decoded {
  const encoding = detectEncoding(bytes);
  let text: string;
  if (encoding === 'utf-8') {
    if (!isUtf8(bytes)) return invalidUtf8(bytes);
    text = bytes.toString('utf8');
  } else {
    text = decodeWide(bytes, encoding);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bad = (encoding === 'utf-8' ? NOT_PRINTABLE : NOT_PRINTABLE_WIDE).exec(text);
  if (bad) {
    const { line, column } = positionAt(text, bad.index);
    const code = text.charCodeAt(bad.index);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (code === 0 || controlShare(text) > 0.05)
      return {
        ok: false,
        line,
        column,
        message: `this is a binary file, not YAML text (it holds ${hex}): nothing in it can be checked`,
      };
    return {
      ok: false,
      line,
      column,
      message: `control character ${hex}: YAML does not allow it, and kubectl and docker stack deploy reject the file. Remove it (it is often a stray paste)`,
    };
  }
  return { ok: true, text, encoding };
}

/** YAML 1.2, 5.2: a BOM names the encoding; without one, NUL bytes among the first four tell UTF-16/32 from UTF-8. */
function detectEncoding(b: Buffer): Encoding {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b.length >= 4) {
    if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return 'utf-32be';
    if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return 'utf-32be';
    if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return 'utf-32le';
    if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  }
  if (b.length >= 2) {
    if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
    if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  }
  // Without a BOM, the first characters are ASCII (YAML starts with a key, a comment or `---`): two of them must show it.
  if (b.length >= 4) {
    if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return 'utf-16be';
    if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return 'utf-16le';
  }
  return 'utf-8';
}

function decodeWide(b: Buffer, encoding: Exclude<Encoding, 'utf-8'>): string {
  if (encoding === 'utf-16le') return b.toString('utf16le', 0, b.length - (b.length % 2));
  if (encoding === 'utf-16be') {
    const even = b.length - (b.length % 2);
    const swapped = Buffer.from(b.subarray(0, even));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const le = encoding === 'utf-32le';
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 3 < b.length; i += 4) {
    const cp = le ? b.readUInt32LE(i) : b.readUInt32BE(i);
    chunk.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

/** The first byte that breaks UTF-8, as a message that says what the file probably is. */
function invalidUtf8(b: Buffer): Decoded {
  const at = firstInvalidUtf8(b);
  const lineStart = b.lastIndexOf(0x0a, at - 1) + 1;
  let line = 1;
  for (let i = b.indexOf(0x0a); i !== -1 && i < at; i = b.indexOf(0x0a, i + 1)) line++;
  const column = b.toString('utf8', lineStart, at).length + 1;
  const byte = `0x${(b[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
  if (b.includes(0) || binaryShare(b) > 0.05)
    return {
      ok: false,
      line,
      column,
      message: `this is a binary file, not YAML text (byte ${byte} is not UTF-8): nothing in it can be checked`,
    };
  return {
    ok: false,
    line,
    column,
    message: `not valid UTF-8 (byte ${byte}): the file is probably Latin-1 or Windows-1252. YAML manifests must be UTF-8 (or UTF-16 with a BOM); re-save it as UTF-8`,
  };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (Unicode 15, table 3-7). */
export function firstInvalidUtf8(b: Uint8Array): number {
  const cont = (i: number, lo = 0x80, hi = 0xbf): boolean => i < b.length && b[i]! >= lo && b[i]! <= hi;
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) i++;
    else if (c >= 0xc2 && c <= 0xdf) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else return i;
  }
  return b.length;
}

/** Share of the first 8 KiB that are control bytes other than tab, LF and CR (text has none). */
function binaryShare(b: Buffer): number {
  const n = Math.min(b.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) bad++;
  }
  return n ? bad / n : 0;
}

function controlShare(text: string): number {
  const n = Math.min(text.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) if (NOT_PRINTABLE.test(text[i]!)) bad++;
  return n ? bad / n : 0;
}
