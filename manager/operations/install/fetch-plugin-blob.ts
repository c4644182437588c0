// Downloads the selected plugin resource into the staging directory while hashing it, and checks the
// bytes against the descriptor's digest before anything else looks at them.
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createDigestMeter } from "../../../core/digest-meter.js";
import { OcmError, type TypedSpec } from "../../../core/index.js";
import { openResource } from "../download-resource.js";
import type { ResourceEntry } from "../find-resource.js";
import type { CapabilityProvider } from "../../../core/index.js";

export interface FetchedBlob {
  path: string;
  /** `sha256:<hex>` of the bytes as downloaded. */
  digest: string;
  size: number;
}

/** The sha256 the descriptor promises for `resource`, when it records a generic blob digest. */
export function expectedDigest(resource: ResourceEntry): string | undefined {
  const digest = resource["digest"] as
    { normalisationAlgorithm?: string; hashAlgorithm?: string; value?: string } | undefined;
  if (
    digest?.normalisationAlgorithm === "genericBlobDigest/v1" &&
    /^sha-?256$/i.test(digest.hashAlgorithm ?? "") &&
    digest.value
  ) {
    return `sha256:${digest.value}`;
  }
  return undefined;
}

/** Streams the resource to `<stagingDir>/blob`; throws OCM_INSTALL_DIGEST_MISMATCH when it differs. */
export async function fetchPluginBlob(
  manager: CapabilityProvider,
  source: { repository: TypedSpec; component: string; version: string },
  resource: ResourceEntry,
  stagingDir: string,
): Promise<FetchedBlob> {
  const blob = await openResource(manager, source, resource);
  const path = join(stagingDir, "blob");
  const meter = createDigestMeter();
  await pipeline(blob.content, meter.pass, createWriteStream(path, { flags: "wx", mode: 0o600 }));
  const digest = meter.digest();
  const expected = expectedDigest(resource);
  if (expected && expected !== digest) {
    throw new OcmError({
      code: "OCM_INSTALL_DIGEST_MISMATCH",
      message: `plugin resource ${resource.name} of ${source.component}:${source.version} has ${digest}, the descriptor says ${expected}`,
      hint: "The repository content was altered or corrupted; nothing was installed.",
      details: { expected, actual: digest },
    });
  }
  return { path, digest, size: meter.size };
}
