// A deterministic tar.gz writer for charts: USTAR headers (a PAX header only for a path too long to split),
// mode 0644, uid/gid 0, empty owner names and one fixed mtime, so the same files always give the same
// bytes. `helm package` writes the same layout but with the current time; OCM needs a stable digest.
import { gzipSync } from "node:zlib";

const MTIME = Math.floor(Date.parse("2022-01-01T00:00:00Z") / 1000);
const BLOCK = 512;

/** One file of the archive: its path inside the tar and its bytes. */
export interface TarFile {
  path: string;
  bytes: Buffer;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, "0") + "\0";
}

function header(name: string, size: number, type: "0" | "x", prefix = ""): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write(octal(0o644, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(size, 12), 124, "ascii");
  block.write(octal(MTIME, 12), 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write(type, 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + " ", 148, "ascii");
  return block;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** The USTAR name/prefix split of `path`, or undefined when it does not fit. */
function splitPath(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: "" };
  for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

/** The tar of `files`, in the order given. */
export function writeTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const split = splitPath(file.path);
    if (split) {
      parts.push(header(split.name, file.bytes.length, "0", split.prefix));
    } else {
      const pax = Buffer.from(paxRecord("path", file.path), "utf8");
      parts.push(header("PaxHeader", pax.length, "x"), pax, padding(pax.length));
      parts.push(header(file.path.slice(-100), file.bytes.length, "0"));
    }
    parts.push(file.bytes, padding(file.bytes.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** The gzipped tar of `files`, in the order given. */
export function writeChartTgz(files: readonly TarFile[]): Buffer {
  return gzipSync(writeTar(files), { level: 9 });
}
