// `npm run bench`: every benchmark of the project, figures beside bare baselines measured in the same run.
// `npm run bench -- <name>...` runs only the named ones (startup, plugin-host, ctf, transfer, external-repository,
// access, processors, events, remote). Figures are not tests: the bench prints each goal as met or not and fails nothing.
import { benchCtf } from "./ctf.js";
import { benchExternalRepository } from "./external-repository.js";
import { benchPluginHost } from "./plugin-host.js";
import { benchStartup } from "./startup.js";
import { benchTransfer } from "./transfer.js";

const benches: Record<string, () => Promise<unknown>> = {
  startup: benchStartup,
  "plugin-host": benchPluginHost,
  ctf: benchCtf,
  transfer: benchTransfer,
  "external-repository": benchExternalRepository,
  access: async () => (await import("./access.js")).benchAccess(),
  processors: async () => (await import("./processors.js")).benchProcessors(),
  events: async () => (await import("./events.js")).benchEvents(),
  remote: async () => (await import("./remote.js")).benchRemote(),
};
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(benches).join(", ")}`);
  process.exit(64);
}
for (const [name, run] of Object.entries(benches)) {
  if (!chosen.length || chosen.includes(name)) await run();
}
