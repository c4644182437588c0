// A streaming tar writer for artifact sets, in the shape the OCM Go tool writes them (USTAR, uid/gid 0,
// mtime 2022-01-01, files 0644, directories 0755), so entries can be streamed from the registry one by one.

const BLOCK = 512;
// 2022-01-01T00:00:00Z, the fixed mtime of OCM Go V1 (api/utils/accessobj/format.go).
const MTIME = 1640995200;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** One USTAR header for a regular file ("0") or a directory ("5"). Names must fit in 100 bytes. */
export function tarHeader(name: string, size: number, type: "0" | "5"): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
  put(0, name);
  put(100, octal(type === "5" ? 0o755 : 0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(MTIME, 12));
  put(148, "        ");
  put(156, type);
  put(257, "ustar\0");
  put(263, "00");
  const sum = header.reduce((a, b) => a + b, 0);
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return header;
}

/** Zero bytes that pad an entry of `size` bytes to a whole block. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The two zero blocks that end an archive. */
export const TAR_END = new Uint8Array(2 * BLOCK);
