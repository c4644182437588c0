// The OCIRegistry/v1 repository specification (notes/ocm-formats.md §3): the registry's base URL, an optional
// sub path, and the `urlPath` component name mapping (component versions in `component-descriptors/<name>`).
import { z } from "zod";
import { OcmError, type CallOptions } from "../../core/index.js";
import { RegistryClient } from "./distribution/registry-client.js";
import { registryLocation, type RegistryLocation } from "./distribution/reference.js";

/** The canonical type name of the OCI registry repository. */
export const OCI_TYPE = "OCIRegistry/v1";

/** Other names of the repository type, as OCM uses them. */
export const OCI_TYPE_ALIASES = ["oci", "OCI", "OCI/v1", "OCIRegistry", "OCIRepository", "OCIRepository/v1"];

/** Prefix of the OCI repository holding a component's versions (the `urlPath` mapping). */
export const COMPONENT_PREFIX = "component-descriptors/";

/** Zod schema of the repository specification. */
export const ociSpecSchema = z.looseObject({
  type: z.string().min(1),
  baseUrl: z.string().min(1, { message: "must be the registry, e.g. ghcr.io or http://localhost:5000" }),
  subPath: z.string().optional(),
  componentNameMapping: z.literal("urlPath").optional(),
});

/** JSON Schema of the repository specification, for the type definition. */
export const ociSpecJsonSchema = z.toJSONSchema(ociSpecSchema) as Record<string, unknown>;

/** A validated repository specification. */
export interface OciSpec {
  registry: RegistryLocation;
  /** The sub path without leading or trailing slashes; "" for none. */
  subPath: string;
  /** How messages name the repository: `host[/subPath]`. */
  where: string;
}

/** Validates a repository specification. */
export function parseOciSpec(repository: unknown): OciSpec {
  const result = ociSpecSchema.safeParse(repository);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
    throw new OcmError({
      code: "OCM_REPOSITORY_INVALID",
      message: `OCI repository specification: field ${path} ${issue?.message ?? "is invalid"} (${JSON.stringify(repository)})`,
      hint: 'Write {type: "OCIRegistry/v1", baseUrl: "<host[:port]> or http(s)://<host[:port]>", subPath?}.',
      details: { path },
    });
  }
  const registry = registryLocation(result.data.baseUrl);
  // A path written into baseUrl (`ghcr.io/acme`) comes before subPath.
  const basePath = result.data.baseUrl
    .replace(/^https?:\/\//i, "")
    .split("/")
    .slice(1)
    .join("/");
  const subPath = [basePath, result.data.subPath ?? ""]
    .map((part) => part.replace(/^\/+|\/+$/g, ""))
    .filter((part) => part !== "")
    .join("/");
  return { registry, subPath, where: subPath ? `${registry.host}/${subPath}` : registry.host };
}

/** The OCI repository of a component's versions. */
export function componentRepository(spec: OciSpec, component: string): string {
  return `${spec.subPath ? `${spec.subPath}/` : ""}${COMPONENT_PREFIX}${component}`;
}

/** A client for the spec's registry with the call's credentials and signal. */
export function clientFor(registry: RegistryLocation, options: CallOptions | undefined): RegistryClient {
  return new RegistryClient(registry, { credentials: options?.credentials, signal: options?.signal });
}
