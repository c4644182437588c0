// Events routed to eventHandler plugins (issue #13, adr/0008-events.md): the event types, the event as it
// crosses the wire, and the one operation that delivers it with the scope's configuration.
import * as z from "zod";
import { typedSpecSchema } from "./common.js";

/** Every event type a handler can subscribe to. */
export const EVENT_TYPES = [
  "componentVersion.added",
  "componentVersion.transferred",
  "componentVersion.signed",
  "componentVersion.verified",
  "plugin.installed",
  "plugin.uninstalled",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const eventTypeSchema = z.enum(EVENT_TYPES);

/** The normalised digest of a component version, as a signature stores it. */
export const eventDigestSchema = z.object({
  hashAlgorithm: z.string().min(1),
  normalisationAlgorithm: z.string().min(1),
  value: z.string().min(1),
});

/** What an event is about. The repository spec never carries credentials. */
export const eventSubjectSchema = z.object({
  repository: typedSpecSchema.optional(),
  component: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  digest: eventDigestSchema.optional(),
  /** For `plugin.*` events: the plugin's id and version. */
  plugin: z.object({ id: z.string().min(1), version: z.string().optional() }).optional(),
});

export const ocmEventSchema = z
  .object({
    /** Unique per event and stable across redeliveries: a handler drops an id it has seen. */
    id: z.string().min(1),
    type: eventTypeSchema,
    /** When the operation committed, RFC 3339 UTC. */
    time: z.string().min(1),
    subject: eventSubjectSchema,
    /** Type-specific facts: `componentVersion.verified` has `{ok, signature, message?}`; `.transferred` has `source`. */
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ title: "OCM event" });

export type OcmEvent = z.infer<typeof ocmEventSchema>;
export type EventSubject = z.infer<typeof eventSubjectSchema>;

/** The scope an event was routed through: its pattern (`*` when the plugin has none) and its config. */
export const eventScopeSchema = z.object({
  name: z.string().min(1),
  config: z.unknown().optional(),
});

/**
 * eventHandler: the route's type is the handler's own type name (e.g. `Notify/v1`). The host posts one
 * event per call; answering 2xx acknowledges it, anything else (an error, a crash, the bound passing) makes
 * the host deliver it again on a later run, so the same `id` may arrive more than once.
 */
export const eventHandlerOperations = {
  handleEvent: {
    kind: "json",
    route: "handle-event",
    request: z.object({ event: ocmEventSchema, scope: eventScopeSchema }),
    response: z.looseObject({}),
  },
} as const;
