// Opens a CTF for one call. Directories are used in place; tar and tgz archives are unpacked (after the
// safety checks) into a private temp directory, and for writes packed again and renamed over the archive.
// Writes hold the CTF's lock for their whole duration; reads take none.
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { OcmError } from "../../core/index.js";
import { INDEX_FILE, readArtifactIndex, writeArtifactIndex } from "./artifact-index.js";
import { invalidError } from "./ctf-errors.js";
import { detectFormat } from "./detect-format.js";
import { packArchive } from "./pack-archive.js";
import type { CtfSpec } from "./repository-spec.js";
import { safeExtract } from "./safe-extract.js";
import { withWriteLock } from "./write-lock.js";

/** A CTF opened for reading: its files live under `root` until `dispose()`. */
export interface ReadSession {
  root: string;
  dispose(): Promise<void>;
}

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
export async function openForRead(spec: CtfSpec): Promise<ReadSession> {
  const format = await detectFormat(spec.path);
  if (format === undefined) throw missingError(spec);
  if (format === "unknown") throw invalidError(spec.path, "is neither a directory nor a tar or tgz archive");
  if (format === "directory") {
    if (!(await hasIndex(spec.path))) throw invalidError(spec.path, `has no ${INDEX_FILE}`);
    return { root: spec.path, dispose: async () => {} };
  }
  const root = await mkdtemp(join(tmpdir(), "ocm-ctf-"));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    await safeExtract(spec.path, root);
    if (!(await hasIndex(root))) throw invalidError(spec.path, `holds no ${INDEX_FILE}`);
    return { root, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Makes sure a directory about to be written is a CTF (or empty, and becomes one). */
async function prepareDirectory(spec: CtfSpec): Promise<void> {
  await mkdir(spec.path, { recursive: true });
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

/** Runs `work` on a writable CTF root under the CTF's lock, then makes the change visible atomically. */
export async function withWriteSession<T>(spec: CtfSpec, work: (root: string) => Promise<T>): Promise<T> {
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
  const format = found ?? spec.format;
  if (format === "directory") {
    await mkdir(spec.path, { recursive: true });
    return withWriteLock(join(spec.path, ".ocm-ctf.lock"), async () => {
      await prepareDirectory(spec);
      return work(spec.path);
    });
  }
  await mkdir(dirname(spec.path), { recursive: true });
  const lockPath = join(dirname(spec.path), `.${basename(spec.path)}.ocm-ctf.lock`);
  return withWriteLock(lockPath, async () => {
    const root = await mkdtemp(join(tmpdir(), "ocm-ctf-"));
    try {
      // Looked at again under the lock: another writer may have created the archive meanwhile.
      const current = await detectFormat(spec.path);
      if (current === "tar" || current === "tgz") await safeExtract(spec.path, root);
      else await writeArtifactIndex(root, { schemaVersion: 1, artifacts: [] });
      const result = await work(root);
      await packArchive(root, spec.path, (current ?? format) === "tgz");
      return result;
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
}
