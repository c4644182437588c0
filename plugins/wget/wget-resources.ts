// resourceRepository for `wget` accesses: the response body streamed as the resource's bytes, checked as
// they pass against the resource's digest when it has one (expected-digest.ts says why) and against the
// Content-Length, so a short body fails instead of passing as complete.
import type { Blob, ResourceRepository } from "../../sdk/index.js";
import { OcmError, expectedDigest } from "../../sdk/index.js";
import { authorizationOf, wgetIdentity } from "./consumer-identity.js";
import { fetchWget } from "./http-fetch.js";
import { parseWgetSpec, showUrl } from "./wget-spec.js";

const OCTET_STREAM = "application/octet-stream";

export const wgetResources: ResourceRepository = {
  async getResource({ resource }, options): Promise<Blob> {
    const spec = parseWgetSpec(resource.access);
    const { response, url } = await fetchWget(spec, {
      authorization: authorizationOf(options?.credentials),
      signal: options?.signal,
      what: "wget access",
      identityHint: JSON.stringify(wgetIdentity(spec.url)),
    });
    const length = Number(response.headers["content-length"]);
    const size = response.headers["content-encoding"] || !Number.isSafeInteger(length) ? undefined : length;
    const contentType = response.headers["content-type"]?.split(";")[0]?.trim();
    const check = expectedDigest(resource);
    async function* content(): AsyncGenerator<Uint8Array> {
      let received = 0;
      for await (const chunk of response as AsyncIterable<Buffer>) {
        received += chunk.length;
        check?.hash.update(chunk);
        yield chunk;
      }
      if (size !== undefined && received !== size) {
        throw new OcmError({
          code: "OCM_ACCESS_REQUEST_FAILED",
          message: `wget access ${showUrl(url)}: the body ended after ${received} of ${size} bytes`,
          hint: "The connection broke or the server lied about the length; retry.",
        });
      }
      const got = check?.hash.digest("hex");
      if (check && got !== check.expected) {
        throw new OcmError({
          code: "OCM_REPOSITORY_DIGEST_MISMATCH",
          message: `wget access ${showUrl(url)}: content has ${check.algorithm} ${got}, the resource's digest says ${check.expected}`,
          hint: "The bytes at the URL changed since the digest was taken (or were tampered with); nothing was kept.",
        });
      }
    }
    return {
      mediaType: spec.mediaType ?? (contentType || OCTET_STREAM),
      ...(size !== undefined ? { size } : {}),
      content: content(),
    };
  },
  addResource() {
    throw new OcmError({
      code: "OCM_ACCESS_INVALID",
      message: "wget accesses are read-only: the plugin cannot upload to a URL",
      hint: "Copy the resource by value (transfer --copy-resources) to store its bytes in a repository.",
    });
  },
};
