// Events through Redis Streams (issue #13 item 7, adr/0008-events.md): the outbox forwards each event to
// one stream; every handler plugin has its own consumer group, so identical consumers on several hosts
// share one plugin's events. An entry is acknowledged (XACK) only after the handler succeeded; entries a
// dead consumer held are taken over with XAUTOCLAIM once idle for `minIdleMs`.
import type { Redis } from "ioredis";
import {
  OcmError,
  ocmEventSchema,
  routeEvent,
  type CapabilityProvider,
  type OcmEvent,
} from "../../../core/index.js";
import type { EventSettings } from "../config/event-scopes.js";
import { deliverEvent, type HandlerPlugin } from "./deliver-event.js";
import type { Outbox } from "./outbox.js";

export interface RedisTarget {
  url: string;
  stream: string;
}

/** Connects without retrying forever: a stopped server is an error naming it, not a hang. */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new OcmError({
      code: "OCM_EVENT_BROKER_UNREACHABLE",
      message: `cannot reach Redis at ${url.replace(/\/\/[^@/]*@/, "//***@")}: ${(error as Error).message}`,
      hint: "Start the Redis server or fix redis.url in the events config; the events stay in the local outbox until then.",
      cause: error,
    });
  }
  return client;
}

/** Moves every outbox record into the stream (XADD, then remove): at least once, never lost. */
export async function forwardToRedis(outbox: Outbox, target: RedisTarget): Promise<number> {
  if (!(await outbox.hasRecords())) return 0;
  const unlock = await outbox.lock();
  if (!unlock) return 0;
  let forwarded = 0;
  try {
    const records = await outbox.records();
    if (!records.length) return 0;
    const client = await connectRedis(target.url);
    try {
      for (const record of records) {
        await client.xadd(target.stream, "*", "id", record.event.id, "event", JSON.stringify(record.event));
        await outbox.remove(record);
        forwarded++;
      }
    } finally {
      client.disconnect();
    }
    return forwarded;
  } finally {
    await unlock();
  }
}

export interface ConsumeOptions {
  target: RedisTarget;
  /** This consumer's name in each group; unique per process (host name and pid by default). */
  consumer: string;
  handlers: HandlerPlugin[];
  settings: EventSettings;
  provider: CapabilityProvider;
  /** Entries pending this long at another consumer are taken over. */
  minIdleMs: number;
  /** Entries read per call. */
  count: number;
  /** Stop once no group has new or pending entries. */
  drain: boolean;
  signal?: AbortSignal;
  /** Called after each entry is acknowledged or fails. */
  onEntry?: (entry: { plugin: string; id: string; event?: OcmEvent; ok: boolean; error?: string }) => void;
}

type StreamEntry = [string, string[]];

/** Reads the handlers' groups until stopped (or drained); returns how many entries were acknowledged. */
export async function consumeStream(options: ConsumeOptions): Promise<number> {
  const { target, consumer } = options;
  const client = await connectRedis(target.url);
  let acked = 0;
  try {
    for (const handler of options.handlers) {
      await client.xgroup("CREATE", target.stream, handler.id, "0", "MKSTREAM").catch((error: Error) => {
        if (!error.message.includes("BUSYGROUP")) throw error;
      });
    }
    while (!options.signal?.aborted) {
      let seen = 0;
      for (const handler of options.handlers) {
        const group = handler.id;
        const claimed = (await client.xautoclaim(
          target.stream,
          group,
          consumer,
          options.minIdleMs,
          "0-0",
          "COUNT",
          options.count,
        )) as [string, StreamEntry[]];
        const reply = (await client.xreadgroup(
          "GROUP",
          group,
          consumer,
          "COUNT",
          options.count,
          "BLOCK",
          100,
          "STREAMS",
          target.stream,
          ">",
        )) as [string, StreamEntry[]][] | null;
        const entries = [...claimed[1], ...(reply?.[0]?.[1] ?? [])].filter((entry) => entry[1]);
        seen += entries.length;
        for (const [id, fields] of entries) {
          if (options.signal?.aborted) break;
          if (await handleEntry(client, options, handler, id, fields)) acked++;
        }
      }
      if (options.drain && seen === 0 && (await pendingCount(client, target.stream, options.handlers)) === 0)
        break;
      if (options.drain && seen === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.disconnect();
  }
  return acked;
}

async function handleEntry(
  client: Redis,
  options: ConsumeOptions,
  handler: HandlerPlugin,
  id: string,
  fields: string[],
): Promise<boolean> {
  const { target, settings } = options;
  const raw = fields[fields.indexOf("event") + 1];
  const parsed = ocmEventSchema.safeParse(raw === undefined ? undefined : JSON.parse(raw));
  if (!parsed.success) {
    // Not an event of ours: acknowledge it so it does not block the group forever.
    await client.xack(target.stream, handler.id, id);
    options.onEntry?.({ plugin: handler.id, id, ok: false, error: "not an ocm event" });
    return false;
  }
  const event = parsed.data;
  const pending = (await client.xpending(target.stream, handler.id, id, id, 1)) as [
    string,
    string,
    number,
    number,
  ][];
  const deliveries = pending[0]?.[3] ?? 1;
  try {
    for (const scope of routeEvent(event, handler.subscribed, settings.plugins[handler.id])) {
      await deliverEvent(options.provider, handler, event, scope, settings.deliveryTimeoutMs);
    }
  } catch (error) {
    const message = (error as Error).message;
    if (deliveries >= settings.maxAttempts) {
      await client.xadd(
        `${target.stream}:dead`,
        "*",
        "plugin",
        handler.id,
        "id",
        event.id,
        "error",
        message,
        "event",
        raw as string,
      );
      await client.xack(target.stream, handler.id, id);
    }
    options.onEntry?.({ plugin: handler.id, id, event, ok: false, error: message });
    return false;
  }
  await client.xack(target.stream, handler.id, id);
  options.onEntry?.({ plugin: handler.id, id, event, ok: true });
  return true;
}

async function pendingCount(client: Redis, stream: string, handlers: HandlerPlugin[]): Promise<number> {
  let total = 0;
  for (const handler of handlers) {
    const summary = (await client.xpending(stream, handler.id)) as [number, ...unknown[]];
    total += Number(summary[0]);
  }
  return total;
}
