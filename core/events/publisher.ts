// What the operations hand their events to: they publish after a version is committed and never learn
// where the events go (the host's durable outbox, a broker) nor wait for any handler.
import type { EventSubject, EventType, OcmEvent } from "../protocol/events.js";

/** An event before it gets its id and time. */
export interface EventDraft {
  type: EventType;
  subject: EventSubject;
  data?: Record<string, unknown>;
}

/** Receives the events of an operation. `publish` records the event durably or throws; it never delivers. */
export interface EventPublisher {
  publish(event: EventDraft): Promise<OcmEvent | undefined>;
}

/** Field names a repository spec may carry secrets in; dropped from every event subject. */
const SECRET_FIELDS = /^(credentials?|password|token|secret|auth|accessToken|identityToken|username)$/i;

/**
 * The repository spec an event may carry: without credential fields and without user info in URLs, so an
 * event can be shown, logged and sent to any handler.
 */
export function publicRepositorySpec(spec: { type: string } & Record<string, unknown>): {
  type: string;
} & Record<string, unknown> {
  const out: { type: string } & Record<string, unknown> = { type: spec.type };
  for (const [key, value] of Object.entries(spec)) {
    if (key === "type" || SECRET_FIELDS.test(key)) continue;
    out[key] = typeof value === "string" ? value.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, "$1") : value;
  }
  return out;
}
