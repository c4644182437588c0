// Writes to a component archive, atomically. A directory is written in place under its lock: blobs land by
// rename, the descriptor by rename, so a reader sees the old or the new file whole. A tar or tgz is unpacked
// (checked, bounded) into a private temp directory, changed there, packed into a temp file beside the
// archive and renamed over it. A missing archive is created in the spec's format; one this call created is
// removed again when the call fails. Calls of one process are queued per archive before its file lock.
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import {
  detectFormat,
  ownerTag,
  packArchive,
  requireRealDirectory,
  unpackArchive,
  withWriteLock,
} from "../../sdk/archive/index.js";
import { DESCRIPTOR_FILE } from "./archive-reader.js";
import { COMPARCH_HOLDS, MAX_UNPACKED_ENV, invalidError, readonlyError } from "./comparch-errors.js";
import type { ComparchSpec } from "./repository-spec.js";

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after the calls queued before it for `path` in this process. */
function queued<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const settled = next.catch(() => undefined);
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Runs `work` on a writable archive root (with a real blobs/ directory) and makes its change visible. */
export function withWriteSession<T>(spec: ComparchSpec, work: (root: string) => Promise<T>): Promise<T> {
  if (spec.readonly) return Promise.reject(readonlyError(spec.path));
  return queued(spec.path, () => writeSession(spec, work));
}

async function prepareRoot(root: string): Promise<void> {
  await requireRealDirectory(join(root, "blobs"), "component archive");
  await mkdir(join(root, "blobs"), { recursive: true });
}

async function writeSession<T>(spec: ComparchSpec, work: (root: string) => Promise<T>): Promise<T> {
  const found = await detectFormat(spec.path);
  if (found === "unknown") {
    throw invalidError(spec.path, "a file that is not a tar or tgz archive is in the way");
  }
  const format = found ?? spec.format;
  if (format === "directory") {
    await mkdir(spec.path, { recursive: true });
    return withWriteLock(join(spec.path, ".ocm-comparch.lock"), async () => {
      const created = found === undefined;
      try {
        await prepareRoot(spec.path);
        return await work(spec.path);
      } catch (error) {
        if (created) await rm(spec.path, { recursive: true, force: true });
        throw error;
      }
    });
  }
  await mkdir(dirname(spec.path), { recursive: true });
  const lockPath = join(dirname(spec.path), `.${basename(spec.path)}.ocm-comparch.lock`);
  return withWriteLock(lockPath, async () => {
    const root = await mkdtemp(join(tmpdir(), `ocm-comparch-${ownerTag()}-`));
    try {
      // Looked at again under the lock: another writer may have created the archive meanwhile.
      const current = await detectFormat(spec.path);
      if (current === "tar" || current === "tgz") {
        await unpackArchive(spec.path, current === "tgz", root, {
          limitEnv: MAX_UNPACKED_ENV,
          holds: COMPARCH_HOLDS,
        });
      }
      await prepareRoot(root);
      const result = await work(root);
      const blobs = (await readdir(join(root, "blobs"))).filter((n) => !n.startsWith(".")).sort();
      const head = (await exists(join(root, DESCRIPTOR_FILE))) ? [DESCRIPTOR_FILE] : [];
      const gzip = (current === "tar" || current === "tgz" ? current : format) === "tgz";
      await packArchive(root, spec.path, gzip, [...head, "blobs", ...blobs.map((n) => `blobs/${n}`)]);
      return result;
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
}
