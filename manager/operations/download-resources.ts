// Downloads every resource of a component version (or those of one type) into a directory, one file per
// resource named after its identity and made safe for the file system.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { OcmError, type TypedSpec } from "../../core/index.js";
import { elementIdentity, isNoneAccess } from "../../core/model/index.js";
import type { CapabilityProvider } from "../../core/index.js";
import { saveResource, type DownloadedResource } from "./download-resource.js";
import type { ResourceEntry } from "./find-resource.js";
import { createFileNamer } from "./safe-file-name.js";

export interface DownloadResourcesOptions {
  repository: TypedSpec;
  component: string;
  version: string;
  /** Only resources of this type (e.g. `blob`, `ociImage`). */
  type?: string | undefined;
  /** The directory written into; created when missing. */
  directory: string;
}

/** One written file, with the resource it holds. */
export interface DownloadedResourceFile extends DownloadedResource {
  resource: Record<string, string>;
}

/** Writes the selected resources into `directory`; throws OCM_RESOURCE_NOT_FOUND when none is selected. */
export async function downloadResources(
  manager: CapabilityProvider,
  options: DownloadResourcesOptions,
): Promise<DownloadedResourceFile[]> {
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const { descriptor } = await repo.getComponentVersion(options);
  const all = (descriptor.component.resources ?? []) as ResourceEntry[];
  const selected = all.filter(
    (r) => !isNoneAccess(r.access) && (options.type === undefined || r["type"] === options.type),
  );
  if (selected.length === 0) {
    const types = [...new Set(all.map((r) => String(r["type"])))];
    throw new OcmError({
      code: "OCM_RESOURCE_NOT_FOUND",
      message: `${options.component}:${options.version} has no resource${options.type === undefined ? "" : ` of type ${JSON.stringify(options.type)}`} to download`,
      hint: types.length ? `Resource types there: ${types.join(", ")}.` : "It has no resources with content.",
      details: { ...(options.type === undefined ? {} : { type: options.type }) },
    });
  }
  const directory = resolve(options.directory);
  await mkdir(directory, { recursive: true });
  const nameOf = createFileNamer();
  const files: DownloadedResourceFile[] = [];
  for (const resource of selected) {
    const identity = elementIdentity(resource, all);
    // The identity's other values keep resources of one name apart: `image-linux-amd64`.
    const extra = Object.entries(identity)
      .filter(([key]) => key !== "name")
      .map(([, value]) => value);
    const file = join(directory, nameOf([resource.name, ...extra].join("-")));
    files.push({ ...(await saveResource(manager, options, resource, file)), resource: identity });
  }
  return files;
}
