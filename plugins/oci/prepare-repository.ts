// The OCI plugin's prepare-repository action (adr/0010-actions.md): is a registry ready for ocm to push
// component versions to? The same checks as `ocm plugin test --write` (test-connection.ts), each reported
// as it completes, for the repository of one component when it is named.
import { createActions } from "../../sdk/index.js";
import { testOciConnection } from "./test-connection.js";

/** The OCIRegistry/v1 actions. */
export const ociActions = createActions({
  "prepare-repository": {
    description:
      "check that ocm can push to a registry repository: /v2/ answers, the credentials are accepted, a blob upload may be started (and is cancelled at once)",
    repository: true,
    schema: {
      type: "object",
      properties: {
        component: {
          type: "string",
          minLength: 1,
          pattern: "^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$",
          description:
            "the component whose OCI repository is checked (default: ocm.software/test-connection)",
        },
        push: { type: "boolean", description: "false: skip the upload check (default true)" },
      },
      additionalProperties: false,
    },
    run: async (data, context) => {
      const input = data as { component?: string; push?: boolean };
      const repository = context.repository as { type: string };
      const result = await testOciConnection(
        { type: repository.type, spec: repository, write: input.push !== false },
        { credentials: context.credentials, signal: context.signal },
        {
          component: input.component,
          onCheck: (check) => context.progress(`${check.name}: ${check.status}: ${check.reason}`, check),
        },
      );
      return { ok: result.ok, ...(result.message ? { message: result.message } : {}), data: result };
    },
  },
});
