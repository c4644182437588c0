// The events of one ocm command (adr/0008-events.md): operations publish into the durable outbox while the
// command runs; when it ends, what the outbox holds is delivered (or forwarded to Redis). A failure here
// is a warning on stderr: the operation has already succeeded and its exit code stays.
import type { Writable } from "node:stream";
import { isAbsolute, resolve } from "node:path";
import { publicRepositorySpec, type EventDraft, type EventPublisher, type OcmEvent } from "../core/index.js";
import type { PluginManager } from "../index.js";
import {
  createOutbox,
  defaultOutboxDir,
  dispatchEvents,
  eventSettingsOf,
  forwardToRedis,
  loadOcmConfig,
  type EventSettings,
  type Outbox,
} from "../manager/index.js";

export interface EventSession {
  publisher: EventPublisher;
  /** Delivers what is pending; prints one warning line per failing plugin. Never throws. */
  finish(manager: () => PluginManager, stderr: Writable): Promise<void>;
}

/** The events config and the outbox of this user. */
export async function loadEventSetup(
  configFile: string | undefined,
): Promise<{ settings: EventSettings; outbox: Outbox }> {
  const config = await loadOcmConfig(configFile ? { path: configFile } : {});
  return { settings: eventSettingsOf(config), outbox: createOutbox(defaultOutboxDir()) };
}

/** Whether anyone would receive events: the config names a handler plugin or a Redis stream. */
function wanted(settings: EventSettings): boolean {
  return settings.redis !== undefined || Object.keys(settings.plugins).length > 0;
}

let delivered = false;

/**
 * A command that delivered the outbox itself (`events retry`), or must leave it as it is (`events list`),
 * marks it, so the end of the command does not deliver.
 */
export function markDelivered(): void {
  delivered = true;
}

export function createEventSession(configFile: string | undefined): EventSession {
  let setup: ReturnType<typeof loadEventSetup> | undefined;
  const problems: string[] = [];
  const load = () => (setup ??= loadEventSetup(configFile));
  return {
    publisher: {
      async publish(draft: EventDraft): Promise<OcmEvent | undefined> {
        try {
          const { settings, outbox } = await load();
          if (!wanted(settings)) return undefined;
          return await outbox.publish(withPublicRepository(draft));
        } catch (error) {
          problems.push(`event ${draft.type} not recorded: ${(error as Error).message}`);
          return undefined;
        }
      },
    },
    async finish(manager, stderr) {
      try {
        for (const problem of problems) stderr.write(`Warning: ${problem}\n`);
        if (delivered) {
          delivered = false;
          return;
        }
        // One directory listing when nothing waits: the config is read only when something does.
        if (!(await createOutbox(defaultOutboxDir()).hasRecords())) return;
        const { settings, outbox } = await load();
        if (!wanted(settings)) return;
        if (settings.redis) {
          await forwardToRedis(outbox, settings.redis);
          return;
        }
        const m = manager();
        const summary = await dispatchEvents({ outbox, settings, provider: m, plugins: () => m.list() });
        for (const failure of summary.failures) {
          stderr.write(`Warning: event handler ${failure.plugin} failed: ${failure.message}\n`);
        }
        if (summary.retrying) {
          stderr.write(
            `Warning: ${summary.retrying} event deliveries wait for a later ocm run (\`ocm plugin events list\`)\n`,
          );
        }
        if (summary.deadLettered) {
          stderr.write(
            `Warning: ${summary.deadLettered} event deliveries ran out of attempts (\`ocm plugin events retry\` replays them)\n`,
          );
        }
      } catch (error) {
        stderr.write(`Warning: events were not delivered: ${(error as Error).message}\n`);
      }
    },
  };
}

/** The subject's repository without credentials, and with a relative CTF path made absolute. */
function withPublicRepository(draft: EventDraft): EventDraft {
  const repository = draft.subject.repository;
  const source = draft.data?.source as ({ type: string } & Record<string, unknown>) | undefined;
  return {
    ...draft,
    subject: { ...draft.subject, ...(repository ? { repository: publicSpec(repository) } : {}) },
    ...(draft.data
      ? { data: { ...draft.data, ...(source?.type ? { source: publicSpec(source) } : {}) } }
      : {}),
  };
}

function publicSpec(repository: { type: string } & Record<string, unknown>) {
  const spec = publicRepositorySpec(repository);
  if (typeof spec.filePath === "string" && !isAbsolute(spec.filePath)) spec.filePath = resolve(spec.filePath);
  return spec;
}
