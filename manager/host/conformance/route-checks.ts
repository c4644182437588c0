// Checks of the capability routes a plugin declares: a smoke request where one can be made without real
// data, a malformed request (400 with a JSON error body) and an unknown operation (404).
import {
  OPERATIONS,
  capabilityRoute,
  wireErrorSchema,
  type CapabilitiesDocument,
  type CapabilityKind,
  type OperationSpec,
} from "../../../core/index.js";
import { answerJson, sendPluginRequest, type Endpoint, type PluginAnswer } from "./plugin-http.js";
import type { CheckRecorder } from "./conformance-report.js";

/** Requests that any implementation can answer for a bare `{type}` spec (possibly with a domain error). */
const SMOKE: Partial<Record<CapabilityKind, { operation: string; request: (type: string) => unknown }>> = {
  componentLister: { operation: "listComponents", request: (type) => ({ repository: { type } }) },
  componentVersionRepository: {
    operation: "listComponentVersions",
    request: (type) => ({ repository: { type }, component: "ocm.software/plugin-verify" }),
  },
  credentialRepository: { operation: "consumerIdentity", request: (type) => ({ config: { type } }) },
  consumerIdentity: { operation: "consumerIdentity", request: (type) => ({ spec: { type } }) },
};

/** A route's address and the secret to send. */
export interface RouteTarget {
  endpoint: Endpoint;
  secret: string;
}

function fieldOf(issue: { path: PropertyKey[] } | undefined): string {
  return issue?.path.length ? issue.path.map(String).join(".") : "(root)";
}

/** Throws unless `answer` is a non-2xx with a contract error body; returns `status code`. */
export function expectErrorBody(answer: PluginAnswer, what: string): string {
  const parsed = wireErrorSchema.safeParse(answerJson(answer, what));
  if (!parsed.success) {
    throw new Error(
      `${what}: status ${answer.status}, error body field ${fieldOf(parsed.error.issues[0])}: ${parsed.error.issues[0]?.message}`,
    );
  }
  return `${answer.status} ${parsed.data.code}`;
}

async function checkSmoke(
  target: RouteTarget,
  capability: CapabilityKind,
  type: string,
  recorder: CheckRecorder,
) {
  const smoke = SMOKE[capability];
  const name = `smoke ${capability} ${type}`;
  if (!smoke) {
    recorder.skip(name, "no request can be made without real data for this capability");
    return;
  }
  const spec = (OPERATIONS[capability] as Record<string, OperationSpec>)[smoke.operation] as OperationSpec;
  await recorder.run(name, async () => {
    const path = capabilityRoute(capability, type, spec.route);
    const answer = await sendPluginRequest(target.endpoint, {
      method: "POST",
      path,
      secret: target.secret,
      body: smoke.request(type),
    });
    const what = `${smoke.operation} (${path})`;
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = spec.response.safeParse(answerJson(answer, what));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${what}: response body field ${fieldOf(issue)}: ${issue?.message ?? "invalid"}`);
      }
      return `${smoke.operation} answered ${answer.status} with a valid body`;
    }
    const error = expectErrorBody(answer, what);
    if (answer.status >= 500)
      throw new Error(`${what}: internal error ${error} on a request that needs no data`);
    return `${smoke.operation} answered ${error} (a bare {type} spec; the error body is valid)`;
  });
}

async function checkMalformed(
  target: RouteTarget,
  capability: CapabilityKind,
  type: string,
  recorder: CheckRecorder,
) {
  const operations = Object.entries(OPERATIONS[capability] as Record<string, OperationSpec>).filter(
    ([, op]) => op.kind !== "upload",
  );
  const first = operations[0];
  const name = `malformed ${capability} ${type}`;
  if (!first) {
    recorder.skip(name, `the contract defines no JSON operations for ${capability} yet`);
    return;
  }
  const [operation, spec] = first;
  await recorder.run(name, async () => {
    const path = capabilityRoute(capability, type, spec.route);
    const results: string[] = [];
    for (const [label, body] of [
      ["a body missing required fields", {}],
      ["a body that is not JSON", "{not json"],
    ] as const) {
      const answer = await sendPluginRequest(target.endpoint, {
        method: "POST",
        path,
        secret: target.secret,
        body,
      });
      const what = `${operation} with ${label}`;
      if (answer.status !== 400)
        throw new Error(`${what}: expected status 400, got ${answer.status}: ${answer.body.slice(0, 120)}`);
      results.push(expectErrorBody(answer, what));
    }
    return results.join(", ");
  });
}

/** Runs the route checks for every (type, capability) the document declares, plus an unknown operation. */
export async function checkRoutes(
  target: RouteTarget,
  document: CapabilitiesDocument,
  recorder: CheckRecorder,
): Promise<void> {
  for (const [type, capabilities] of Object.entries(document.type)) {
    for (const capability of capabilities) {
      await checkSmoke(target, capability, type, recorder);
      await checkMalformed(target, capability, type, recorder);
    }
  }
  const [type, capabilities] = Object.entries(document.type)[0] ?? [];
  const capability = capabilities?.[0];
  if (!type || !capability) return;
  await recorder.run("unknown operation", async () => {
    const path = capabilityRoute(capability, type, "no-such-operation");
    const answer = await sendPluginRequest(target.endpoint, {
      method: "POST",
      path,
      secret: target.secret,
      body: {},
    });
    if (answer.status !== 404) throw new Error(`${path}: expected status 404, got ${answer.status}`);
    return expectErrorBody(answer, path);
  });
}
