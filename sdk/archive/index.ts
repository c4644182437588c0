// Public surface of the SDK's archive toolkit for plugins whose repositories are directories, tar or tgz
// files (CTF, Component Archive): a streaming tar walker that refuses links, `..`, absolute paths, duplicates
// and truncation; bounded unpacking; atomic packing and streaming writes; link-free file access; a
// cross-process write lock.
export {
  archiveEntries,
  canonicalEntryPath,
  type ArchiveEntry,
  type ArchiveWalkOptions,
} from "./archive-entries.js";
export {
  duplicateEntryError,
  malformedArchiveError,
  tooLargeError,
  truncatedError,
  unsafeEntryError,
} from "./archive-errors.js";
export { openArchiveSource, type ArchiveSource } from "./archive-source.js";
export { detectFormat, type ArchiveFormat } from "./detect-format.js";
export { packArchive } from "./pack-archive.js";
export { isOwnerAlive, ownerOf, ownerTag, processStartTime } from "./process-owner.js";
export {
  BLOB_READ_CHUNK,
  linkInDirectoryError,
  openRegularFile,
  readRegularFile,
  requireRealDirectory,
} from "./regular-file.js";
export { unpackArchive, unpackedSizeLimit, type UnpackOptions } from "./unpack-archive.js";
export { writeArchive, type ArchiveWriteEntry } from "./write-archive.js";
export { LOCK_WAIT_MS, withWriteLock } from "./write-lock.js";
