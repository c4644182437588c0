// resourceRepository for `npm` accesses: the package version's tarball, streamed, its bytes checked as they
// pass against the registry's `dist.integrity` (else `dist.shasum`) and the resource's own digest when it
// has one; a mismatch fails the stream at its end, so the host never keeps the bytes.
import type { Blob, ResourceRepository } from "../../sdk/index.js";
import { OcmError, expectedDigest } from "../../sdk/index.js";
import { integrityHash, integrityOf } from "./integrity.js";
import { parseNpmSpec, showUrl } from "./npm-spec.js";
import { lookupDist } from "./packument.js";
import { registryGet } from "./registry-get.js";

/** The media type of an npm package tarball, as the Go tool reports it. */
export const NPM_TARBALL_MEDIA_TYPE = "application/x-tgz";

export const npmResources: ResourceRepository = {
  async getResource({ resource }, options): Promise<Blob> {
    const spec = parseNpmSpec(resource.access);
    const dist = await lookupDist(spec, options?.signal);
    const integrity = integrityOf(dist);
    const name = `${spec.package}@${spec.version}`;
    if (!integrity) {
      throw new OcmError({
        code: "OCM_ACCESS_REQUEST_FAILED",
        message: `npm package ${name} in ${spec.registry.host} has neither dist.integrity nor dist.shasum`,
        hint: "Without the registry's hash the tarball cannot be checked; republish the package.",
      });
    }
    const response = await registryGet(dist.tarball, `npm tarball of ${name}`, {
      accept: "*/*",
      signal: options?.signal,
    });
    const length = Number(response.headers["content-length"]);
    const size = Number.isSafeInteger(length) && !response.headers["content-encoding"] ? length : undefined;
    const check = expectedDigest(resource);
    async function* content(): AsyncGenerator<Uint8Array> {
      const { hash, matches } = integrityHash(integrity as NonNullable<typeof integrity>);
      for await (const chunk of response as AsyncIterable<Buffer>) {
        hash.update(chunk);
        check?.hash.update(chunk);
        yield chunk;
      }
      const { ok, got } = matches();
      if (!ok) {
        throw new OcmError({
          code: "OCM_REPOSITORY_DIGEST_MISMATCH",
          message: `npm tarball of ${name} (${showUrl(dist.tarball)}) has ${got}, the registry says ${integrity?.shown}`,
          hint: "The tarball was altered or corrupted; nothing was kept. Ask the registry's owner, then retry.",
        });
      }
      const digest = check?.hash.digest("hex");
      if (check && digest !== check.expected) {
        throw new OcmError({
          code: "OCM_REPOSITORY_DIGEST_MISMATCH",
          message: `npm tarball of ${name} (${showUrl(dist.tarball)}) has ${check.algorithm} ${digest}, the resource's digest says ${check.expected}`,
          hint: "The registry serves another tarball for this version than when the digest was taken; nothing was kept.",
        });
      }
    }
    return { mediaType: NPM_TARBALL_MEDIA_TYPE, ...(size !== undefined ? { size } : {}), content: content() };
  },
  addResource() {
    throw new OcmError({
      code: "OCM_ACCESS_INVALID",
      message: "npm accesses are read-only: the plugin does not publish packages",
      hint: "Copy the resource by value (transfer --copy-resources) to store its bytes in a repository.",
    });
  },
};
