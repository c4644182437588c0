// The outbox as rows, one per event and handler scope it waits for: what `ocm plugin events list` lists and
// `ocm plugin status` counts as dead letters (adr/0008-events.md).
import { redactUrls } from "../../../core/index.js";
import type { OutboxRecord } from "./outbox.js";

/** One event and one handler scope it waits for. */
export interface OutboxEntry {
  id: string;
  type: string;
  time: string;
  subject: OutboxRecord["event"]["subject"];
  /** `new`: not yet routed (the next run decides who gets it). */
  state: "new" | "pending" | "dead";
  plugin?: string;
  scope?: string;
  attempts?: number;
  lastError?: string;
}

/** The rows of the outbox's records, with credentials taken out of each last error. */
export function outboxEntriesOf(records: OutboxRecord[]): OutboxEntry[] {
  return records.flatMap((record): OutboxEntry[] => {
    const { id, type, time, subject } = record.event;
    const base = { id, type, time, subject };
    if (!record.targets) return [{ ...base, state: "new" as const }];
    return Object.values(record.targets).map((target) => ({
      ...base,
      state: target.dead ? ("dead" as const) : ("pending" as const),
      plugin: target.plugin,
      scope: target.scope.name,
      attempts: target.attempts,
      ...(target.lastError ? { lastError: redactUrls(target.lastError) } : {}),
    }));
  });
}
