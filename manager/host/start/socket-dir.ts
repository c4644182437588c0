// One private directory per manager for plugin sockets: mode 0700, so only the owner can reach a socket,
// and new for every manager, so a socket file left by a crash never blocks a start. It is recorded in the
// host's runtime record before it exists, so the next run removes it when this one is killed.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunDir } from "../runtime/run-dir.js";

/** Longest unix socket path we hand out; `sun_path` is 104–108 bytes depending on the platform. */
export const MAX_SOCKET_PATH = 100;

export interface SocketDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates `$TMPDIR/ocm-<uid>-XXXXXXXX` (0700). */
export async function createSocketDir(base = tmpdir()): Promise<SocketDir> {
  const uid = typeof process.getuid === "function" ? process.getuid() : "u";
  return createRunDir(`ocm-${uid}-`, "socketDir", base);
}

/** The socket path for plugin `id`, or undefined when it would be too long for a unix socket. */
export function socketPathFor(dir: string, id: string, launch: number): string | undefined {
  const safeId = id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 40);
  const path = join(dir, `${safeId}-${launch}.sock`);
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH ? path : undefined;
}
