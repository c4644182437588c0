// The SDK side of actions (adr/0010-actions.md): plain functions in, the action capability out. Each run's
// answer is a stream of JSON lines: progress as the function reports it, then its result or its error.
import type { ActionRunner } from "../../core/capabilities/action.js";
import { OcmError, toOcmError } from "../../core/errors.js";
import {
  ACTION_ANSWER_MEDIA_TYPE,
  type ActionDeclaration,
  type ActionLine,
} from "../../core/protocol/actions.js";
import type { Blob, CallOptions, TypedSpec } from "../../core/protocol/common.js";

/** What an action's function gets besides its data. */
export interface ActionContext {
  /** The scope it runs in: `*`, or a scope of the plugin in the ocm config with that scope's config. */
  scope: { name: string; config?: unknown };
  /** The repository the user named, for an action declared with `repository: true`. */
  repository?: TypedSpec | undefined;
  /** The repository's credentials, when the host resolved some for it. */
  credentials?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Sends one progress line to the host at once. */
  progress(message: string, data?: unknown): void;
}

/** What an action's function answers: its result, and `ok: false` when the answer is negative. */
export interface ActionOutcome {
  ok?: boolean;
  message?: string;
  data?: unknown;
}

/** One action: its declaration (description, input schema) and the function that runs it. */
export interface ActionDefinition extends ActionDeclaration {
  run(data: unknown, context: ActionContext): Promise<ActionOutcome> | ActionOutcome;
}

/** An empty chunk after each line: the SDK's server sends a chunk once the next one arrives. */
const FLUSH = new Uint8Array(0);

/**
 * Builds the action capability and the declarations of `actions`: put `runner` under `capabilities.action`
 * and `declarations` under `actions` of the same type.
 */
export function createActions(actions: Record<string, ActionDefinition>): {
  runner: ActionRunner;
  declarations: Record<string, ActionDeclaration>;
} {
  const declarations = Object.fromEntries(
    Object.entries(actions).map(([name, { run: _run, ...declaration }]) => [name, declaration]),
  );
  const runner: ActionRunner = {
    run: async (request, options?: CallOptions): Promise<Blob> => {
      const action = actions[request.action];
      if (!action) {
        throw new OcmError({
          code: "OCM_ACTION_NOT_FOUND",
          message: `no action ${JSON.stringify(request.action)}`,
          hint: `Actions: ${Object.keys(actions).join(", ") || "none"}.`,
        });
      }
      return {
        mediaType: ACTION_ANSWER_MEDIA_TYPE,
        content: runLines(action, request.data, {
          scope: request.scope,
          repository: request.repository,
          credentials: options?.credentials,
          signal: options?.signal,
        }),
      };
    },
  };
  return { runner, declarations };
}

/** Runs the action, yielding its lines as they come. */
async function* runLines(
  action: ActionDefinition,
  data: unknown,
  context: Omit<ActionContext, "progress">,
): AsyncGenerator<Uint8Array> {
  const queue: ActionLine[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const push = (line: ActionLine) => {
    if (done) return;
    queue.push(line);
    wake?.();
  };
  const progress = (message: string, extra?: unknown) =>
    push({ type: "progress", message, ...(extra === undefined ? {} : { data: extra }) });
  void Promise.resolve()
    .then(() => action.run(data, { ...context, progress }))
    .then(
      (outcome) => push({ type: "result", ...(outcome ?? {}) }),
      (error: unknown) => push({ type: "error", ...toOcmError(error).toJSON() }),
    )
    .finally(() => {
      done = true;
      wake?.();
    });
  // The server reads two chunks before it sends the headers: these two let them go out before the first
  // line, so a slow first step is bounded as a pause in the body, not as a missing answer.
  yield FLUSH;
  yield FLUSH;
  for (;;) {
    const line = queue.shift();
    if (line) {
      yield new TextEncoder().encode(`${JSON.stringify(line)}\n`);
      yield FLUSH;
    } else if (done) return;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
}
