// `ocm plugin events list|retry|consume`: what the event outbox holds for handler plugins, replaying dead
// letters, and a Redis Streams consumer for the handlers of this host (adr/0008-events.md).
import { hostname } from "node:os";
import type { Command } from "commander";
import { OcmError, parseDuration, redactUrls } from "../../core/index.js";
import {
  consumeStream,
  dispatchEvents,
  handlerPlugins,
  outboxEntriesOf,
  reviveDeadLetters,
  type OutboxEntry,
} from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { loadEventSetup, markDelivered } from "../events.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";

function describeSubject(subject: OutboxEntry["subject"]): string {
  if (subject.plugin) return `plugin ${subject.plugin.id}`;
  const what = [subject.component, subject.version].filter(Boolean).join(":");
  const where = subject.repository
    ? String(subject.repository.filePath ?? subject.repository.baseUrl ?? subject.repository.type)
    : "";
  return [where, what].filter(Boolean).join("//");
}

/** Adds `ocm plugin events` to `ocm plugin`. */
export function registerPluginEventCommands(plugin: Command, context: () => CommandContext): void {
  const events = plugin.command("events").description("events waiting for handler plugins, and dead letters");

  events
    .command("list", { isDefault: true })
    .description("list pending events and dead letters, one row per handler plugin and scope")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (opts: { output: string }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const { outbox } = await loadEventSetup(ctx.configFile());
      const entries = outboxEntriesOf(await outbox.records());
      // Looking is not delivering: the list shows the outbox as it is, and leaves it so.
      markDelivered();
      if (format !== "table") {
        ctx.stdout.write(
          renderData(
            {
              pending: entries.filter((e) => e.state !== "dead"),
              deadLetters: entries.filter((e) => e.state === "dead"),
            },
            format,
          ),
        );
        return;
      }
      if (!entries.length) {
        ctx.stdout.write("no events are waiting\n");
        return;
      }
      const rows = entries.map((e) => [
        e.state,
        e.type,
        describeSubject(e.subject),
        e.plugin ?? "",
        e.scope ?? "",
        e.attempts === undefined ? "" : String(e.attempts),
        e.lastError ?? "",
        e.id,
      ]);
      ctx.stdout.write(
        renderTable(["STATE", "TYPE", "SUBJECT", "PLUGIN", "SCOPE", "ATTEMPTS", "LAST ERROR", "ID"], rows),
      );
    });

  events
    .command("retry")
    .description("deliver the dead letters again (of one plugin, or all), now")
    .option("--plugin <id>", "only the dead letters of this plugin")
    .option("-o, --output <format>", "text, json or yaml", "text")
    .action(async (opts: { plugin?: string; output: string }) => {
      const format = opts.output === "text" ? "text" : parseOutputFormat(opts.output, ["json", "yaml"]);
      const ctx = context();
      const { outbox, settings } = await loadEventSetup(ctx.configFile());
      const revived = await reviveDeadLetters(outbox, opts.plugin);
      const manager = ctx.manager();
      const summary = settings.redis
        ? undefined
        : await dispatchEvents({ outbox, settings, provider: manager, plugins: () => manager.list() });
      markDelivered();
      const result = { requeued: revived, ...summary };
      if (format !== "text") {
        ctx.stdout.write(renderData(result, format as "json" | "yaml"));
      } else {
        ctx.stdout.write(
          `${revived} dead letter${revived === 1 ? "" : "s"} queued again; delivered ${summary?.delivered ?? 0}` +
            `, ${summary?.retrying ?? 0} wait for a later run, ${summary?.deadLettered ?? 0} dead again\n`,
        );
      }
      for (const failure of summary?.failures ?? []) {
        ctx.stderr.write(`Warning: event handler ${failure.plugin} failed: ${failure.message}\n`);
      }
    });

  events
    .command("consume")
    .description(
      "handle events from the Redis stream of the events config with the handler plugins of this host",
    )
    .option("--consumer <name>", "this consumer's name in each plugin's group (default: <host>-<pid>)")
    .option("--plugin <id>", "serve only this handler plugin (repeatable)", (v, p: string[] = []) => [
      ...p,
      v,
    ])
    .option("--min-idle <duration>", "take over entries another consumer has held this long", "30s")
    .option("--count <n>", "entries read at a time", "10")
    .option("--drain", "exit once no group has new or pending entries")
    .option("--timeout <duration>", "exit after this long")
    .action(
      async (opts: {
        consumer?: string;
        plugin?: string[];
        minIdle: string;
        count: string;
        drain?: boolean;
        timeout?: string;
      }) => {
        const ctx = context();
        const { settings } = await loadEventSetup(ctx.configFile());
        if (!settings.redis) {
          throw new OcmError({
            code: "OCM_USAGE_INVALID",
            message: "the events config names no Redis stream",
            hint: "Add `redis: {url: redis://<host>:<port>}` to the events.config.ocm.software/v1 entry of the ocm config.",
          });
        }
        const manager = ctx.manager();
        const known = handlerPlugins(await manager.list());
        const ids = opts.plugin ?? Object.keys(settings.plugins);
        const handlers = ids.map((id) => {
          const handler = known.get(id);
          if (!handler || handler.state !== "ok") {
            throw new OcmError({
              code: "OCM_PLUGIN_NOT_FOUND",
              message: `no usable eventHandler plugin ${JSON.stringify(id)} on this host`,
              hint: "Install it (`ocm plugin install`), enable it, or leave it out with --plugin.",
            });
          }
          return handler;
        });
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
        const timer = opts.timeout ? setTimeout(stop, parseDuration(opts.timeout)) : undefined;
        try {
          await consumeStream({
            target: settings.redis,
            consumer: opts.consumer ?? `${hostname()}-${process.pid}`,
            handlers,
            settings,
            provider: manager,
            minIdleMs: parseDuration(opts.minIdle),
            count: Number(opts.count),
            drain: opts.drain === true,
            signal: controller.signal,
            onEntry: (entry) =>
              ctx.stdout.write(
                `${entry.plugin} ${entry.id} ${entry.event?.id ?? ""} ${entry.event?.type ?? ""} ${
                  entry.ok ? "ok" : `failed: ${redactUrls(entry.error ?? "")}`
                }\n`,
              ),
          });
        } finally {
          clearTimeout(timer);
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
        }
      },
    );
}
