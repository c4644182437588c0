// Writes a CTF directory as a tar or tgz archive, laid out as the Go tool lays it out (artifact-index.json,
// then blobs/, then the blobs), atomically through the SDK's packArchive (temp file beside it, renamed over it).
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { packArchive as packEntries } from "../../sdk/archive/index.js";

/** Packs the CTF at `root` into `archive` atomically. */
export async function packArchive(root: string, archive: string, gzip: boolean): Promise<void> {
  const blobs = (await readdir(join(root, "blobs")).catch(() => [] as string[]))
    .filter((name) => name.startsWith("sha256."))
    .sort()
    .map((name) => `blobs/${name}`);
  await packEntries(root, archive, gzip, ["artifact-index.json", "blobs", ...blobs]);
}
