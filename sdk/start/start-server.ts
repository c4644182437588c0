// `<plugin> server --config '<json>'`: validate the config, run init, listen, print the ready line, then
// serve until a stop (ADR 0001, "Ready, then healthy" and "Lifecycle of one external plugin").
import { createServer } from "node:http";
import { toOcmError } from "../../core/errors.js";
import type { PluginDefinition } from "../../core/plugin-definition.js";
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import type { ReadyLine } from "../../core/protocol/ready.js";
import { SECRETS_ON_STDIN } from "../../core/protocol/server-config.js";
import { PROTOCOL_VERSION } from "../../core/protocol/version.js";
import { PluginExit } from "../cli/plugin-exit.js";
import { log } from "../log.js";
import { createRequestHandler } from "../serve/handle-request.js";
import { markServerProcess } from "../server-process.js";
import { createStopper } from "../stop/stop-server.js";
import { createActivity } from "../watch/activity.js";
import { watchParent } from "../watch/parent-watch.js";
import { listenOn } from "./listen.js";
import { readServerConfig, withSecrets } from "./read-config.js";
import { readSecretsLine } from "./read-secrets.js";

/** Error codes an init hook throws to say its configuration is wrong (exit 78 rather than 75). */
const CONFIG_ERROR_CODES = new Set(["OCM_PLUGIN_CONFIG_INVALID", "OCM_CONFIG_INVALID"]);

/** Starts serving `definition`; resolves once the ready line is printed. Start failures throw PluginExit. */
export async function startServer(definition: PluginDefinition, configText: string): Promise<void> {
  let settings = readServerConfig(configText);
  // Read before the parent watch starts reading stdin: the first line is the secret, not noise.
  if (settings.config.secrets === SECRETS_ON_STDIN) {
    settings = withSecrets(settings, await readSecretsLine(process.stdin));
  }
  const { config, target } = settings;
  markServerProcess();
  log.level = config.logLevel ?? "info";
  keepServingOnStrayErrors();

  const server = createServer({ requestTimeout: 0 });
  // The host closes idle connections itself (its pool's keep-alive timeout), and a stop closes them here;
  // a server-side keep-alive timer would be re-armed on every answer for nothing.
  server.keepAliveTimeout = 0;
  const activity = createActivity(settings.idleMs, () => void stopper.stop("idle timeout"));
  const stopper = createStopper({ server, activity, definition, target });
  // Watched from the start, so a host that dies or gives up during init does not leave the plugin behind.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => (stopper.stopping ? stopper.stopNow(signal) : void stopper.stop(signal)));
  }
  watchParent(config.parentPid, (reason) => void stopper.stop(reason));

  await runInit(definition, config.config);
  if (stopper.stopping) return;
  server.on(
    "request",
    createRequestHandler({
      definition,
      id: config.id,
      secret: config.secret,
      activity,
      stopping: () => stopper.stopping,
      requestStop: (reason) => void stopper.stop(reason),
    }),
  );
  const location = await listenOn(server, target);
  server.on("error", (error) => log.error("server error", { err: error }));

  const ready: ReadyLine = { event: "ready", location, protocol: PROTOCOL_VERSION, pid: process.pid };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  log.info("listening", { id: config.id, location, idleTimeoutMs: settings.idleMs });
  activity.start();
}

async function runInit(definition: PluginDefinition, pluginConfig: unknown): Promise<void> {
  try {
    await definition.init?.(pluginConfig);
  } catch (thrown) {
    const error = toOcmError(thrown, "OCM_PLUGIN_INIT_FAILED");
    const exitCode = CONFIG_ERROR_CODES.has(error.code) ? PLUGIN_EXIT.CONFIG : PLUGIN_EXIT.INIT;
    throw new PluginExit(exitCode, `init failed: ${error.message}`, {
      code: error.code,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
}

/** A bug in plugin code outside a request (a timer, an unhandled stream error) is logged, not fatal. */
function keepServingOnStrayErrors(): void {
  process.on("uncaughtException", (error) => log.error("uncaught exception", { err: error }));
  process.on("unhandledRejection", (reason) => log.error("unhandled rejection", { err: reason }));
}
