// The SDK's one artifact-set reader (sdk/oci-layout/artifact-set.ts, #12): the entries of tar and tgz sets
// as `ocm` and OCI image layouts write them, with the digest each blob's name gives, streamed; an archive
// that breaks off or is no tar at all is an error, not a short listing.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { create as createTar } from "tar";
import { describe, expect, it } from "vitest";
import { isArtifactSetMediaType, readArtifactSet } from "../../../sdk/oci-layout/index.js";
import { useTempDir } from "../../helpers/temp-dir.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A set with index.json, oci-layout and two blobs named as `layout` says; returns the archive's bytes. */
async function writeSet(gzip: boolean, layout: "ocm" | "oci", big = Buffer.from("layer")) {
  const dir = await useTempDir();
  const root = join(dir, "set");
  const small = Buffer.from('{"schemaVersion":2}');
  const name = (bytes: Buffer) => (layout === "ocm" ? `sha256.${sha256(bytes)}` : `sha256/${sha256(bytes)}`);
  await mkdir(join(root, "blobs", "sha256"), { recursive: true });
  for (const bytes of [small, big]) await writeFile(join(root, "blobs", name(bytes)), bytes);
  await writeFile(join(root, "index.json"), '{"manifests":[]}');
  await writeFile(join(root, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  const file = join(dir, gzip ? "set.tgz" : "set.tar");
  await createTar({ gzip, cwd: root, file, portable: true }, ["index.json", "oci-layout", "blobs"]);
  return { archive: await readFile(file), small, big };
}

async function* chunks(bytes: Buffer, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function listing(content: AsyncIterable<Uint8Array>) {
  const seen: { name: string; digest?: string; bytes: string }[] = [];
  for await (const entry of readArtifactSet(content)) {
    const parts: Buffer[] = [];
    for await (const chunk of entry.body) parts.push(Buffer.from(chunk));
    const bytes = Buffer.concat(parts);
    seen.push({ name: entry.name, ...(entry.digest ? { digest: entry.digest } : {}), bytes: sha256(bytes) });
  }
  return seen.sort((a, b) => a.name.localeCompare(b.name));
}

describe("readArtifactSet", () => {
  it("reads index.json and every blob of a tgz and of a tar, with the digest its name gives", async () => {
    for (const gzip of [true, false]) {
      const { archive, small, big } = await writeSet(gzip, "ocm");
      const entries = await listing(chunks(archive));
      expect(entries).toEqual(
        [
          { name: "index.json", bytes: sha256(Buffer.from('{"manifests":[]}')) },
          ...[small, big].map((b) => ({
            name: `blobs/sha256.${sha256(b)}`,
            digest: `sha256:${sha256(b)}`,
            bytes: sha256(b),
          })),
        ].sort((a, b) => a.name.localeCompare(b.name)),
      );
    }
  });

  it("reads blobs/<algorithm>/<hex> as an OCI image layout names them", async () => {
    const { archive, big } = await writeSet(true, "oci");
    const entries = await listing(chunks(archive));
    expect(entries.map((e) => e.digest)).toContain(`sha256:${sha256(big)}`);
  });

  it("skips entries left unread and still reads those after them, a megabyte blob included", async () => {
    const big = Buffer.alloc(1024 * 1024, 7);
    const { archive } = await writeSet(true, "ocm", big);
    const names: string[] = [];
    for await (const entry of readArtifactSet(chunks(archive, 4096))) names.push(entry.name);
    expect(names.sort()).toEqual(
      [
        "index.json",
        `blobs/sha256.${sha256(big)}`,
        `blobs/sha256.${sha256(Buffer.from('{"schemaVersion":2}'))}`,
      ].sort(),
    );
  });

  it("fails on an archive that breaks off and on bytes that are no tar", async () => {
    const { archive } = await writeSet(false, "ocm", Buffer.alloc(64 * 1024, 1));
    await expect(listing(chunks(archive.subarray(0, 20_000)))).rejects.toMatchObject({
      code: "OCM_REPOSITORY_INVALID",
    });
    await expect(listing(chunks(Buffer.alloc(4096, 0x41)))).rejects.toMatchObject({
      code: "OCM_REPOSITORY_INVALID",
      message: expect.stringContaining("is not a readable tar archive"),
    });
  });

  it("passes a failure of the source on as it is", async () => {
    const { archive } = await writeSet(false, "ocm", Buffer.alloc(64 * 1024, 1));
    async function* failing() {
      yield archive.subarray(0, 10_000);
      throw new Error("connection reset");
    }
    await expect(listing(failing())).rejects.toThrow("connection reset");
  });
});

describe("isArtifactSetMediaType", () => {
  it("accepts OCI, Docker, OCM and Gardener media types as tar or tgz, and nothing else", () => {
    for (const type of [
      "application/vnd.oci.image.manifest.v1+tar+gzip",
      "application/vnd.oci.image.index.v1+tar",
      "application/vnd.docker.distribution.manifest.v2+tar+gzip",
      "application/vnd.ocm.software.oci.layout.v1+tar",
      "application/vnd.gardener.cloud.cnudie.oci.artifact+tar",
    ])
      expect(isArtifactSetMediaType(type), type).toBe(true);
    for (const type of [
      "application/vnd.oci.image.manifest.v1+json",
      "application/x-tar",
      "text/plain",
      undefined,
    ])
      expect(isArtifactSetMediaType(type), String(type)).toBe(false);
  });
});
