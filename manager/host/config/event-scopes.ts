// The `events.config.ocm.software/v1` entry of the ocm config (issue #13 items 4, 5, 7): per handler plugin
// the event types and scopes it serves with each scope's config, the delivery bounds, and an optional Redis
// stream. `ocm plugin enable|disable <id> --scope <pattern>` edits it in place (comments kept).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { z } from "zod";
import {
  EVENT_TYPES,
  OcmError,
  parseDuration,
  parseScopeName,
  scopeName,
  type EventScope,
  type HandlerRouting,
} from "../../../core/index.js";
import { configEntryIn, ensureMap } from "./config-document.js";
import { GENERIC_CONFIG_TYPES, type OcmConfig } from "./load-config.js";

export const EVENTS_CONFIG_TYPES = ["events.config.ocm.software/v1", "events.config.ocm.software"] as const;

/** Event settings from the config file; later entries win, per plugin as a whole. */
export interface EventSettings {
  /** Attempts per event and handler scope before it becomes a dead letter. Default 5. */
  maxAttempts: number;
  /** Bound on one delivery, ms. Default 10 s. */
  deliveryTimeoutMs: number;
  /** When set, the outbox forwards events to this Redis stream instead of delivering them itself. */
  redis?: { url: string; stream: string };
  plugins: Record<string, HandlerRouting>;
}

const durationSchema = z.union([z.string().min(1), z.number().int().nonnegative()]);

const scopeSchema = z.strictObject({
  repository: z.string().min(1).optional(),
  component: z.string().min(1).optional(),
  config: z.unknown().optional(),
  disabled: z.boolean().optional(),
});

const entrySchema = z.strictObject({
  type: z.enum(EVENTS_CONFIG_TYPES),
  maxAttempts: z.number().int().positive().optional(),
  deliveryTimeout: durationSchema.optional(),
  redis: z
    .strictObject({ url: z.string().regex(/^rediss?:\/\//), stream: z.string().min(1).optional() })
    .optional(),
  plugins: z
    .record(
      z.string().min(1),
      z.strictObject({
        events: z.array(z.enum(EVENT_TYPES)).optional(),
        scopes: z.array(scopeSchema).optional(),
      }),
    )
    .optional(),
});

/** Reads every events entry of a loaded config (`entries` keeps the types the loader does not know). */
export function eventSettingsOf(config: OcmConfig): EventSettings {
  const settings: EventSettings = { maxAttempts: 5, deliveryTimeoutMs: 10_000, plugins: {} };
  config.entries.forEach((entry, index) => {
    const type = (entry as { type?: unknown }).type;
    if (!(EVENTS_CONFIG_TYPES as readonly unknown[]).includes(type)) return;
    const parsed = entrySchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = [index, ...(issue?.path ?? [])].map(String).join(".");
      throw new OcmError({
        code: "OCM_CONFIG_INVALID",
        message: `config file ${config.path ?? "(none)"}: events entry, field ${field}: ${issue?.message ?? "invalid"}`,
        hint:
          "An events.config.ocm.software/v1 entry accepts maxAttempts, deliveryTimeout, redis {url, stream} and " +
          "plugins (per plugin id: events, scopes [{repository, component, config, disabled}]).",
        details: { field },
      });
    }
    const value = parsed.data;
    if (value.maxAttempts !== undefined) settings.maxAttempts = value.maxAttempts;
    if (value.deliveryTimeout !== undefined)
      settings.deliveryTimeoutMs = parseDuration(value.deliveryTimeout);
    if (value.redis) settings.redis = { url: value.redis.url, stream: value.redis.stream ?? "ocm-events" };
    for (const [id, routing] of Object.entries(value.plugins ?? {})) {
      settings.plugins[id] = routing as HandlerRouting;
    }
  });
  return settings;
}

/**
 * Enables or disables plugin `id` for one scope (`<repository glob>[//<component glob>]`) in the config
 * file, creating the file or the events entry when missing. Returns the scopes the plugin has afterwards.
 */
export async function setScopeEnabled(
  file: string,
  id: string,
  scope: string,
  enabled: boolean,
): Promise<EventScope[]> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const doc = text.trim()
    ? parseDocument(text)
    : new Document({ type: GENERIC_CONFIG_TYPES[0], configurations: [] });
  const entry = configEntryIn(doc, EVENTS_CONFIG_TYPES);
  const plugins = ensureMap(entry, "plugins");
  const plugin = ensureMap(plugins, id);
  let scopes = plugin.get("scopes") as YAMLSeq | undefined;
  if (!isSeq(scopes)) {
    scopes = doc.createNode([]) as YAMLSeq;
    plugin.set("scopes", scopes);
  }
  const patterns = parseScopeName(scope);
  const existing = scopes.items.find((item) => {
    const json = (isMap(item) ? item.toJSON() : {}) as EventScope;
    return json.repository === patterns.repository && json.component === patterns.component;
  }) as YAMLMap | undefined;
  if (existing) {
    if (enabled) existing.delete("disabled");
    else existing.set("disabled", true);
  } else {
    scopes.add(doc.createNode({ ...patterns, ...(enabled ? {} : { disabled: true }) }));
  }
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, doc.toString(), { mode: 0o600 });
  await rename(temp, file);
  return (scopes.toJSON() as EventScope[]).map((s) => ({ ...s, name: scopeName(s) }));
}
