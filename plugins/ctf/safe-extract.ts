// Unpacks a tar or tgz CTF into a private directory after checking every entry: an entry that could write
// outside the target (`..`, absolute paths, links leading out) or is not a plain file, directory or link
// (devices, FIFOs) fails the whole archive with OCM_ARCHIVE_UNSAFE_ENTRY before anything is written.
import { posix } from "node:path";
import { extract, list, type ReadEntry } from "tar";
import { OcmError } from "../../core/index.js";

const SAFE_TYPES = new Set(["File", "OldFile", "ContiguousFile", "Directory", "SymbolicLink", "Link"]);

function unsafe(archive: string, entry: string, why: string): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_UNSAFE_ENTRY",
    message: `archive ${archive}: entry ${JSON.stringify(entry)} ${why}`,
    hint: "Do not use this archive; a CTF holds only artifact-index.json and blobs/sha256.<hex> files.",
    details: { archive, entry },
  });
}

const escapes = (path: string) => path === ".." || path.startsWith("../");

/** Throws OCM_ARCHIVE_UNSAFE_ENTRY when `entry` could reach outside the extraction directory. */
export function checkEntry(archive: string, entry: Pick<ReadEntry, "path" | "type" | "linkpath">): void {
  const path = entry.path;
  if (posix.isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.includes("\\")) {
    throw unsafe(archive, path, "has an absolute path");
  }
  if (path.split("/").includes("..")) throw unsafe(archive, path, "contains ..");
  if (!SAFE_TYPES.has(entry.type)) throw unsafe(archive, path, `is a ${entry.type}, not a file or directory`);
  if (entry.type === "SymbolicLink" || entry.type === "Link") {
    const target = entry.linkpath ?? "";
    if (posix.isAbsolute(target)) throw unsafe(archive, path, `links to the absolute path ${target}`);
    const base = entry.type === "SymbolicLink" ? posix.dirname(path) : ".";
    if (escapes(posix.normalize(posix.join(base, target))))
      throw unsafe(archive, path, `links outside the archive to ${target}`);
  }
}

/** Checks every entry of `archive` (tar or tgz), then extracts it into `target`. */
export async function safeExtract(archive: string, target: string): Promise<void> {
  let failure: OcmError | undefined;
  await list({
    file: archive,
    onReadEntry: (entry) => {
      if (failure === undefined) {
        try {
          checkEntry(archive, entry);
        } catch (error) {
          failure = error as OcmError;
        }
      }
    },
  });
  if (failure !== undefined) throw failure;
  await extract({ file: archive, cwd: target, strict: true, preserveOwner: false });
}
