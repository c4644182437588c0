// Seed 000's control routes: connection status and test-connection, called on a started plugin. What the
// plugin answers is noted in this host's runtime record, so `ocm plugin status` can show it from elsewhere.
import {
  CREDENTIALS_HEADER,
  STATUS_ROUTE,
  TEST_CONNECTION_ROUTE,
  connectionStatusSchema,
  testConnectionRequestSchema,
  testConnectionResultSchema,
  encodeHeaderJson,
  validate,
  type ConnectionStatus,
  type TestConnectionRequest,
  type TestConnectionResult,
} from "../../../core/index.js";
import type { PluginConnection } from "../process/connection.js";
import { hostState } from "../runtime/host-state.js";
import { DEFAULT_MAX_RESPONSE_BYTES, readJsonBody } from "./read-body.js";
import { sendRequest } from "./send-request.js";

/** `GET /v1/status`. */
export async function getConnectionStatus(
  connect: () => Promise<PluginConnection>,
): Promise<ConnectionStatus> {
  let id = "";
  const response = await sendRequest(
    async () => {
      const connection = await connect();
      id = connection.pluginId;
      return connection;
    },
    { method: "GET", path: STATUS_ROUTE, what: "connection status" },
    () => true,
  );
  const status = validate(
    connectionStatusSchema,
    await readJsonBody(response, {
      pluginId: id,
      what: "connection status",
      limit: DEFAULT_MAX_RESPONSE_BYTES,
    }),
    "OCM_RPC_BAD_RESPONSE",
    "invalid status response",
  );
  hostState().noteConnection(id, {
    status: status.status,
    ...(status.message === undefined ? {} : { message: status.message }),
  });
  return status;
}

/** `POST /v1/test-connection`; credentials for the spec's target go in the `ocm-credentials` header. */
export async function testConnection(
  connect: () => Promise<PluginConnection>,
  request: TestConnectionRequest,
  credentials?: Record<string, string>,
): Promise<TestConnectionResult> {
  const body = JSON.stringify(
    validate(testConnectionRequestSchema, request, "OCM_RPC_BAD_REQUEST", "invalid test-connection request"),
  );
  let id = "";
  const response = await sendRequest(
    async () => {
      const connection = await connect();
      id = connection.pluginId;
      return connection;
    },
    {
      method: "POST",
      path: TEST_CONNECTION_ROUTE,
      headers: {
        "content-type": "application/json",
        ...(credentials ? { [CREDENTIALS_HEADER]: encodeHeaderJson(credentials) } : {}),
      },
      body,
      what: "test-connection",
    },
    () => true,
  );
  return validate(
    testConnectionResultSchema,
    await readJsonBody(response, {
      pluginId: id,
      what: "test-connection",
      limit: DEFAULT_MAX_RESPONSE_BYTES,
    }),
    "OCM_RPC_BAD_RESPONSE",
    "invalid test-connection response",
  );
}
