// Turns command-line references into repository specs and component coordinates, with the repository
// types the plugins declare: the built-in ones first, external plugins only when a reference needs them.
import {
  OcmError,
  builtinPlugins,
  resolveComponentReference,
  resolveRepositoryReference,
  type CapabilitiesDocument,
  type TypedSpec,
} from "../index.js";
import type { CommandContext } from "./context.js";

export interface ComponentTarget {
  repository: TypedSpec;
  component: string;
  version?: string | undefined;
}

let builtinDocuments: CapabilitiesDocument[] | undefined;
const builtins = () => (builtinDocuments ??= builtinPlugins().map((plugin) => plugin.document));

/** `[<type>::]<repository>//<component>[:<version>]`, e.g. `./archive//acme.org/app:1.0.0`. */
export async function componentTarget(
  ctx: CommandContext,
  ref: string,
  requireVersion = false,
): Promise<ComponentTarget> {
  const parsed = await resolveComponentReference(ctx.manager(), ref, { builtins: builtins() });
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
  return { repository: parsed.repository, component: parsed.component, version: parsed.version };
}

/** A repository with or without a component part: `./archive` or `./archive//acme.org/app[:1.0.0]`. */
export async function repositoryOrComponentTarget(
  ctx: CommandContext,
  ref: string,
): Promise<{ repository: TypedSpec; component?: string | undefined; version?: string | undefined }> {
  const parsed = await resolveComponentReference(ctx.manager(), ref, { builtins: builtins() });
  return { repository: parsed.repository, component: parsed.component, version: parsed.version };
}

/**
 * A repository reference with no component part, e.g. `./archive` or `filerepo::./store`; with `create`, of
 * a repository the command writes and may create (its plugin declares how, see `creatableSpec`).
 */
export function repositoryTarget(
  ctx: CommandContext,
  ref: string,
  create?: { format?: string | undefined },
): Promise<TypedSpec> {
  return resolveRepositoryReference(ctx.manager(), ref, { builtins: builtins(), create });
}
