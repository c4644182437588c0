// Opens a CTF for one call. Reads never unpack: a directory is read in place, a tar or tgz is streamed
// (archive-reader.ts). Writes hold the CTF's lock for their whole duration; a directory is written in place,
// an archive is never unpacked: a private temp directory holds its index and the new blobs, and the commit
// streams the old archive's blobs and the new ones into a new archive that is renamed over the old one
// (archive-root.ts). Writes of this process take turns first (write-turns.ts), so a held lock means another
// process. A write that created the CTF and fails removes it again; leftovers of killed writers are reaped.
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { OcmError } from "../../core/index.js";
import { detectFormat, ownerTag, requireRealDirectory, withWriteLock } from "../../sdk/archive/index.js";
import { openArchiveReader } from "./archive-reader.js";
import { openArchiveRoot } from "./archive-root.js";
import { INDEX_FILE, readArtifactIndex, writeArtifactIndex } from "./artifact-index.js";
import { invalidError, noSpaceError } from "./ctf-errors.js";
import type { CtfReader } from "./ctf-reader.js";
import { openDirectoryReader } from "./directory-reader.js";
import { inTurn } from "./write-turns.js";
import { TEMP_DIR_PREFIX, reapTempDirs, reapTempFiles } from "./reap-leftovers.js";
import type { CtfSpec } from "./repository-spec.js";
import { directoryRoot, type WriteRoot } from "./write-root.js";

function missingError(spec: CtfSpec): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `CTF ${spec.path} does not exist`,
    hint: 'Check the path, or create the CTF with accessMode "create" (--create).',
    details: { path: spec.path },
  });
}

const hasIndex = (dir: string) =>
  stat(join(dir, INDEX_FILE)).then(
    () => true,
    () => false,
  );

/** Opens the CTF of `spec` for reading. */
export async function openForRead(spec: CtfSpec): Promise<CtfReader> {
  const format = await detectFormat(spec.path);
  if (format === undefined) throw missingError(spec);
  if (format === "unknown") throw invalidError(spec.path, "is neither a directory nor a tar or tgz archive");
  if (format === "directory") return openDirectoryReader(spec.path);
  return openArchiveReader(spec.path, format === "tgz");
}

/** CTFs this process created that hold no component version yet: a failed write removes them again. */
const createdHere = new Set<string>();

/** True when this process created the CTF at `path` and has added no component version to it since. */
export const wasCreatedHere = (path: string) => createdHere.has(path);

/** Forgets that this process created the CTF at `path` (it now holds a component version). */
export const keepCreated = (path: string) => createdHere.delete(path);

/** Makes sure a directory about to be written is a CTF (or empty, and becomes one). */
async function prepareDirectory(spec: CtfSpec): Promise<void> {
  await requireRealDirectory(join(spec.path, "blobs"), "CTF");
  if (await hasIndex(spec.path)) return;
  const entries = (await readdir(spec.path)).filter((name) => !name.startsWith(".ocm-ctf.lock"));
  if (entries.length > 0) {
    throw new OcmError({
      code: spec.accessMode === "create" ? "OCM_REPOSITORY_EXISTS" : "OCM_REPOSITORY_INVALID",
      message: `CTF ${spec.path}: directory is not empty and has no ${INDEX_FILE} (${entries.slice(0, 5).join(", ")})`,
      hint: "Choose an empty or missing directory for a new CTF, or the path of an existing one.",
      details: { path: spec.path },
    });
  }
  await writeArtifactIndex(spec.path, await readArtifactIndex(spec.path, spec.path, true));
}

/** What a write session does at its end: keep the change (default), change nothing, or remove the CTF. */
export interface WriteSession {
  outcome: "commit" | "unchanged" | "discard";
}

const isNoSpace = (error: unknown) =>
  ["ENOSPC", "EDQUOT"].includes((error as NodeJS.ErrnoException).code ?? "");

/** Runs `fn`, turning a full disk into OCM_REPOSITORY_NO_SPACE for the CTF at `path`. */
export async function mapNoSpace<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw isNoSpace(error) ? noSpaceError(path, tmpdir(), error) : error;
  }
}

/** Runs `work` on a writable CTF root under the CTF's lock, then makes the change visible atomically. */
export function withWriteSession<T>(
  spec: CtfSpec,
  work: (root: WriteRoot, session: WriteSession) => Promise<T>,
): Promise<T> {
  return mapNoSpace(spec.path, () => writeSession(spec, work));
}

async function writeSession<T>(
  spec: CtfSpec,
  work: (root: WriteRoot, session: WriteSession) => Promise<T>,
): Promise<T> {
  if (spec.accessMode === "readonly") {
    throw new OcmError({
      code: "OCM_REPOSITORY_INVALID",
      message: `CTF ${spec.path} is opened readonly and cannot be written`,
      hint: 'Use accessMode "readwrite" (or "create") to write to this CTF.',
      details: { path: spec.path },
    });
  }
  const found = await detectFormat(spec.path);
  if (found === undefined && spec.accessMode !== "create") throw missingError(spec);
  if (found === "unknown") {
    throw new OcmError({
      code: spec.accessMode === "create" ? "OCM_REPOSITORY_EXISTS" : "OCM_REPOSITORY_INVALID",
      message: `CTF ${spec.path}: a file that is not a tar or tgz archive is in the way`,
      hint: "Choose another path for the CTF.",
      details: { path: spec.path },
    });
  }
  const session: WriteSession = { outcome: "commit" };
  const format = found ?? spec.format;
  if (format === "directory") {
    await mkdir(spec.path, { recursive: true });
    const lockPath = join(spec.path, ".ocm-ctf.lock");
    return inTurn(lockPath, () =>
      withWriteLock(lockPath, async (tookOver) => {
        const created = found === undefined && !(await hasIndex(spec.path));
        try {
          await reapTempFiles(spec.path, () => true, tookOver);
          await reapTempFiles(join(spec.path, "blobs"), () => true, tookOver);
          await prepareDirectory(spec);
          const result = await work(directoryRoot(spec.path), session);
          if (session.outcome === "discard") await rm(spec.path, { recursive: true, force: true });
          else if (created) createdHere.add(spec.path);
          if (session.outcome === "discard") createdHere.delete(spec.path);
          return result;
        } catch (error) {
          if (created) await rm(spec.path, { recursive: true, force: true });
          throw error;
        }
      }),
    );
  }
  await mkdir(dirname(spec.path), { recursive: true });
  const name = basename(spec.path);
  const lockPath = join(dirname(spec.path), `.${name}.ocm-ctf.lock`);
  return inTurn(lockPath, () =>
    withWriteLock(lockPath, async (tookOver) => {
      await reapTempFiles(dirname(spec.path), (file) => file.startsWith(`.${name}.`), tookOver);
      await reapTempDirs();
      const dir = await mkdtemp(join(tmpdir(), `${TEMP_DIR_PREFIX}${ownerTag()}-`));
      try {
        // Looked at again under the lock: another writer may have created the archive meanwhile.
        const current = await detectFormat(spec.path);
        const exists = current === "tar" || current === "tgz";
        const root = await openArchiveRoot(spec.path, (exists ? current : format) === "tgz", dir, exists);
        const result = await work(root, session);
        if (session.outcome === "discard") {
          await rm(spec.path, { force: true });
          createdHere.delete(spec.path);
        } else if (session.outcome === "commit") {
          await root.commit();
          if (current === undefined) createdHere.add(spec.path);
        }
        return result;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }),
  );
}
