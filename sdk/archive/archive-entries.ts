// Walks the entries of a tar or tgz archive one by one, without unpacking it. Every entry is checked as it is
// met: only regular files and directories are allowed (no symlinks, hard links, devices, FIFOs: OCM archives
// never need them, and a chain of links once escaped a per-link check), paths stay inside (no `..`, absolute
// or drive paths), no entry appears twice, and the archive must not end before its end marker.
// USTAR with the prefix field, pax `path`/`size` records and GNU long names are understood (POSIX.1-2001).
import { posix } from "node:path";
import {
  duplicateEntryError,
  malformedArchiveError,
  tooLargeError,
  truncatedError,
  unsafeEntryError,
} from "./archive-errors.js";
import { openArchiveSource, type ArchiveSource } from "./archive-source.js";

const BLOCK = 512;
const META_CAP = 1 << 20;
const CHUNK = 1 << 20;

/** One regular file or directory of an archive; its body can be read until the walk moves on. */
export interface ArchiveEntry {
  /** The path inside the archive, without `./` and trailing `/`. */
  name: string;
  type: "file" | "directory";
  size: number;
  /** The body whole; OCM_ARCHIVE_TOO_LARGE when the entry is bigger than `cap`. */
  read(cap: number): Promise<Buffer>;
  /** The body as chunks. */
  chunks(): AsyncGenerator<Buffer>;
}

const TYPE_NAMES: Record<string, string> = {
  "1": "hard link",
  "2": "symbolic link",
  "3": "character device",
  "4": "block device",
  "6": "FIFO",
  S: "GNU sparse file",
  V: "GNU volume header",
  M: "GNU multi-volume continuation",
  D: "GNU dump directory",
};

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return (end < 0 ? field : field.subarray(0, end)).toString("utf8");
}

