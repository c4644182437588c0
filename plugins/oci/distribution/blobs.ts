// Reading blobs of a repository (distribution spec "Pulling blobs"): HEAD for existence and size, and a
// streamed GET whose bytes are hashed on the way and checked against the digest at the end.
import { ociDigestMismatchError, requestFailedError } from "../oci-errors.js";
import { createDigestMeter } from "../../../sdk/index.js";
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
    const meter = createDigestMeter();
    try {
      yield* meter.pass(answer.body as AsyncIterable<Uint8Array>);
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      // A registry (or a proxy) that closes the connection midway is a network failure, not a bug.
      const of = Number.isFinite(length) ? ` of ${length}` : "";
      const why = `the connection broke after ${meter.size}${of} bytes (${(error as { code?: string }).code ?? (error as Error).message})`;
      throw requestFailedError("GET", answer.url, why, undefined, error);
    }
    const actual = meter.digest();
    if (actual !== digest) throw ociDigestMismatchError(answer.url, digest, actual);
  }
  return { ...(Number.isFinite(length) ? { size: length } : {}), content: verified() };
}

/** Bound on a blob read whole (a descriptor layer): larger ones are refused, not buffered. */
export const MAX_SMALL_BLOB = 16 * 1024 * 1024;

/** Reads a small blob (config, descriptor layer) whole, verified, refusing more than `max` bytes. */
export async function getBlobBytes(
  client: RegistryClient,
  repository: string,
  digest: string,
  max = MAX_SMALL_BLOB,
): Promise<Buffer> {
  const { size, content } = await getBlob(client, repository, digest);
  const url = `${client.registry.origin}/v2/${repository}/blobs/${digest}`;
  const tooLarge = () =>
    requestFailedError("GET", url, `blob larger than ${max} bytes, the bound on a descriptor`);
  if (size !== undefined && size > max) {
    await content.return(undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of content) {
    total += chunk.length;
    if (total > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
