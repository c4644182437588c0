// Reading blobs of a repository (distribution spec "Pulling blobs"): HEAD for existence and size, and a
// streamed GET whose bytes are hashed on the way and checked against the digest at the end.
import { ociDigestMismatchError } from "../oci-errors.js";
import { DigestMeter } from "./digest-stream.js";
import type { RegistryClient } from "./registry-client.js";

const pull = (repository: string) => `repository:${repository}:pull`;

/** The size of a blob the repository holds, or undefined when it has none with that digest. */
export async function blobSize(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<number | undefined> {
  const answer = await client.send({
    method: "HEAD",
    path: `/v2/${repository}/blobs/${digest}`,
    scopes: [pull(repository)],
    accept: [404],
  });
  await answer.body.dump();
  if (answer.status === 404) return undefined;
  const length = Number(answer.headers["content-length"]);
  return Number.isFinite(length) ? length : 0;
}

/**
 * Opens a blob as a stream that hashes as it goes; when the bytes end with another digest, it fails with
 * OCM_REPOSITORY_DIGEST_MISMATCH.
 */
export async function getBlob(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<{ size?: number; content: AsyncGenerator<Uint8Array> }> {
  const answer = await client.send({
    method: "GET",
    path: `/v2/${repository}/blobs/${digest}`,
    scopes: [pull(repository)],
  });
  const length = Number(answer.headers["content-length"]);
  async function* verified() {
    const meter = new DigestMeter();
    yield* meter.pass(answer.body as AsyncIterable<Uint8Array>);
    const actual = meter.digest();
    if (actual !== digest) throw ociDigestMismatchError(answer.url, digest, actual);
  }
  return { ...(Number.isFinite(length) ? { size: length } : {}), content: verified() };
}

/** Reads a small blob (config, descriptor layer) whole, verified. */
export async function getBlobBytes(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<Buffer> {
  const { content } = await getBlob(client, repository, digest);
  const chunks: Uint8Array[] = [];
  for await (const chunk of content) chunks.push(chunk);
  return Buffer.concat(chunks);
}
