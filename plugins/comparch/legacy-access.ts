// The legacy access `localFilesystemBlob` (`fileName` or `filename`, `mediaType`) of pre-localBlob component
// archives means a file in blobs/, as a `localBlob` with that file name as localReference means it (the Go
// tool decodes one into the other). The plugin serves such accesses as localBlob, so every command reads,
// verifies and copies them like any local blob; access is part of no normalisation, so digests and
// signatures do not change.
import { canonicalAccessType, type ComponentDescriptor } from "../../core/index.js";

type Access = Record<string, unknown> & { type?: unknown };

function asLocalBlob(access: Access | null | undefined): Access | null | undefined {
  if (access === null || access === undefined || typeof access.type !== "string") return access;
  if (canonicalAccessType(access.type) !== "localFilesystemBlob") return access;
  const { type: _type, fileName, filename, ...rest } = access;
  const name = fileName ?? filename;
  return typeof name === "string" ? { ...rest, type: "localBlob", localReference: name } : access;
}

/** The descriptor with every localFilesystemBlob access of a resource or source as the localBlob it means. */
export function presentLegacyAccesses(cd: ComponentDescriptor): ComponentDescriptor {
  const map = <T extends { access?: unknown }>(list: T[] | null | undefined) =>
    list?.map((element) => ({
      ...element,
      access: asLocalBlob(element.access as Access | null | undefined),
    }));
  const component = cd.component as ComponentDescriptor["component"] & {
    resources?: { access?: unknown }[] | null;
    sources?: { access?: unknown }[] | null;
  };
  return {
    ...cd,
    component: {
      ...component,
      ...(component.resources ? { resources: map(component.resources) } : {}),
      ...(component.sources ? { sources: map(component.sources) } : {}),
    },
  } as ComponentDescriptor;
}

/** The file names in blobs/ that the descriptor's localBlob accesses (after presentLegacyAccesses) name. */
export function referencedBlobNames(cd: ComponentDescriptor): string[] {
  const component = cd.component as {
    resources?: { access?: unknown }[] | null;
    sources?: { access?: unknown }[] | null;
  };
  return [...(component.resources ?? []), ...(component.sources ?? [])].flatMap((element) => {
    const access = element.access as Access | null | undefined;
    if (access === null || access === undefined || typeof access.type !== "string") return [];
    if (canonicalAccessType(access.type) !== "LocalBlob/v1") return [];
    return typeof access["localReference"] === "string" ? [access["localReference"]] : [];
  });
}
