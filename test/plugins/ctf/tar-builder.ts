// Builds tar archives entry by entry for the archive safety tests, including entries no well-behaved tool
// writes: links, chains of links, duplicates, and headers that declare more bytes than follow.
import { gzipSync } from "node:zlib";

/** A USTAR header for `name`; `size` may differ from the body that follows (bombs, truncation). */
export function tarHeader(name: string, type: string, size: number, linkname = ""): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(type === "5" ? "0000755\0" : "0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(size.toString(8).padStart(11, "0") + "\0", 124);
  header.write("14163714600\0", 136);
  header.write("        ", 148);
  header.write(type, 156);
  header.write(linkname, 157);
  header.write("ustar\0", 257);
  header.write("00", 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return header;
}

/** A whole entry: header, body and padding. */
export function tarEntry(name: string, type: string, content: string | Buffer = "", linkname = ""): Buffer {
  const body = Buffer.from(content);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([tarHeader(name, type, body.length, linkname), padded]);
}

export const file = (name: string, content: string | Buffer) => tarEntry(name, "0", content);
export const dir = (name: string) => tarEntry(name, "5");
export const symlink = (name: string, target: string) => tarEntry(name, "2", "", target);

/** The end-of-archive marker. */
export const END = Buffer.alloc(1024);

/** Entries plus the end marker, gzipped when asked. */
export function tarOf(entries: Buffer[], gzip: boolean): Buffer {
  const tar = Buffer.concat([...entries, END]);
  return gzip ? gzipSync(tar) : tar;
}

/**
 * The link chain of issue #10: p -> ., s1 -> p/.., s2 -> s1/.., ... s12 -> s11/.., a real dir x, then
 * `name` -> x/<target without its leading />, then x replaced by a link x -> s11/.. (the root). Each link
 * alone stays "inside"; together they reach any absolute `target`.
 */
export function linkChain(name: string, target: string): Buffer[] {
  const entries = [symlink("p", "."), symlink("s1", "p/..")];
  for (let i = 2; i <= 12; i++) entries.push(symlink(`s${i}`, `s${i - 1}/..`));
  entries.push(dir("x"), symlink(name, `x${target}`), symlink("x", "s11/.."));
  return entries;
}
