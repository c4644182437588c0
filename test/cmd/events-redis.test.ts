// Events through Redis Streams (#13 item 7): the outbox forwards events to a stream; two consumers share
// the handler plugin's consumer group, and when one is killed mid-batch the other takes over its pending
// entries (XAUTOCLAIM) and handles them: every event is handled, none is left pending.
import { rm, writeFile } from "node:fs/promises";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { eventsSetup } from "../helpers/events.js";
import { startRedis } from "../helpers/redis.js";

const STREAM = "ocm-events-test";

describe("events through Redis Streams (#13)", () => {
  it("hands the entries of a consumer killed mid-batch to the other consumer of the group", async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url);
    try {
      const setup = await eventsSetup(
        [
          "type: events.config.ocm.software/v1",
          `redis: { url: "${redis.url}", stream: ${STREAM} }`,
          "plugins:",
          "  event_log: {}",
          "",
        ].join("\n"),
      );
      await setup.installHandler();
      const components = Array.from({ length: 8 }, (_, i) => `acme.org/c${i}`);
      const added = await setup.run(
        "add",
        "cv",
        "--create",
        "--repository",
        "./archive",
        "--constructor",
        await setup.constructor("all.yaml", components),
      );
      expect(added.exitCode, added.stderr).toBe(0);
      // Forwarded when the command ended: the stream has them, the local outbox is empty.
      const entries = await client.xrange(STREAM, "-", "+");
      expect(entries).toHaveLength(8);
      const ids = entries.map(([, fields]) => fields[fields.indexOf("id") + 1]);
      const listed = await setup.run("plugin", "events", "list", "-o", "json");
      expect(JSON.parse(listed.stdout)).toEqual({ pending: [], deadLetters: [] });

      // Consumer a reads the whole batch and handles slowly; it is killed after two.
      await writeFile(`${setup.log}.slow`, "0.5");
      const a = setup.run(
        "plugin",
        "events",
        "consume",
        "--consumer",
        "a",
        "--count",
        "8",
        "--min-idle",
        "1s",
      );
      const deadline = Date.now() + 60_000;
      while ((await setup.logged()).length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await setup.logged()).length).toBeGreaterThanOrEqual(2);
      a.kill("SIGKILL");
      await a;
      const pendingAtA = (await client.xpending(STREAM, "event_log")) as [
        number,
        string,
        string,
        [string, string][],
      ];
      expect(pendingAtA[0]).toBeGreaterThanOrEqual(5);
      expect(pendingAtA[3]).toEqual([["a", String(pendingAtA[0])]]);

      // Consumer b takes over what a held once it has been idle for a second, and drains the group.
      await rm(`${setup.log}.slow`);
      const b = await setup.run(
        "plugin",
        "events",
        "consume",
        "--consumer",
        "b",
        "--min-idle",
        "1s",
        "--drain",
        "--timeout",
        "60s",
      );
      expect(b.exitCode, b.stderr).toBe(0);
      expect(b.stdout.trim().split("\n").length).toBe(pendingAtA[0]);
      expect(b.stdout).not.toContain("failed");

      const handled = await setup.logged();
      expect(new Set(handled.map((e) => e.id))).toEqual(new Set(ids));
      // At least once: only the entry a was handling when it died may have been handled twice.
      expect(handled.length).toBeLessThanOrEqual(9);
      expect(handled.map((e) => e.subject.component).sort()).toEqual(expect.arrayContaining(components));
      expect((await client.xpending(STREAM, "event_log"))[0]).toBe(0);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  }, 240_000);
});
