// A streaming tar reader: yields each entry's name, size and a body stream that must be read (or skipped)
// before the next entry. Understands USTAR, PAX `x` headers (path, size) and GNU long names, which is what
// Go's archive/tar and common tools write for artifact sets.

const BLOCK = 512;

/** One entry of a tar stream; `body` must be consumed before asking for the next entry. */
export interface TarEntry {
  name: string;
  size: number;
  /** "0" file, "5" directory, others as in the tar header. */
  type: string;
  body: AsyncGenerator<Uint8Array>;
}

/** Buffers an async byte stream so exact byte counts can be read or streamed. */
class ByteReader {
  private pending: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.pending.push(next.value);
    this.buffered += next.value.length;
    return true;
  }

  /** Exactly `n` bytes, or undefined at a clean end of stream. */
  async read(n: number): Promise<Uint8Array | undefined> {
    while (this.buffered < n) if (!(await this.fill())) break;
    if (this.buffered === 0) return undefined;
    if (this.buffered < n) throw new Error(`tar stream ended inside a ${n}-byte block`);
    const all = Buffer.concat(this.pending, this.buffered);
    this.pending = all.length > n ? [all.subarray(n)] : [];
    this.buffered = all.length - n;
    return all.subarray(0, n);
  }

  /** Streams the next `n` bytes without holding them all. */
  async *stream(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.fill())) throw new Error("tar stream ended inside an entry");
      const chunk = this.pending.shift() as Uint8Array;
      this.buffered -= chunk.length;
      if (chunk.length > left) {
        this.pending.unshift(chunk.subarray(left));
        this.buffered += chunk.length - left;
        yield chunk.subarray(0, left);
        return;
      }
      left -= chunk.length;
      yield chunk;
    }
  }
}

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString("utf8");
}

function numeric(block: Uint8Array, offset: number, length: number): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for sizes beyond 8 GiB.
    let value = 0;
    for (let i = 1; i < length; i++) value = value * 256 + (block[offset + i] ?? 0);
    return value;
  }
  return Number.parseInt(field(block, offset, length).trim() || "0", 8);
}

function parsePax(text: string): Map<string, string> {
  const records = new Map<string, string>();
  let rest = text;
  while (rest.length > 0) {
    const space = rest.indexOf(" ");
    const length = Number.parseInt(rest.slice(0, space), 10);
    if (!(length > 0)) break;
    const record = rest.slice(space + 1, length - 1);
    const eq = record.indexOf("=");
    records.set(record.slice(0, eq), record.slice(eq + 1));
    rest = rest.slice(length);
  }
  return records;
}

async function drain(body: AsyncGenerator<Uint8Array>): Promise<void> {
  for await (const _chunk of body) {
    // skipped
  }
}

/** The entries of a tar stream, in order. A body left unread is skipped. */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let pax = new Map<string, string>();
  let longName: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block === undefined || block.every((b) => b === 0)) return;
    const type = field(block, 156, 1) || "0";
    const size = pax.has("size") ? Number(pax.get("size")) : numeric(block, 124, 12);
    const prefix = field(block, 345, 155);
    const name =
      pax.get("path") ?? longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === "x" || type === "L" || type === "g") {
      const data = size > 0 ? Buffer.from((await reader.read(size)) ?? []).toString("utf8") : "";
      if (padding > 0) await reader.read(padding);
      if (type === "x") pax = parsePax(data);
      if (type === "L") longName = data.replace(/\0+$/, "");
      continue;
    }
    pax = new Map();
    longName = undefined;
    let consumed = 0;
    const body = (async function* () {
      for await (const chunk of reader.stream(size)) {
        consumed += chunk.length;
        yield chunk;
      }
    })();
    yield { name: name.replace(/^\.\//, ""), size, type, body };
    // Whatever the consumer left unread (or abandoned with `return`) is skipped here.
    await drain(reader.stream(size - consumed));
    if (padding > 0) await reader.read(padding);
  }
}
