// Actions (issue #17 item 4, adr/0010-actions.md): named things a plugin does on a user's behalf, each with
// a JSON Schema for its input, run through one operation whose answer is a stream of JSON lines.
import * as z from "zod";
import { typedSpecSchema, wireErrorSchema } from "./common.js";

/** An action name: lower-case words joined by `-` (`prepare-repository`, `list-consumers`). */
export const actionNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
  message: "must be lower-case letters, digits and -, e.g. list-consumers",
});

/** What a plugin declares about one action in its capabilities document. */
export const actionDeclarationSchema = z
  .object({
    description: z.string().optional().meta({ description: "One line for `ocm plugin action <id>`." }),
    schema: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: "JSON Schema of the action's `data`; the host refuses data that breaks it." }),
    repository: z.boolean().optional().meta({
      description:
        "The action works on a repository the user names (`--repository`): the host sends its spec, and its credentials when the repository is of a type this plugin declares.",
    }),
  })
  .meta({ title: "An action a plugin offers" });

export type ActionDeclaration = z.infer<typeof actionDeclarationSchema>;

/** The scope an action runs in: a scope of the plugin in the ocm config (adr/0008-events.md), or `*`. */
export const actionScopeSchema = z.object({
  name: z.string().min(1),
  config: z.unknown().optional(),
});

/** The media type of an action's answer: one JSON object per line. */
export const ACTION_ANSWER_MEDIA_TYPE = "application/x-ndjson";

/**
 * action: the route's type is a type of the plugin that declares actions under it. One operation, `run`:
 * a JSON request; the answer body is a stream of JSON lines (progress, then one result or error line), so
 * the host can show progress while the action runs. The `ocm-blob` header is optional on this route.
 */
export const actionOperations = {
  run: {
    kind: "download",
    route: "run",
    request: z.object({
      action: actionNameSchema,
      /** The user's input, already checked against the action's schema. `{}` when none was given. */
      data: z.unknown(),
      scope: actionScopeSchema,
      /** The repository the user named, for an action declared with `repository: true`. */
      repository: typedSpecSchema.optional(),
    }),
    response: z.looseObject({ mediaType: z.string().optional() }).optional(),
  },
} as const;

/** A line of an action's answer: progress while it runs, then a result or an error, the last line. */
export const actionLineSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("progress"),
      message: z.string(),
      data: z.unknown().optional(),
    }),
    z.object({
      type: z.literal("result"),
      /** False when the action ran but its answer is negative (a check failed): the CLI exits 1. */
      ok: z.boolean().optional(),
      message: z.string().optional(),
      data: z.unknown().optional(),
    }),
    wireErrorSchema.extend({ type: z.literal("error") }),
  ])
  .meta({ title: "One line of an action's answer (NDJSON)" });

export type ActionLine = z.infer<typeof actionLineSchema>;
export type ActionProgress = Extract<ActionLine, { type: "progress" }>;
export type ActionResultLine = Extract<ActionLine, { type: "result" }>;
