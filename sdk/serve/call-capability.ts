// Serves `/v1/cap/<capability>/<type>/<operation>` through core's invokeOperation, so a plugin answers the
// same over a socket as in-process.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CAPABILITY_KINDS,
  OcmError,
  findOperationByRoute,
  invokeOperation,
  type Blob,
  type CapabilityKind,
  type PluginDefinition,
} from "../../core/index.js";
import { readJsonBody, readRequestHeader } from "./read-request.js";
import { sendJson } from "./respond.js";
import { sendBlob } from "./send-blob.js";

/** The parts of a capability route. */
export interface CapabilityCall {
  capability: string;
  type: string;
  route: string;
}

/** Runs one capability operation for the request and writes its answer. */
export async function callCapability(
  definition: PluginDefinition,
  call: CapabilityCall,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const impl = findImplementation(definition, call);
  const capability = call.capability as CapabilityKind;
  const operation = findOperationByRoute(capability, call.route);
  if (!operation) {
    throw notFound(
      `${capability} has no operation ${JSON.stringify(call.route)}`,
      "Check the route against core/protocol/operations.ts.",
    );
  }
  const { method, spec } = operation;
  const options = { signal };
  if (spec.kind === "upload") {
    const result = await invokeOperation(impl, spec, method, readRequestHeader(req), req, options);
    sendJson(res, 200, result);
  } else if (spec.kind === "download") {
    const blob = (await invokeOperation(
      impl,
      spec,
      method,
      await readJsonBody(req),
      undefined,
      options,
    )) as Blob;
    await sendBlob(res, blob, signal);
  } else {
    sendJson(
      res,
      200,
      await invokeOperation(impl, spec, method, await readJsonBody(req), undefined, options),
    );
  }
}

/** Looks the type up by canonical name or alias and returns its implementation of the capability. */
function findImplementation(definition: PluginDefinition, call: CapabilityCall): object {
  if (!(CAPABILITY_KINDS as readonly string[]).includes(call.capability)) {
    throw notFound(
      `unknown capability ${JSON.stringify(call.capability)}`,
      `Capabilities: ${CAPABILITY_KINDS.join(", ")}.`,
    );
  }
  const entry = Object.entries(definition.types).find(
    ([name, type]) => name === call.type || (type.aliases ?? []).includes(call.type),
  );
  const served = Object.keys(definition.types).join(", ");
  if (!entry) {
    throw notFound(
      `plugin ${definition.name} does not serve type ${JSON.stringify(call.type)}`,
      `Types served: ${served}.`,
    );
  }
  const [name, type] = entry;
  const impl = type.capabilities[call.capability as CapabilityKind];
  if (!impl) {
    const offered = Object.keys(type.capabilities).join(", ");
    throw notFound(`type ${name} has no ${call.capability} capability`, `${name} offers: ${offered}.`);
  }
  return impl;
}

function notFound(message: string, hint: string): OcmError {
  return new OcmError({ code: "OCM_RPC_NOT_FOUND", message, hint });
}
