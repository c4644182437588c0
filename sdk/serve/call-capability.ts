// Serves `/v1/cap/<capability>/<type>/<operation>` through core's invokeOperation, so a plugin answers the
// same over a socket as in-process.
import type { IncomingMessage, ServerResponse } from "node:http";
import { OcmError } from "../../core/errors.js";
import { findOperationByRoute, invokeOperation } from "../../core/invoke.js";
import type { PluginDefinition, TypeDefinition } from "../../core/plugin-definition.js";
import { CAPABILITY_KINDS, type CapabilityKind } from "../../core/protocol/capabilities.js";
import type { Blob, CallOptions } from "../../core/protocol/common.js";
import type { OperationSpec } from "../../core/protocol/operations.js";
import { parseCapabilityRoute } from "../../core/protocol/routes.js";
import { readJsonBody, readRequestHeader } from "./read-request.js";
import { sendJson } from "./respond.js";
import { sendBlob } from "./send-blob.js";

/** The implementation and operation a capability route leads to. */
export interface CapabilityCall {
  impl: object;
  method: string;
  spec: OperationSpec;
}

/** Routes remembered per server; a bound, because a caller may spell a type in many URL encodings. */
const MAX_REMEMBERED_ROUTES = 1024;

/**
 * Returns the lookup of capability routes for `definition`: undefined for a path that is no capability
 * route, an OCM_RPC_NOT_FOUND for one naming what the plugin does not serve. Each route served is
 * resolved once and remembered, so a call does not search the definition again.
 */
export function createCapabilityRouter(
  definition: PluginDefinition,
): (path: string) => CapabilityCall | undefined {
  const types = indexTypes(definition);
  const remembered = new Map<string, CapabilityCall>();
  return (path) => {
    const known = remembered.get(path);
    if (known) return known;
    const parts = parseCapabilityRoute(path);
    if (!parts) return undefined;
    const call = resolveCall(definition, types, parts);
    if (remembered.size >= MAX_REMEMBERED_ROUTES) remembered.clear();
    remembered.set(path, call);
    return call;
  };
}

/** Runs one capability operation for the request and writes its answer. */
export async function callCapability(
  call: CapabilityCall,
  req: IncomingMessage,
  res: ServerResponse,
  options: CallOptions,
): Promise<void> {
  const { impl, method, spec } = call;
  if (spec.kind === "upload") {
    const result = await invokeOperation(impl, spec, method, readRequestHeader(req), req, options);
    sendJson(res, 200, result);
  } else if (spec.kind === "download") {
    const request = await readJsonBody(req);
    const blob = (await invokeOperation(impl, spec, method, request, undefined, options)) as Blob;
    await sendBlob(res, blob, options.signal as AbortSignal);
  } else {
    const request = await readJsonBody(req);
    sendJson(res, 200, await invokeOperation(impl, spec, method, request, undefined, options));
  }
}

/** Types by canonical name and alias; the first type naming a key wins, as a search in order would. */
function indexTypes(definition: PluginDefinition): Map<string, [string, TypeDefinition]> {
  const index = new Map<string, [string, TypeDefinition]>();
  for (const [name, type] of Object.entries(definition.types)) {
    for (const key of [name, ...(type.aliases ?? [])]) if (!index.has(key)) index.set(key, [name, type]);
  }
  return index;
}

function resolveCall(
  definition: PluginDefinition,
  types: Map<string, [string, TypeDefinition]>,
  parts: { capability: string; type: string; route: string },
): CapabilityCall {
  if (!(CAPABILITY_KINDS as readonly string[]).includes(parts.capability)) {
    throw notFound(
      `unknown capability ${JSON.stringify(parts.capability)}`,
      `Capabilities: ${CAPABILITY_KINDS.join(", ")}.`,
    );
  }
  const capability = parts.capability as CapabilityKind;
  const entry = types.get(parts.type);
  if (!entry) {
    const served = Object.keys(definition.types).join(", ");
    throw notFound(
      `plugin ${definition.name} does not serve type ${JSON.stringify(parts.type)}`,
      `Types served: ${served}.`,
    );
  }
  const [name, type] = entry;
  const impl = type.capabilities[capability];
  if (!impl) {
    const offered = Object.keys(type.capabilities).join(", ");
    throw notFound(`type ${name} has no ${capability} capability`, `${name} offers: ${offered}.`);
  }
  const operation = findOperationByRoute(capability, parts.route);
  if (!operation) {
    throw notFound(
      `${capability} has no operation ${JSON.stringify(parts.route)}`,
      "Check the route against core/protocol/operations.ts.",
    );
  }
  return { impl, method: operation.method, spec: operation.spec };
}

function notFound(message: string, hint: string): OcmError {
  return new OcmError({ code: "OCM_RPC_NOT_FOUND", message, hint });
}
