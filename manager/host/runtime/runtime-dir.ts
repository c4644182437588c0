// Where this user's ocm processes keep their runtime records: `$XDG_RUNTIME_DIR/ocm`, else
// `$TMPDIR/ocm-<uid>/run`. Mode 0700 and owned by the user, checked on every use: in a shared /tmp another
// user could have created the directory first, and its records would then steer what we delete and kill.
import { chmod, lstat, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { OcmError } from "../../../core/index.js";

const uid = typeof process.getuid === "function" ? process.getuid() : undefined;

/** The runtime directory, and the directories ocm creates for it (outermost first), each private. */
export interface RuntimeDir {
  path: string;
  levels: string[];
}

/** The runtime directory for `env` (not created). */
export function runtimeDirFor(env: Record<string, string | undefined> = process.env): RuntimeDir {
  const xdg = env["XDG_RUNTIME_DIR"];
  if (xdg && isAbsolute(xdg)) return { path: join(xdg, "ocm"), levels: [join(xdg, "ocm")] };
  const own = join(tmpdir(), `ocm-${uid ?? "u"}`);
  return { path: join(own, "run"), levels: [own, join(own, "run")] };
}

/** Creates the directory's levels 0700 where missing and checks each is a directory of ours. */
export async function ensureRuntimeDir(dir: RuntimeDir): Promise<string> {
  for (const level of dir.levels) {
    await mkdir(level, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    await checkPrivate(level);
  }
  return dir.path;
}

async function checkPrivate(path: string): Promise<void> {
  const info = await lstat(path);
  const problem = !info.isDirectory()
    ? "is not a directory"
    : uid !== undefined && info.uid !== uid
      ? `belongs to uid ${info.uid}, not ${uid}`
      : undefined;
  if (problem) {
    throw new OcmError({
      code: "OCM_RUNTIME_DIR_UNSAFE",
      message: `runtime directory ${path} ${problem}`,
      hint: `Remove ${path}, or set XDG_RUNTIME_DIR to a private directory; until then ocm keeps no runtime records and cannot clean up after killed runs.`,
      details: { path },
    });
  }
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) await chmod(path, 0o700);
}
