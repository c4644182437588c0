// The version document of one package version from the registry's packument (`GET <registry>/<name>`,
// the abbreviated form when the registry offers it: npm's registry API "Package metadata").
import { OcmError } from "../../sdk/index.js";
import { packumentUrl, type NpmSpec } from "./npm-spec.js";
import { registryGet } from "./registry-get.js";

// Packuments of popular packages run to tens of MB in full; the abbreviated form is far smaller.
const MAX_PACKUMENT_BYTES = 256 * 1024 * 1024;
const ACCEPT = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8";

/** The `dist` part of a version document. */
export interface Dist {
  tarball: URL;
  integrity?: unknown;
  shasum?: unknown;
}

/** Looks `spec.version` up in the packument of `spec.package` and returns its `dist`. */
export async function lookupDist(spec: NpmSpec, signal?: AbortSignal): Promise<Dist> {
  const url = packumentUrl(spec);
  const what = `npm packument of ${spec.package}`;
  const response = await registryGet(url, what, { accept: ACCEPT, signal });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PACKUMENT_BYTES) {
      response.destroy();
      throw unusable(spec, `is larger than ${MAX_PACKUMENT_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  let packument: { versions?: Record<string, { dist?: Record<string, unknown> }> };
  try {
    packument = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof packument;
  } catch {
    throw unusable(spec, "is not JSON");
  }
  const versions = packument.versions ?? {};
  const entry = versions[spec.version];
  if (!entry) {
    const known = Object.keys(versions);
    throw new OcmError({
      code: "OCM_ACCESS_NOT_FOUND",
      message: `npm package ${spec.package} in ${spec.registry.host} has no version ${spec.version}`,
      hint: known.length
        ? `Use a published version, e.g. ${known.slice(-5).join(", ")}.`
        : "The package has no published versions.",
    });
  }
  const tarball = entry.dist?.["tarball"];
  if (typeof tarball !== "string") throw unusable(spec, `has no dist.tarball for version ${spec.version}`);
  let tarballUrl: URL;
  try {
    tarballUrl = new URL(tarball, url);
  } catch {
    throw unusable(spec, `has an invalid dist.tarball for version ${spec.version}`);
  }
  return { tarball: tarballUrl, integrity: entry.dist?.["integrity"], shasum: entry.dist?.["shasum"] };
}

function unusable(spec: NpmSpec, problem: string): OcmError {
  return new OcmError({
    code: "OCM_ACCESS_REQUEST_FAILED",
    message: `npm packument of ${spec.package} in ${spec.registry.host} ${problem}`,
    hint: "The registry's answer is not an npm packument; check the registry URL of the access.",
  });
}
