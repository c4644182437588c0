// Seed 000's TestConnection for OCI registries (distribution spec): `/v2/` answers, the registry accepts the
// call's credentials (or anonymous access), and, only when asked to (`write`), a blob upload may be started
// in the repository's namespace; the upload is cancelled at once, so nothing is stored.
import type {
  CallOptions,
  ConnectionCheck,
  TestConnectionRequest,
  TestConnectionResult,
} from "../../core/index.js";
import { clientFor, componentRepository, parseOciSpec, type OciSpec } from "./repository-spec.js";
import type { RegistryClient } from "./distribution/registry-client.js";

/** The component whose repository the push check starts an upload in: inside the spec's sub path. */
const PROBE_COMPONENT = "ocm.software/test-connection";

/** What the prepare-repository action adds: the component to probe, and each check as it completes. */
export interface ProbeOptions {
  /** The component whose repository the push check starts an upload in. */
  component?: string | undefined;
  onCheck?: ((check: ConnectionCheck) => void) | undefined;
}

/** Runs the reachable, credentials and push checks against the registry of `request.spec`. */
export async function testOciConnection(
  request: TestConnectionRequest,
  options?: CallOptions,
  probe: ProbeOptions = {},
): Promise<TestConnectionResult> {
  let spec: OciSpec;
  try {
    spec = parseOciSpec(request.spec);
  } catch (error) {
    const reason = (error as Error).message;
    return { ok: false, message: reason, checks: [{ name: "spec", status: "fail", reason }] };
  }
  const client = clientFor(spec.registry, options);
  const checks: ConnectionCheck[] = [];
  const add = (check: ConnectionCheck) => {
    checks.push(check);
    probe.onCheck?.(check);
  };
  const reachable = await checkReachable(client);
  add(reachable);
  if (reachable.status === "fail") {
    add(skipped("credentials"));
    add(skipped("push"));
  } else {
    const credentials = await checkCredentials(client, options);
    add(credentials);
    add(
      credentials.status === "fail"
        ? skipped("push")
        : request.write === true
          ? await checkPush(client, spec, probe.component ?? PROBE_COMPONENT)
          : {
              name: "push",
              status: "skip",
              reason: "not asked for; --write starts and cancels a blob upload",
            },
    );
  }
  const failed = checks.find((check) => check.status === "fail");
  return { ok: failed === undefined, message: failed ? failed.reason : `${spec.where} answers`, checks };
}

const skipped = (name: string): ConnectionCheck => ({
  name,
  status: "skip",
  reason: "not tried: an earlier check failed",
});

async function checkReachable(client: RegistryClient): Promise<ConnectionCheck> {
  const url = client.resolve("/v2/").href;
  try {
    const { status } = await client.ping();
    return {
      name: "reachable",
      status: "pass",
      reason: status === 401 ? `${url} answers and asks for credentials` : `${url} answers`,
    };
  } catch (error) {
    return { name: "reachable", status: "fail", reason: (error as Error).message };
  }
}

/** `GET /v2/` through the client: it answers the registry's challenge with the credentials, as every call does. */
async function checkCredentials(
  client: RegistryClient,
  options: CallOptions | undefined,
): Promise<ConnectionCheck> {
  const user = options?.credentials?.["username"];
  const given = Boolean(
    user || options?.credentials?.["identityToken"] || options?.credentials?.["accessToken"],
  );
  try {
    const answer = await client.send({ method: "GET", path: "/v2/", scopes: [] });
    await answer.body.dump();
    return {
      name: "credentials",
      status: "pass",
      reason: given
        ? `the registry accepts the credentials${user ? ` of user ${user}` : ""}`
        : "the registry accepts calls without credentials",
    };
  } catch (error) {
    const message = (error as Error).message;
    return {
      name: "credentials",
      status: "fail",
      reason: given
        ? `the registry refuses the credentials${user ? ` of user ${user}` : ""}: ${message}`
        : `the registry asks for credentials and none are configured for ${client.registry.host}: ${message}`,
    };
  }
}

/** Starts a blob upload (distribution spec "Pushing blobs", POST) and cancels it (DELETE of its location). */
async function checkPush(client: RegistryClient, spec: OciSpec, component: string): Promise<ConnectionCheck> {
  const repository = componentRepository(spec, component);
  const where = `${spec.registry.host}/${repository}`;
  let location: URL;
  try {
    const started = await client.send({
      method: "POST",
      path: `/v2/${repository}/blobs/uploads/`,
      scopes: [`repository:${repository}:pull,push`],
    });
    await started.body.dump();
    const header = started.headers["location"];
    location = client.resolve(String(Array.isArray(header) ? header[0] : (header ?? started.url)));
  } catch (error) {
    return {
      name: "push",
      status: "fail",
      reason: `a blob upload to ${where} was refused: ${(error as Error).message}`,
    };
  }
  try {
    const cancelled = await client.send({
      method: "DELETE",
      path: location.href,
      scopes: [`repository:${repository}:pull,push`],
      accept: [404, 405],
    });
    await cancelled.body.dump();
  } catch {
    // The registry drops an abandoned upload itself; the push permission is what the check is about.
  }
  return { name: "push", status: "pass", reason: `a blob upload to ${where} was started and cancelled` };
}
