// Events routed to a handler plugin through the durable outbox (#13 item 4): a Python handler that is
// first absent, then crashing, then healthy gets exactly the events of every run, none lost; dead letters
// are listed and replayed by `ocm plugin events retry`.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventsSetup, type ListedEntry } from "../helpers/events.js";

interface StatusDeadLetters {
  plugin: string;
  count: number;
  events: { id: string; type: string; plugin: string; scope: string; attempts: number; lastError?: string }[];
}

const statusDeadLetters = async (run: Awaited<ReturnType<typeof eventsSetup>>["run"]) => {
  const result = await run("plugin", "status", "-o", "json");
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { deadLetters: StatusDeadLetters[] }).deadLetters;
};

const listed = async (run: Awaited<ReturnType<typeof eventsSetup>>["run"]) => {
  const result = await run("plugin", "events", "list", "-o", "json");
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { pending: ListedEntry[]; deadLetters: ListedEntry[] };
};

describe("events through the local outbox (#13)", () => {
  it("keeps events for an absent handler, retries a crashing one into dead letters, and delivers exactly the missing events once it is healthy", async () => {
    const setup = await eventsSetup(
      [
        "type: generic.config.ocm.software/v1",
        "configurations:",
        "  - type: events.config.ocm.software/v1",
        "    maxAttempts: 2",
        "    deliveryTimeout: 20s",
        "    plugins:",
        "      event_log: {}",
        "",
      ].join("\n"),
    );
    const { run, home } = setup;

    // Absent: the handler is not installed; the command succeeds and the outbox keeps both events.
    const first = await run(
      "add",
      "cv",
      "--create",
      "--repository",
      "./archive",
      "--constructor",
      await setup.constructor("one.yaml", ["acme.org/a", "acme.org/b"]),
    );
    expect(first.exitCode, first.stderr).toBe(0);
    let state = await listed(run);
    expect(state.pending.map((e) => [e.subject.component, e.plugin, e.attempts])).toEqual([
      ["acme.org/a", "event_log", 0],
      ["acme.org/b", "event_log", 0],
    ]);
    expect(await setup.logged()).toEqual([]);

    // Crashing: installed, but it exits while handling. The add still succeeds; every waiting event
    // counts one attempt per run, and the second run makes them dead letters.
    await setup.installHandler();
    await writeFile(`${setup.log}.crash`, "");
    const second = await run(
      "add",
      "cv",
      "--repository",
      "./archive",
      "--constructor",
      await setup.constructor("two.yaml", ["acme.org/c"]),
    );
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain("event handler event_log failed");
    state = await listed(run);
    expect(state.pending.map((e) => e.attempts)).toEqual([1, 1, 1]);
    const read = await run("get", "cv", "./archive//acme.org/a");
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stderr).toContain("ocm plugin events retry");
    state = await listed(run);
    expect(state.pending).toEqual([]);
    expect(state.deadLetters.map((e) => [e.subject.component, e.attempts])).toEqual([
      ["acme.org/a", 2],
      ["acme.org/b", 2],
      ["acme.org/c", 2],
    ]);
    const dead = state.deadLetters.map((e) => e.id);
    expect(await setup.logged()).toEqual([]);

    // `ocm plugin status` shows the same dead letters, per plugin, and leaves them where they are.
    const status = await statusDeadLetters(run);
    expect(status.map((d) => [d.plugin, d.count])).toEqual([["event_log", 3]]);
    expect(status[0]?.events.map((e) => e.id)).toEqual(dead);
    for (const event of status[0]?.events ?? []) {
      expect(event).toMatchObject({
        type: "componentVersion.added",
        plugin: "event_log",
        scope: "*",
        attempts: 2,
      });
      expect(event.lastError).toBeTruthy();
    }
    const table = await run("plugin", "status");
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/event_log\s+3/);
    expect((await listed(run)).deadLetters.map((e) => e.id)).toEqual(dead);

    // Healthy: a new event goes straight through; the dead letters wait for `events retry`.
    await rm(`${setup.log}.crash`);
    const third = await run(
      "add",
      "cv",
      "--repository",
      "./archive",
      "--constructor",
      await setup.constructor("three.yaml", ["acme.org/d"]),
    );
    expect(third.exitCode, third.stderr).toBe(0);
    expect((await setup.logged()).map((e) => e.subject.component)).toEqual(["acme.org/d"]);
    const retry = await run("plugin", "events", "retry");
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(retry.stdout).toContain("3 dead letters queued again; delivered 3");

    const events = await setup.logged();
    expect(events.map((e) => e.subject.component).sort()).toEqual([
      "acme.org/a",
      "acme.org/b",
      "acme.org/c",
      "acme.org/d",
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events.filter((e) => dead.includes(e.id))).toHaveLength(3);
    for (const event of events) {
      expect(event.type).toBe("componentVersion.added");
      expect(event.scope).toBe("*");
      expect(event.subject.repository?.filePath).toBe(join(home, "archive"));
    }
    expect(await listed(run)).toEqual({ pending: [], deadLetters: [] });
    expect(await statusDeadLetters(run)).toEqual([]);
  }, 240_000);
});
