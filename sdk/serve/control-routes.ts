// The control routes every plugin serves besides its capabilities: health, status and test-connection.
import type { IncomingMessage } from "node:http";
import { OcmError } from "../../core/errors.js";
import { validate } from "../../core/invoke.js";
import type { PluginDefinition } from "../../core/plugin-definition.js";
import {
  connectionStatusSchema,
  testConnectionRequestSchema,
  testConnectionResultSchema,
  type CallOptions,
  type ConnectionStatus,
  type Health,
  type TestConnectionResult,
} from "../../core/protocol/common.js";
import { PROTOCOL_VERSION } from "../../core/protocol/version.js";
import { readJsonBody } from "./read-request.js";

/** `GET /v1/health`. */
export function health(definition: PluginDefinition, id: string): Health {
  return {
    status: "ok",
    id,
    pid: process.pid,
    protocol: PROTOCOL_VERSION,
    name: definition.name,
    ...(definition.version === undefined ? {} : { version: definition.version }),
  };
}

/** `GET /v1/status`: the plugin's connection status, `unknown` when it has no hook for it. */
export async function connectionStatus(definition: PluginDefinition): Promise<ConnectionStatus> {
  if (!definition.connectionStatus) return { status: "unknown" };
  const status: unknown = await definition.connectionStatus();
  return validate(connectionStatusSchema, status, "OCM_RPC_BAD_RESPONSE", "invalid connection status");
}

/** `POST /v1/test-connection`: tries a spec through the plugin's hook, with the call's credentials. */
export async function testConnection(
  definition: PluginDefinition,
  req: IncomingMessage,
  options: CallOptions = {},
): Promise<TestConnectionResult> {
  if (!definition.testConnection) {
    throw new OcmError({
      code: "OCM_RPC_NOT_FOUND",
      message: `plugin ${definition.name} does not test connections`,
      hint: "Its capabilities document says connection.test: false.",
    });
  }
  const request = validate(
    testConnectionRequestSchema,
    await readJsonBody(req),
    "OCM_RPC_BAD_REQUEST",
    "invalid test-connection request",
  );
  const result: unknown = await definition.testConnection(request, options);
  return validate(
    testConnectionResultSchema,
    result,
    "OCM_RPC_BAD_RESPONSE",
    "invalid test-connection result",
  );
}
