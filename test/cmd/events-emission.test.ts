// Which operations publish events (#13 item 4): add, sign and verify each publish theirs after they
// committed, with the subject's digest and verify's result; transfer publishes one event per version it
// stored in the target, none for a version it skipped; plugin install and uninstall publish theirs.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventsSetup } from "../helpers/events.js";
import { writeEnvCredentialsConstructor } from "../helpers/env-credentials-component.js";

describe("events published by operations (#13)", () => {
  it("delivers componentVersion.added, .signed and .verified with the digest and the result", async () => {
    const setup = await eventsSetup(
      ["type: events.config.ocm.software/v1", "plugins:", "  event_log: {}", ""].join("\n"),
    );
    await setup.installHandler();
    const { run } = setup;
    const steps = [
      [
        "add",
        "cv",
        "--create",
        "--repository",
        "./archive",
        "--constructor",
        await setup.constructor("c.yaml", ["acme.org/a"]),
      ],
      ["create", "rsakeypair", "acme.priv"],
      ["sign", "cv", "./archive//acme.org/a:1.0.0", "--signature", "acme", "--private-key", "acme.priv"],
      ["verify", "cv", "./archive//acme.org/a:1.0.0", "--signature", "acme", "--public-key", "acme.pub"],
    ];
    for (const args of steps) {
      const result = await run(...args);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
    }
    const events = await setup.logged();
    expect(events.map((e) => e.type)).toEqual([
      "componentVersion.added",
      "componentVersion.signed",
      "componentVersion.verified",
    ]);
    const [, signed, verified] = events as [unknown, (typeof events)[number], (typeof events)[number]];
    const digest = (signed.subject as { digest?: { value: string } }).digest;
    expect(digest?.value).toMatch(/^[0-9a-f]{64}$/);
    expect((verified.subject as { digest?: { value: string } }).digest).toEqual(digest);
    expect((verified as unknown as { data: unknown }).data).toEqual({ ok: true, signature: "acme" });
  }, 240_000);

  it("delivers componentVersion.transferred once per version stored in the target, none for a skipped one", async () => {
    const setup = await eventsSetup(
      ["type: events.config.ocm.software/v1", "plugins:", "  event_log: {}", ""].join("\n"),
    );
    const { run, home } = setup;
    const added = await run(
      "add",
      "cv",
      "--create",
      "--repository",
      "./archive",
      "--constructor",
      await setup.constructor("c.yaml", ["acme.org/a", "acme.org/b"]),
    );
    expect(added.exitCode, added.stderr).toBe(0);
    // The handler comes after the add, so the add's events are routed to it too: they are left out below.
    await setup.installHandler();
    const first = await run("transfer", "-q", "./archive", "./target");
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toBe("");
    const transferred = () =>
      setup.logged().then((all) => all.filter((e) => e.type === "componentVersion.transferred"));
    const events = await transferred();
    expect(events.map((e) => [e.subject.component, e.subject.version]).sort()).toEqual([
      ["acme.org/a", "1.0.0"],
      ["acme.org/b", "1.0.0"],
    ]);
    for (const event of events) {
      expect(event.subject.repository?.filePath).toBe(join(home, "target"));
      expect(
        (event as unknown as { data: { source: { filePath?: string }; action: string } }).data,
      ).toMatchObject({
        source: { filePath: join(home, "archive") },
        action: "copied",
      });
    }

    // Everything is there: the second transfer skips both versions and publishes nothing.
    const second = await run("transfer", "-o", "json", "./archive", "./target");
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toBe("");
    const summary = JSON.parse(second.stdout) as { versions: { action: string }[] };
    expect(summary.versions.map((v) => v.action)).toEqual(["skipped", "skipped"]);
    expect(await transferred()).toHaveLength(2);
    const pending = await run("plugin", "events", "list", "-o", "json");
    expect(JSON.parse(pending.stdout)).toEqual({ pending: [], deadLetters: [] });
  }, 240_000);

  it("delivers plugin.installed and plugin.uninstalled for a plugin installed from a CTF", async () => {
    const setup = await eventsSetup(
      ["type: events.config.ocm.software/v1", "plugins:", "  event_log: {}", ""].join("\n"),
    );
    const { run, home } = setup;
    await setup.installHandler();
    await writeEnvCredentialsConstructor(home, "plugin.yaml");
    const added = await run(
      "add",
      "cv",
      "--create",
      "--repository",
      "./plugins-ctf",
      "--constructor",
      "plugin.yaml",
    );
    expect(added.exitCode, added.stderr).toBe(0);
    const steps = [
      ["plugin", "install", "./plugins-ctf//acme.org/plugins/env-credentials:1.0.0"],
      ["plugin", "uninstall", "env-credentials"],
    ];
    for (const args of steps) {
      const result = await run(...args);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
    }
    type PluginEvent = { type: string; subject: Record<string, unknown>; data: Record<string, unknown> };
    const events = (await setup.logged()) as unknown as PluginEvent[];
    const plugin = events.filter((e) => e.type.startsWith("plugin."));
    expect(plugin.map((e) => e.type)).toEqual(["plugin.installed", "plugin.uninstalled"]);
    const [installed, uninstalled] = plugin as [PluginEvent, PluginEvent];
    expect(installed.subject).toMatchObject({
      component: "acme.org/plugins/env-credentials",
      version: "1.0.0",
      plugin: { id: "env-credentials" },
      repository: { filePath: join(home, "plugins-ctf") },
    });
    expect(installed.data).toMatchObject({ status: "installed" });
    expect(uninstalled.subject).toEqual({ plugin: { id: "env-credentials" } });
    expect(uninstalled.data).toEqual({ path: installed.data.path });
  }, 240_000);
});
