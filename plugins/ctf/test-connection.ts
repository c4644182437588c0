// Seed 000's TestConnection for CTFs: whether the archive exists (or could be created), whether this process
// could write it, and whether another writer holds its lock. Nothing is changed: the write check creates one
// probe file beside the data and removes it again.
import { randomBytes } from "node:crypto";
import { open, readFile, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type {
  CallOptions,
  ConnectionCheck,
  TestConnectionRequest,
  TestConnectionResult,
} from "../../core/index.js";
import { detectFormat, isOwnerAlive, ownerTag } from "../../sdk/archive/index.js";
import { INDEX_FILE } from "./artifact-index.js";
import { parseCtfSpec, type CtfSpec } from "./repository-spec.js";

/** Where the CTF stands on disk: what the exists check found, and the directory a write would create files in. */
interface Place {
  check: ConnectionCheck;
  /** The directory a writer creates files in; undefined when there is none. */
  writeDir: string | undefined;
  /** The lock a writer of this CTF takes. */
  lockPath: string;
}

/** Runs the exists, writable and lock checks on the CTF of `request.spec`. */
export async function testCtfConnection(
  request: TestConnectionRequest,
  _options?: CallOptions,
): Promise<TestConnectionResult> {
  let spec: CtfSpec;
  try {
    spec = parseCtfSpec(request.spec);
  } catch (error) {
    const reason = (error as Error).message;
    return { ok: false, message: reason, checks: [{ name: "spec", status: "fail", reason }] };
  }
  const place = await locate(spec);
  const checks = [place.check, await checkWritable(spec, place), await checkLock(place.lockPath)];
  const failed = checks.find((check) => check.status === "fail");
  return {
    ok: failed === undefined,
    message: failed ? failed.reason : `CTF ${spec.path} can be read and written`,
    checks,
  };
}

async function locate(spec: CtfSpec): Promise<Place> {
  const besideLock = join(dirname(spec.path), `.${basename(spec.path)}.ocm-ctf.lock`);
  const pass = (reason: string, writeDir: string | undefined, lockPath = besideLock): Place => ({
    check: { name: "exists", status: "pass", reason },
    writeDir,
    lockPath,
  });
  const fail = (reason: string): Place => ({
    check: { name: "exists", status: "fail", reason },
    writeDir: undefined,
    lockPath: besideLock,
  });
  let format: Awaited<ReturnType<typeof detectFormat>> = undefined;
  try {
    format = await detectFormat(spec.path);
  } catch (error) {
    // ENOTDIR: a file where a directory above the CTF should be; the walk up below names it.
    if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") {
      return fail(`${spec.path} cannot be read: ${describe(error)}`);
    }
  }
  if (format === "directory") {
    const lock = join(spec.path, ".ocm-ctf.lock");
    if (await exists(join(spec.path, INDEX_FILE)))
      return pass(`${spec.path} is a CTF directory`, spec.path, lock);
    return pass(`${spec.path} is a directory without ${INDEX_FILE}; a write makes it a CTF`, spec.path, lock);
  }
  if (format === "tar" || format === "tgz")
    return pass(`${spec.path} is a CTF ${format} archive`, dirname(spec.path));
  if (format === "unknown")
    return fail(`${spec.path} is a file that is neither a directory nor a tar or tgz archive`);
  // Missing: a write with accessMode create makes it, and every missing directory above it.
  for (let dir = dirname(spec.path); ; dir = dirname(dir)) {
    const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code === "ENOENT" && dirname(dir) !== dir) continue;
      return fail(`${spec.path} does not exist and cannot be created: ${dir}: ${describe(info)}`);
    }
    if (!info.isDirectory())
      return fail(`${spec.path} does not exist and cannot be created: ${dir} is not a directory`);
    return pass(`${spec.path} does not exist; a write with accessMode create (--create) creates it`, dir);
  }
}

/** Creates and removes a probe file where a writer would create its files: the one check that tells the truth as root. */
async function checkWritable(spec: CtfSpec, place: Place): Promise<ConnectionCheck> {
  const name = "writable";
  if (spec.accessMode === "readonly") {
    return { name, status: "fail", reason: `${spec.path} is opened with accessMode readonly` };
  }
  if (place.writeDir === undefined)
    return { name, status: "fail", reason: "there is no directory to write into" };
  // Named like the CTF's temp files (owner tag), so a probe left by a killed process is reaped by a later write.
  const probe = join(place.writeDir, `.ocm-probe-${ownerTag()}-${randomBytes(4).toString("hex")}.tmp`);
  try {
    await (await open(probe, "wx", 0o600)).close();
  } catch (error) {
    return { name, status: "fail", reason: `cannot create files in ${place.writeDir}: ${describe(error)}` };
  }
  await rm(probe, { force: true });
  return { name, status: "pass", reason: `files can be created in ${place.writeDir}` };
}

/** The writer's lock (sdk/archive/write-lock.ts): `<pid> <start time>` in a file created with O_EXCL. */
async function checkLock(lockPath: string): Promise<ConnectionCheck> {
  const name = "lock";
  let text: string;
  try {
    text = await readFile(lockPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { name, status: "pass", reason: "no writer holds the lock" };
    }
    return { name, status: "fail", reason: `lock ${lockPath} cannot be read: ${describe(error)}` };
  }
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number.parseInt(pidText ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) {
    return {
      name,
      status: "pass",
      reason: `lock ${lockPath} names no process; the next write takes it over`,
    };
  }
  if (isOwnerAlive(pid, start)) {
    return { name, status: "fail", reason: `lock ${lockPath} is held by running process ${pid}` };
  }
  return {
    name,
    status: "pass",
    reason: `lock ${lockPath} was left by process ${pid}, which no longer runs; the next write takes it over`,
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ? `${code} (${message.replace(/^[A-Z]+: /, "")})` : message;
}
