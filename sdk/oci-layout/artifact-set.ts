// An artifact set: an OCI artifact as a tar or tgz of its OCI layout, the form an image copied by value
// takes as a local blob (`index.json`, `oci-layout` and `blobs/<algorithm>.<hex>` as the Go tool writes it,
// or `blobs/<algorithm>/<hex>` as an OCI image layout has it). One streaming reader, on the `tar` library,
// for every plugin that reads one (to push it, to digest it).
import { once } from "node:events";
import type { ReadEntry } from "tar";
import { OcmError } from "../../core/errors.js";

/**
 * True for the media type of an artifact set: an OCI, Docker, OCM or (legacy) Gardener media type with a
 * `+tar` or `+tar+gzip` suffix, e.g. `application/vnd.oci.image.manifest.v1+tar+gzip`.
 */
export function isArtifactSetMediaType(mediaType: string | undefined): boolean {
  return (
    mediaType !== undefined &&
    /^application\/vnd\.(oci|docker|ocm|gardener)\..*\+tar(\+gzip)?$/.test(mediaType)
  );
}

/**
 * The artifact set media types a plugin can name one by one (e.g. as the types of a digestProcessor): the
 * OCI manifest and index and their Docker counterparts, each as `+tar` and `+tar+gzip`.
 */
export const ARTIFACT_SET_MEDIA_TYPES: readonly string[] = [
  "application/vnd.oci.image.manifest.v1",
  "application/vnd.oci.image.index.v1",
  "application/vnd.docker.distribution.manifest.v2",
  "application/vnd.docker.distribution.manifest.list.v2",
].flatMap((type) => [`${type}+tar`, `${type}+tar+gzip`]);

/** The artifact set media type for a manifest media type: `…+json` → `…+tar+gzip`. */
export function artifactSetMediaType(manifestMediaType: string): string {
  return manifestMediaType.replace(/\+json$/, "") + "+tar+gzip";
}

/** One entry of an artifact set: its index, or a blob with the digest its name gives. */
export interface ArtifactSetEntry {
  /** `index.json`, or the blob's path, e.g. `blobs/sha256.<hex>`. */
  name: string;
  /** For a blob: the digest its name gives, `<algorithm>:<hex>`. */
  digest?: string;
  size: number;
  /** Read it before asking for the next entry; an entry left unread is skipped. */
  body: AsyncIterable<Uint8Array>;
}

export interface ReadArtifactSetOptions {
  /** Builds the error for an archive that cannot be read (default: OCM_REPOSITORY_INVALID). */
  invalid?: (why: string, cause?: unknown) => Error;
}

const BLOB_ENTRY = /^blobs\/(sha256|sha384|sha512)[./]([0-9a-f]+)$/;

function invalidSet(why: string, cause?: unknown): Error {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `the artifact set ${why}`,
    hint: "An artifact set is a tar or tgz with index.json, oci-layout and blobs/sha256.<hex> (as `ocm` writes them).",
    cause,
  });
}

/**
 * Streams the entries of the artifact set in `content` (tar, or tar gzipped) that matter: `index.json` and
 * the blobs, in archive order; directories, `oci-layout` and anything else are skipped. Each body must be
 * read (or left) before the next entry is asked for; the archive is read no further ahead than that.
 */
export async function* readArtifactSet(
  content: AsyncIterable<Uint8Array>,
  options: ReadArtifactSetOptions = {},
): AsyncGenerator<ArtifactSetEntry> {
  const invalid = options.invalid ?? invalidSet;
  for await (const entry of tarEntries(content, invalid)) {
    const name = entry.path.replace(/^\.\//, "");
    if (entry.type !== "File" && entry.type !== "OldFile") continue;
    const blob = BLOB_ENTRY.exec(name);
    if (name !== "index.json" && !blob) continue;
    yield {
      name,
      ...(blob ? { digest: `${blob[1]}:${blob[2]}` } : {}),
      size: entry.size ?? 0,
      body: entry,
    };
  }
}

/**
 * The entries of a tar stream, one at a time, with backpressure: the parser is fed only as fast as the
 * consumer reads the current entry. Stopping early closes the source.
 */
async function* tarEntries(
  content: AsyncIterable<Uint8Array>,
  invalid: (why: string, cause?: unknown) => Error,
): AsyncGenerator<ReadEntry> {
  // tar is imported when an archive is first read, not by every command that loads this module (#15).
  const { Parser } = await import("tar");
  const queue: ReadEntry[] = [];
  let failure: unknown;
  let ended = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let current: ReadEntry | undefined;
  let stop: () => void = () => {};
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  // The entry being read would wait for bytes that never come: it fails too.
  const fail = (error: unknown) => {
    failure ??= error;
    if (current !== undefined && !current.emittedEnd) current.destroy(failure as Error);
    notify();
  };
  const parser = new Parser({
    onReadEntry(entry) {
      queue.push(entry);
      notify();
    },
  });
  parser.on("warn", (code: string, message: string) => {
    if (code !== "TAR_ENTRY_INFO") failure ??= invalid(`is not a readable tar archive: ${message}`);
    notify();
  });
  parser.on("error", (error: Error) =>
    fail(invalid(`is not a readable tar archive: ${error.message}`, error)),
  );
  parser.on("end", () => {
    ended = true;
    notify();
  });
  const feed = async () => {
    try {
      for await (const chunk of content) {
        if (stopped || failure !== undefined) return;
        if (!parser.write(Buffer.from(chunk))) await Promise.race([once(parser, "drain"), stopping]);
      }
      if (!stopped) parser.end();
    } catch (error) {
      // From reading the source (e.g. a repository's own digest check): passed on as it is.
      fail(error);
    }
  };
  const feeding = feed();
  try {
    for (;;) {
      const entry = queue.shift();
      if (entry !== undefined) {
        current = entry;
        yield entry;
        entry.resume(); // whatever the consumer left unread
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stopped = true;
    stop();
    for (const entry of queue) entry.resume();
    await feeding;
  }
}
