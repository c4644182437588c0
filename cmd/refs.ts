// Turns command-line references into repository specs and component coordinates.
import { OcmError, type TypedSpec } from "../core/index.js";
import { parseComponentRef, parseRepositoryRef } from "../core/model/index.js";

export interface ComponentTarget {
  repository: TypedSpec;
  component: string;
  version?: string | undefined;
}

/** `[ctf::]<path>//<component>[:<version>]` or `[oci::]<host>[/<path>]//<component>[:<version>]`. */
export function componentTarget(ref: string, requireVersion = false): ComponentTarget {
  const parsed = parseComponentRef(ref);
  if (!parsed.component) {
    throw new OcmError({
      code: "OCM_REFERENCE_INVALID",
      message: `reference ${JSON.stringify(ref)} names no component`,
      hint: "Write <repository>//<component>[:<version>], e.g. ./archive//acme.org/app:1.0.0.",
    });
  }
  if (requireVersion && !parsed.version) {
    throw new OcmError({
      code: "OCM_REFERENCE_INVALID",
      message: `reference ${JSON.stringify(ref)} names no version`,
      hint: `Add the version: ${ref}:<version> (\`ocm get cv ${ref}\` lists them).`,
    });
  }
  return { repository: parsed.repository as TypedSpec, component: parsed.component, version: parsed.version };
}

/** A repository reference with no component part. */
export function repositoryTarget(ref: string): TypedSpec {
  return parseRepositoryRef(ref).repository as TypedSpec;
}