function numeric(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256: big-endian, the top bit of the first byte marks it.
    let value = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const digits = text(block, offset, length).trim();
  return digits === "" ? 0 : Number.parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = numeric(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function paxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    const length = Number.parseInt(body.subarray(offset, space).toString("latin1"), 10);
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = body.subarray(space + 1, offset + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

/** The canonical path of an entry; throws OCM_ARCHIVE_UNSAFE_ENTRY for paths that could leave the archive. */
export function canonicalEntryPath(archive: string, raw: string, holds?: string): string {
  if (raw.includes("\0") || raw.includes("\\"))
    throw unsafeEntryError(archive, raw, "has a NUL or \\ in its path", holds);
  if (posix.isAbsolute(raw) || /^[a-zA-Z]:/.test(raw))
    throw unsafeEntryError(archive, raw, "has an absolute path", holds);
  const parts = raw.split("/");
  if (parts.includes("..")) throw unsafeEntryError(archive, raw, "contains ..", holds);
  return parts.filter((part) => part !== "" && part !== ".").join("/");
}

class Walker {
  #source: ArchiveSource | undefined;
  #left = 0;
  #padding = 0;
  readonly #seen = new Set<string>();

  constructor(
    private readonly archive: string,
    private readonly gzip: boolean,
    private readonly holds: string | undefined,
  ) {}

  async #exactly(n: number, what: string): Promise<Buffer> {
    const bytes = await this.#source!.read(n);
    if (bytes.length < n) throw truncatedError(this.archive, `it ends inside ${what}`);
    return bytes;
  }

  async #finishEntry(): Promise<void> {
    const wanted = this.#left + this.#padding;
    if (wanted > 0 && (await this.#source!.skip(wanted)) < wanted)
      throw truncatedError(this.archive, "it ends inside an entry");
    this.#left = 0;
    this.#padding = 0;
  }

  async #readBody(name: string, size: number, cap: number): Promise<Buffer> {
    if (size > cap) throw tooLargeError(this.archive, `entry ${name} is ${size} bytes`, cap);
    if (this.#left !== size) throw new Error(`entry ${name} was read already`);
    const body = await this.#exactly(size, `entry ${name}`);
    this.#left = 0;
    return body;
  }

  async *#bodyChunks(name: string): AsyncGenerator<Buffer> {
    while (this.#left > 0) {
      const chunk = await this.#exactly(Math.min(CHUNK, this.#left), `entry ${name}`);
      this.#left -= chunk.length;
      yield chunk;
    }
  }

  #entry(name: string, type: "file" | "directory", size: number): ArchiveEntry {
    this.#left = size;
    this.#padding = (BLOCK - (size % BLOCK)) % BLOCK;
    return {
      name,
      type,
      size,
      read: (cap) => this.#readBody(name, size, cap),
      chunks: () => this.#bodyChunks(name),
    };
  }

  async *walk(): AsyncGenerator<ArchiveEntry> {
    this.#source = await openArchiveSource(this.archive, this.gzip);
    try {
      let pax = new Map<string, string>();
      let longName: string | undefined;
      for (;;) {
        await this.#finishEntry();
        const header = await this.#source.read(BLOCK);
        if (header.length < BLOCK) throw truncatedError(this.archive, "it has no end-of-archive marker");
        if (header.every((byte) => byte === 0)) return;
        if (!checksumOk(header)) throw malformedArchiveError(this.archive, "holds a corrupt tar header");
        const type = String.fromCharCode(header[156] ?? 0);
        let size = numeric(header, 124, 12);
        const paxSize = pax.get("size");
        if (paxSize !== undefined) size = Number.parseInt(paxSize, 10);
        if (!Number.isSafeInteger(size) || size < 0)
          throw malformedArchiveError(this.archive, "holds a tar header with a bad size");
        if (type === "x" || type === "g" || type === "L" || type === "K") {
          this.#entry("(metadata)", "file", size);
          const body = await this.#exactly(Math.min(size, META_CAP + 1), "a tar metadata entry");
          if (size > META_CAP)
            throw malformedArchiveError(this.archive, `holds a tar metadata entry of ${size} bytes`);
          this.#left = 0;
          if (type === "x") pax = paxRecords(body);
          else if (type === "L") longName = text(body, 0, body.length);
          continue;
        }
        const prefix = header.subarray(257, 262).toString("latin1") === "ustar" ? text(header, 345, 155) : "";
        const raw =
          pax.get("path") ??
          longName ??
          (prefix === "" ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
        const link = pax.get("linkpath") ?? text(header, 157, 100);
        pax = new Map();
        longName = undefined;
        const kind =
          type === "5" ? "directory" : type === "0" || type === "\0" || type === "7" ? "file" : undefined;
        if (kind === undefined) {
          const what = TYPE_NAMES[type] ?? `entry of tar type ${JSON.stringify(type)}`;
          const to = type === "1" || type === "2" ? ` to ${JSON.stringify(link)}` : "";
          throw unsafeEntryError(
            this.archive,
            raw,
            `is a ${what}${to}; only regular files and directories are allowed`,
            this.holds,
          );
        }
        const name = canonicalEntryPath(this.archive, raw, this.holds);
        if (name === "") {
          if (kind === "directory") {
            this.#entry(name, kind, size);
            continue;
          }
          throw unsafeEntryError(this.archive, raw, "is a file without a name", this.holds);
        }
        if (this.#seen.has(name)) throw duplicateEntryError(this.archive, name);
        this.#seen.add(name);
        yield this.#entry(name, kind, size);
      }
    } finally {
      await this.#source.close();
    }
  }
}

/** Options of a walk: `holds` says what the archive may hold, for the hint of a refused entry. */
export interface ArchiveWalkOptions {
  holds?: string;
}

/**
 * The entries of the tar (or, with `gzip`, tgz) `archive`, checked as they come. Read an entry's body before
 * asking for the next one; stopping early (break) closes the file.
 */
export function archiveEntries(
  archive: string,
  gzip: boolean,
  options: ArchiveWalkOptions = {},
): AsyncGenerator<ArchiveEntry> {
  return new Walker(archive, gzip, options.holds).walk();
}
