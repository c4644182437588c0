// Downloads a resource's bytes to a file: streamed to a temp file beside the target while hashing,
// checked against the descriptor's digest, then renamed, so a failed download never leaves a file.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname, join, basename, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { OcmError, isOcmError, type Blob, type TypedSpec } from "../../core/index.js";
import type { CapabilityProvider } from "../../core/index.js";
import { createDigestMeter } from "../../core/digest-meter.js";
import { canonicalAccessType } from "../../core/model/index.js";
import { findResource, type ResourceEntry } from "./find-resource.js";

export interface DownloadResourceOptions {
  repository: TypedSpec;
  component: string;
  version: string;
  identity: Record<string, string>;
  output: string;
}

export interface DownloadedResource {
  path: string;
  size: number;
  mediaType: string;
  digest: string;
}

/** Opens the bytes of `resource`: local blobs through the repository, others through a resourceRepository. */
export async function openResource(
  manager: CapabilityProvider,
  options: Omit<DownloadResourceOptions, "identity" | "output">,
  resource: ResourceEntry,
): Promise<Blob> {
  const access = resource.access;
  if (canonicalAccessType(access.type) === "LocalBlob/v1") {
    const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
    return repo.getLocalBlob({
      repository: options.repository,
      component: options.component,
      version: options.version,
      localReference: String(access.localReference),
      ...(typeof access.mediaType === "string" ? { mediaType: access.mediaType } : {}),
    });
  }
  const resources = await manager.getPlugin(access.type, "resourceRepository");
  return resources.getResource({ ...options, resource: resource as never });
}

/** Errors of writing to an open file, which node reports without the file's path. */
const WRITE_ERRORS = new Set(["ENOSPC", "EDQUOT", "EIO", "EFBIG", "EROFS"]);

export async function downloadResource(
  manager: CapabilityProvider,
  options: DownloadResourceOptions,
): Promise<DownloadedResource> {
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const { descriptor } = await repo.getComponentVersion(options);
  const resource = findResource(descriptor, options.identity);
  return saveResource(manager, options, resource, options.output);
}

/** Streams the bytes of `resource` of the component version to `output`, checked against its digest. */
export async function saveResource(
  manager: CapabilityProvider,
  options: Omit<DownloadResourceOptions, "identity" | "output">,
  resource: ResourceEntry,
  output: string,
): Promise<DownloadedResource> {
  const blob = await openResource(manager, options, resource);
  const target = resolve(output);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.partial`);
  const meter = createDigestMeter();
  try {
    await pipeline(blob.content, meter.pass, createWriteStream(temp, { flags: "wx", mode: 0o644 }));
    const hex = meter.hex();
    const expected = resource.digest as
      { normalisationAlgorithm?: string; hashAlgorithm?: string; value?: string } | undefined;
    if (
      expected?.normalisationAlgorithm === "genericBlobDigest/v1" &&
      /^sha-?256$/i.test(expected.hashAlgorithm ?? "") &&
      expected.value !== hex
    ) {
      throw new OcmError({
        code: "OCM_REPOSITORY_DIGEST_MISMATCH",
        message: `resource ${resource.name} of ${options.component}:${options.version}: content has sha256 ${hex}, the descriptor says ${expected.value}`,
        hint: "The repository content was altered or corrupted; nothing was written.",
      });
    }
    await rename(temp, target);
    return { path: target, size: meter.size, mediaType: blob.mediaType, digest: meter.digest() };
  } catch (error) {
    await rm(temp, { force: true });
    // A failed write on the open file (ENOSPC, EIO) carries no path; the user needs to know which one.
    const errno = error as { code?: unknown; path?: unknown };
    if (!isOcmError(error) && WRITE_ERRORS.has(String(errno.code)) && errno.path === undefined) {
      Object.assign(errno, { path: target, syscall: "write" });
    }
    throw error;
  }
}
