// What `ocm transfer` and `ocm add cv` need of a repository plugin (#11), each step named when it fails:
// a sized upload (content-length) and a chunked one (size unknown) stored whole, the blob read back byte
// for byte, a component version added and read back, "not there" answered with the code the host acts on,
// and request fields the plugin does not know ignored.
import { createHash, randomBytes } from "node:crypto";
import {
  BLOB_CONTENT_TYPE,
  BLOB_HEADER,
  OPERATIONS,
  REQUEST_HEADER,
  capabilityRoute,
  decodeHeaderJson,
  encodeHeaderJson,
  wireErrorSchema,
  type CapabilityKind,
  type OperationSpec,
} from "../../../core/index.js";
import { answerJson, sendPluginRequest, type PluginAnswer } from "./plugin-http.js";
import type { RouteTarget } from "./route-checks.js";
import { SkipCheck } from "./conformance-report.js";

/** A request field no plugin knows: plugins must ignore fields they do not know (protocol minor versions). */
export const UNKNOWN_FIELD = { ocmVerifyUnknownField: { added: "in a later protocol version" } };

const MEDIA_TYPE = "application/octet-stream";

/** Thrown when the plugin refuses the spec verify made up: the check is skipped, not failed. */
class SpecRefused extends SkipCheck {}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function errorOf(answer: PluginAnswer): { code: string; message: string } | undefined {
  try {
    const parsed = wireErrorSchema.safeParse(JSON.parse(answer.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function describe(answer: PluginAnswer): string {
  const error = errorOf(answer);
  return error ? `${answer.status} ${error.code}: ${error.message.slice(0, 160)}` : `${answer.status}`;
}

function parseBody(spec: OperationSpec, answer: PluginAnswer, what: string): unknown {
  const parsed = spec.response.safeParse(answerJson(answer, what));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${what}: response field ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return parsed.data;
}

interface Caller {
  target: RouteTarget;
  capability: CapabilityKind;
  type: string;
}

function post(
  caller: Caller,
  operation: string,
  body: unknown,
  extra: Partial<Parameters<typeof sendPluginRequest>[1]> = {},
) {
  return sendPluginRequest(caller.target.endpoint, {
    method: "POST",
    path: capabilityRoute(caller.capability, caller.type, operation),
    secret: caller.target.secret,
    body,
    timeoutMs: 30_000,
    ...extra,
  });
}

/** Uploads `bytes` (with content-length, or chunked); returns the answer. */
function upload(caller: Caller, operation: string, request: unknown, bytes: Buffer, chunked: boolean) {
  return post(caller, operation, bytes, {
    chunked,
    headers: { "content-type": BLOB_CONTENT_TYPE, [REQUEST_HEADER]: encodeHeaderJson(request) },
  });
}

/** Reads a blob and checks its framing: a valid ocm-blob header and as many bytes as it states. */
function downloaded(answer: PluginAnswer, spec: OperationSpec, what: string): Buffer {
  if (answer.status !== 200) throw new Error(`${what} answered ${describe(answer)}`);
  const header = answer.headers[BLOB_HEADER];
  let info: unknown;
  try {
    info = typeof header === "string" ? decodeHeaderJson(header) : undefined;
  } catch {
    info = undefined;
  }
  const parsed = spec.response.safeParse(info);
  if (!parsed.success) throw new Error(`${what}: the ${BLOB_HEADER} header is missing or invalid`);
  const size = (parsed.data as { size?: number }).size;
  if (size !== undefined && size !== answer.bytes.byteLength)
    throw new Error(
      `${what}: the ${BLOB_HEADER} header says ${size} bytes, the body had ${answer.bytes.byteLength}`,
    );
  return answer.bytes;
}

const CHUNKED_CAUSE =
  "the plugin reads content-length bodies only; a blob of unknown size (ocm add cv, resources copied by value) " +
  'comes with transfer-encoding: chunked: read chunked request bodies (docs/plugin-authors.md, "Connections ' +
  'and bodies") or refuse them with 411 and an error body';

/** componentVersionRepository: the calls `ocm transfer` and `ocm add cv` make, against `repository`. */
export async function checkRepositoryRoundTrip(
  target: RouteTarget,
  type: string,
  repository: Record<string, unknown>,
) {
  const caller: Caller = { target, capability: "componentVersionRepository", type };
  const ops = OPERATIONS.componentVersionRepository;
  const component = "ocm.software/plugin-verify";
  const version = `0.0.0-verify.${randomBytes(4).toString("hex")}`;
  const ref = { repository, component, version };
  const notes: string[] = [];

  // 1. A sized upload, as transfer sends a local blob: content-length, digest and size announced.
  const sized = randomBytes(192 * 1024 + 7);
  const first = await upload(
    caller,
    ops.addLocalBlob.route,
    { ...ref, mediaType: MEDIA_TYPE, digest: sha256(sized), size: sized.byteLength },
    sized,
    false,
  );
  if (first.status >= 400 && first.status < 500 && first.status !== 401) {
    throw new SpecRefused(
      `add-local-blob with the spec ${JSON.stringify(repository)} answered ${describe(first)}; pass a repository spec verify may write to with --spec '${type}=<json>'`,
    );
  }
  if (first.status !== 200) throw new Error(`add-local-blob (content-length) answered ${describe(first)}`);
  const stored = parseBody(ops.addLocalBlob, first, "add-local-blob") as {
    localReference: string;
    size: number;
    digest: string;
  };
  if (stored.size !== sized.byteLength || stored.digest !== sha256(sized))
    throw new Error(
      `add-local-blob stored ${stored.size} bytes (${stored.digest}) of ${sized.byteLength} sent with content-length`,
    );

  // 2. Read back byte for byte, with a field the plugin does not know in the request.
  const back = downloaded(
    await post(caller, ops.getLocalBlob.route, {
      ...ref,
      localReference: stored.localReference,
      ...UNKNOWN_FIELD,
    }),
    ops.getLocalBlob,
    "get-local-blob (with an unknown request field)",
  );
  if (!back.equals(sized))
    throw new Error(`get-local-blob returned other bytes than were stored (${back.byteLength} bytes)`);

  // 3. An upload of unknown size: transfer-encoding: chunked.
  const unsized = randomBytes(96 * 1024 + 3);
  const chunked = await upload(
    caller,
    ops.addLocalBlob.route,
    { ...ref, mediaType: MEDIA_TYPE },
    unsized,
    true,
  ).catch((error: Error) => {
    throw new Error(`add-local-blob (chunked): the connection broke (${error.message}); ${CHUNKED_CAUSE}`);
  });
  if (chunked.status === 200) {
    const answer = parseBody(ops.addLocalBlob, chunked, "add-local-blob (chunked)") as {
      size: number;
      digest: string;
    };
    if (answer.size !== unsized.byteLength || answer.digest !== sha256(unsized))
      throw new Error(
        `add-local-blob stored ${answer.size} of ${unsized.byteLength} bytes sent with transfer-encoding: chunked: ${CHUNKED_CAUSE}`,
      );
    notes.push("uploads with content-length and chunked stored whole");
  } else if (errorOf(chunked)) {
    notes.push(`refuses uploads of unknown size (${describe(chunked)}): ocm add cv cannot use it`);
  } else {
    throw new Error(
      `add-local-blob (chunked) answered ${chunked.status} without an error body; ${CHUNKED_CAUSE}`,
    );
  }

  // 4. A component version that references the blob, added and read back; listed among the versions.
  const descriptor = {
    meta: { schemaVersion: "v2" },
    component: {
      name: component,
      version,
      provider: { name: "ocm.software" },
      repositoryContexts: [],
      resources: [
        {
          name: "blob",
          version,
          type: "blob",
          relation: "local",
          access: { type: "localBlob", localReference: stored.localReference, mediaType: MEDIA_TYPE },
          digest: {
            hashAlgorithm: "SHA-256",
            normalisationAlgorithm: "genericBlobDigest/v1",
            value: stored.digest.slice(7),
          },
        },
      ],
      sources: [],
      componentReferences: [],
    },
  };
  const added = await post(caller, ops.addComponentVersion.route, {
    repository,
    descriptor,
    ...UNKNOWN_FIELD,
  });
  if (added.status !== 200)
    throw new Error(`add-component-version (with an unknown request field) answered ${describe(added)}`);
  const got = await post(caller, ops.getComponentVersion.route, ref);
  if (got.status !== 200)
    throw new Error(`get-component-version of the version just added answered ${describe(got)}`);
  const read = parseBody(ops.getComponentVersion, got, "get-component-version") as {
    descriptor: typeof descriptor;
  };
  if (read.descriptor.component.name !== component || read.descriptor.component.version !== version)
    throw new Error(
      `get-component-version returned ${read.descriptor.component.name}:${read.descriptor.component.version}`,
    );
  const listed = await post(caller, ops.listComponentVersions.route, { repository, component });
  const versions =
    listed.status === 200
      ? (parseBody(ops.listComponentVersions, listed, "list-component-versions") as { versions: string[] })
          .versions
      : [];
  if (!versions.includes(version))
    throw new Error(`list-component-versions does not list ${version} just added (${describe(listed)})`);

  // 5. "Not there": transfer and lookups act on OCM_REPOSITORY_NOT_FOUND only (or a 404 on a read).
  const absent = await post(caller, ops.getComponentVersion.route, { ...ref, version: `${version}-absent` });
  const absentError = errorOf(absent);
  if (absent.status < 300)
    throw new Error("get-component-version of a version that does not exist answered 200");
  const notFound =
    absentError?.code === "OCM_REPOSITORY_NOT_FOUND" ||
    (absent.status === 404 && absentError?.code !== "OCM_RPC_NOT_FOUND");
  if (!notFound || !absentError) {
    throw new Error(
      `get-component-version of a version that does not exist answered ${describe(absent)}; transfer and lookups take only ` +
        'OCM_REPOSITORY_NOT_FOUND (or HTTP 404 with an error body) as "not there": answer 404 OCM_REPOSITORY_NOT_FOUND',
    );
  }
  return `${notes.join("; ")}; blob read back byte for byte; a version added, read back and listed; unknown request fields ignored; a missing version is ${describe(absent).split(":")[0]}`;
}

/** resourceRepository: a resource uploaded (chunked: its size is not announced) and downloaded again. */
export async function checkResourceRoundTrip(
  target: RouteTarget,
  type: string,
  access: Record<string, unknown>,
) {
  const caller: Caller = { target, capability: "resourceRepository", type };
  const ops = OPERATIONS.resourceRepository;
  const bytes = randomBytes(64 * 1024 + 5);
  const resource = { name: "plugin-verify", version: "1.0.0", type: "blob", relation: "external", access };
  const added = await upload(
    caller,
    ops.addResource.route,
    { resource, mediaType: MEDIA_TYPE, ...UNKNOWN_FIELD },
    bytes,
    true,
  ).catch((error: Error) => {
    throw new Error(`add-resource (chunked): the connection broke (${error.message}); ${CHUNKED_CAUSE}`);
  });
  if (added.status >= 400 && added.status < 500 && added.status !== 401 && errorOf(added)) {
    throw new SpecRefused(
      `add-resource with the access ${JSON.stringify(access)} answered ${describe(added)}; pass an access spec with --spec '${type}=<json>'`,
    );
  }
  if (added.status !== 200)
    throw new Error(`add-resource (chunked, with an unknown request field) answered ${describe(added)}`);
  const stored = (
    parseBody(ops.addResource, added, "add-resource") as {
      resource: { access: unknown; digest?: { value?: string } };
    }
  ).resource;
  const digest = stored.digest?.value;
  if (digest !== undefined && `sha256:${digest}` !== sha256(bytes))
    throw new Error(
      `add-resource stored other bytes than were sent (its digest is ${digest}): ${CHUNKED_CAUSE}`,
    );
  const back = downloaded(
    await post(caller, ops.getResource.route, { resource: stored, ...UNKNOWN_FIELD }),
    ops.getResource,
    "get-resource of the resource add-resource returned",
  );
  return `add-resource read a chunked upload${digest ? " whole (its digest matches)" : ""}; get-resource streamed ${back.byteLength} bytes with a valid ${BLOB_HEADER} header; unknown request fields ignored`;
}
