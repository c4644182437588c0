// Delivers what the outbox holds (adr/0008-events.md): at the end of the ocm command that recorded events
// and on later runs. At least once: a record is rewritten after each delivery, so a crash in between
// delivers that event again, never loses it. Never throws for a handler's failure; it reports it.
import { EVENT_TYPES, routeEvent, type CapabilityProvider, type OcmEvent } from "../../../core/index.js";
import type { EventSettings } from "../config/event-scopes.js";
import type { RegistryEntry } from "../registry/registry.js";
import { deliverEvent, type HandlerPlugin } from "./deliver-event.js";
import type { DeliveryState, Outbox, OutboxRecord } from "./outbox.js";

export interface DispatchSummary {
  delivered: number;
  /** Targets that failed in this run and wait for a later one (attempts left). */
  retrying: number;
  /** Targets that ran out of attempts in this run. */
  deadLettered: number;
  /** Targets whose plugin is not installed, broken or disabled: kept, no attempt counted. */
  waiting: number;
  /** The first error of each plugin that failed, for one line per plugin on stderr. */
  failures: { plugin: string; message: string }[];
  /** True when another ocm process was dispatching: nothing was done. */
  busy?: boolean;
}

export interface DispatchOptions {
  outbox: Outbox;
  settings: EventSettings;
  provider: CapabilityProvider;
  /** The plugins the registry knows (`manager.list()`). */
  plugins: () => Promise<RegistryEntry[]>;
}

/** Usable eventHandler plugins by id, from the registry entries. */
export function handlerPlugins(entries: RegistryEntry[]): Map<string, HandlerPlugin & { state: string }> {
  const out = new Map<string, HandlerPlugin & { state: string }>();
  for (const entry of entries) {
    const types = Object.entries(entry.document?.type ?? {}).filter(([, kinds]) =>
      kinds.includes("eventHandler"),
    );
    const [first] = types;
    if (!first) continue;
    out.set(entry.id, {
      id: entry.id,
      type: first[0],
      subscribed: entry.document?.events?.[first[0]] ?? [],
      state: entry.state,
    });
  }
  return out;
}

/** Who gets `event`: each handler plugin and scope, fixed at the first dispatch after it was recorded. */
export function targetsOf(
  event: OcmEvent,
  handlers: Map<string, HandlerPlugin & { state: string }>,
  settings: EventSettings,
): Record<string, DeliveryState> {
  const targets: Record<string, DeliveryState> = {};
  // Only the plugins the config names: an installed handler sees no events until the config says so.
  for (const id of Object.keys(settings.plugins)) {
    const handler = handlers.get(id);
    if (handler?.state === "disabled") continue;
    // A plugin the config names but that is not installed (yet) keeps its events until it is.
    const subscribed = handler && handler.state === "ok" ? handler.subscribed : EVENT_TYPES;
    for (const scope of routeEvent(event, subscribed, settings.plugins[id])) {
      targets[`${id} ${scope.name}`] = { plugin: id, scope, attempts: 0 };
    }
  }
  return targets;
}

export async function dispatchEvents(options: DispatchOptions): Promise<DispatchSummary> {
  const { outbox, settings } = options;
  const summary: DispatchSummary = { delivered: 0, retrying: 0, deadLettered: 0, waiting: 0, failures: [] };
  if (!(await outbox.hasRecords())) return summary;
  const unlock = await outbox.lock();
  if (!unlock) return { ...summary, busy: true };
  try {
    const handlers = handlerPlugins(await options.plugins());
    const records = await outbox.records();
    let saving = Promise.resolve();
    const save = (record: OutboxRecord) => {
      saving = saving.then(() =>
        Object.keys(record.targets ?? {}).length ? outbox.save(record) : outbox.remove(record),
      );
      return saving;
    };
    for (const record of records) {
      if (record.targets) continue;
      record.targets = targetsOf(record.event, handlers, settings);
      await save(record);
    }
    // Per plugin, in event order; plugins side by side, so one slow handler does not hold up the others.
    const byPlugin = new Map<string, { record: OutboxRecord; key: string; state: DeliveryState }[]>();
    for (const record of records) {
      for (const [key, state] of Object.entries(record.targets ?? {})) {
        if (state.dead) continue;
        const list = byPlugin.get(state.plugin) ?? [];
        list.push({ record, key, state });
        byPlugin.set(state.plugin, list);
      }
    }
    await Promise.all(
      [...byPlugin].map(async ([id, work]) => {
        const handler = handlers.get(id);
        if (!handler || handler.state !== "ok") {
          summary.waiting += work.length;
          return;
        }
        let down: string | undefined;
        for (const { record, key, state } of work) {
          if (down === undefined) {
            try {
              await deliverEvent(
                options.provider,
                handler,
                record.event,
                state.scope,
                settings.deliveryTimeoutMs,
              );
              delete record.targets?.[key];
              summary.delivered++;
              await save(record);
              continue;
            } catch (error) {
              down = (error as Error).message;
              summary.failures.push({ plugin: id, message: down });
            }
          }
          // The plugin failed in this run: every event still waiting for it counts this run as an attempt.
          state.attempts++;
          state.lastError = down;
          if (state.attempts >= settings.maxAttempts) {
            state.dead = true;
            summary.deadLettered++;
          } else summary.retrying++;
          await save(record);
        }
      }),
    );
    await saving;
    return summary;
  } finally {
    await unlock();
  }
}

/** Makes every dead letter (of one plugin, or all) pending again with fresh attempts. Returns how many. */
export async function reviveDeadLetters(outbox: Outbox, plugin?: string): Promise<number> {
  let count = 0;
  for (const record of await outbox.records()) {
    let changed = false;
    for (const state of Object.values(record.targets ?? {})) {
      if (!state.dead || (plugin !== undefined && state.plugin !== plugin)) continue;
      delete state.dead;
      state.attempts = 0;
      changed = true;
      count++;
    }
    if (changed) await outbox.save(record);
  }
  return count;
}
