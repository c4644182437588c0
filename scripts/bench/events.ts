// Benchmark of events (issue 13): how fast operations record events in the outbox, beside the bare
// write + rename of the same bytes, and how many events per second the end-of-command dispatch delivers to
// the Python event_log handler over its socket, one acknowledged call per event. Median of 3 rounds.
import { randomUUID } from "node:crypto";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { copyFile, mkdir } from "node:fs/promises";
import {
  createOutbox,
  createPluginManager,
  dispatchEvents,
  type EventSettings,
} from "../../manager/index.js";
import { type Row, median, printRows } from "./report.js";

const EVENTS = 300;
const ROUNDS = 3;
const HANDLER = resolve("test/fixtures/plugins/events/event_log.py");

const draft = (i: number) => ({
  type: "componentVersion.added" as const,
  subject: {
    repository: { type: "CommonTransportFormat/v1", filePath: "/tmp/bench/archive" },
    component: "acme.org/bench-events",
    version: `1.0.${i}`,
  },
});

export async function benchEvents(): Promise<Row[]> {
  const work = await mkdtemp(join(tmpdir(), "ocm-bench-events-"));
  const plugins = join(work, "plugins");
  await mkdir(plugins);
  await copyFile(HANDLER, join(plugins, "event_log.py"));
  process.env["EVENT_LOG"] = join(work, "events.log");
  const settings: EventSettings = { maxAttempts: 5, deliveryTimeoutMs: 10_000, plugins: { event_log: {} } };
  const manager = createPluginManager({ pluginDirs: [plugins], cacheFile: false, handleSignals: false });
  const publish: number[] = [];
  const bare: number[] = [];
  const deliver: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(work, `outbox-${round}`);
      const outbox = createOutbox(dir);
      let start = performance.now();
      for (let i = 0; i < EVENTS; i++) await outbox.publish(draft(i));
      publish.push(performance.now() - start);

      const plain = join(work, `bare-${round}`);
      await mkdir(plain);
      start = performance.now();
      for (let i = 0; i < EVENTS; i++) {
        const file = join(plain, `${i}.json`);
        await writeFile(`${file}.tmp`, JSON.stringify({ event: { id: randomUUID(), ...draft(i) } }));
        await rename(`${file}.tmp`, file);
      }
      bare.push(performance.now() - start);

      start = performance.now();
      const summary = await dispatchEvents({
        outbox,
        settings,
        provider: manager,
        plugins: () => manager.list(),
      });
      deliver.push(performance.now() - start);
      if (summary.delivered !== EVENTS) throw new Error(`delivered ${summary.delivered} of ${EVENTS} events`);
    }
  } finally {
    await manager.close();
    await rm(work, { recursive: true, force: true });
  }
  const rate = (ms: number) => (EVENTS / ms) * 1000;
  const rows: Row[] = [
    {
      name: `record ${EVENTS} events in the outbox`,
      value: rate(median(publish)),
      unit: "events/s",
      baseline: rate(median(bare)),
      baselineName: "bare writeFile + rename",
      higherIsBetter: true,
    },
    {
      name: `deliver ${EVENTS} events to the Python event_log handler (first round starts it)`,
      value: rate(median(deliver)),
      unit: "events/s",
      higherIsBetter: true,
    },
  ];
  printRows("events: outbox and delivery to a handler", rows);
  return rows;
}
