// Scopes (#13 item 5): per handler plugin, which repositories and components it serves, each scope with
// its own config passed with every event of it; `ocm plugin disable <id> --scope` stops a scope.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { eventsSetup } from "../helpers/events.js";

describe("event scopes (#13)", () => {
  it("gives a handler each matching scope's config, and nothing from a scope it is disabled for", async () => {
    // The scopes name archives inside the test's home by absolute path: the config is written once it exists.
    const setup = await eventsSetup("");
    const { run, home } = setup;
    const config = [
      "type: events.config.ocm.software/v1",
      "plugins:",
      "  event_log:",
      "    scopes:",
      `      - repository: ${join(home, "a")}`,
      "        config: { channel: a }",
      `      - repository: ${join(home, "b")}`,
      "        config: { channel: b }",
      "      - component: acme.org/x",
      "        config: { channel: x }",
      "",
    ].join("\n");
    await writeFile(join(home, ".ocmconfig"), config);
    await setup.installHandler();

    const disabled = await run("plugin", "disable", "event_log", "--scope", "//acme.org/secret");
    expect(disabled.exitCode, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain("disabled event_log for events of scope //acme.org/secret");
    const written = parse(await readFile(join(home, ".ocmconfig"), "utf8")) as {
      type: string;
      plugins: { event_log: { scopes: Record<string, unknown>[] } };
    };
    expect(written.type).toBe("events.config.ocm.software/v1");
    expect(written.plugins.event_log.scopes).toEqual([
      { repository: join(home, "a"), config: { channel: "a" } },
      { repository: join(home, "b"), config: { channel: "b" } },
      { component: "acme.org/x", config: { channel: "x" } },
      { component: "acme.org/secret", disabled: true },
    ]);

    for (const [archive, components] of [
      ["./a", ["acme.org/x"]],
      ["./b", ["acme.org/y", "acme.org/secret"]],
      ["./c", ["acme.org/z"]],
    ] as const) {
      const added = await run(
        "add",
        "cv",
        "--create",
        "--repository",
        archive,
        "--constructor",
        await setup.constructor(`${archive.slice(2)}.yaml`, [...components]),
      );
      expect(added.exitCode, added.stderr).toBe(0);
      expect(added.stderr).toBe("");
    }

    const delivered = (await setup.logged())
      .map((e) => ({ component: e.subject.component, scope: e.scope, config: e.config }))
      .sort((x, y) => `${x.component} ${x.scope}`.localeCompare(`${y.component} ${y.scope}`));
    expect(delivered).toEqual([
      { component: "acme.org/x", scope: "//acme.org/x", config: { channel: "x" } },
      { component: "acme.org/x", scope: join(home, "a"), config: { channel: "a" } },
      { component: "acme.org/y", scope: join(home, "b"), config: { channel: "b" } },
    ]);

    // Enabled again for that scope: the disabled mark goes, the other scopes stay as they were.
    const enabled = await run("plugin", "enable", "event_log", "--scope", "//acme.org/secret");
    expect(enabled.exitCode, enabled.stderr).toBe(0);
    const after = parse(await readFile(join(home, ".ocmconfig"), "utf8")) as typeof written;
    expect(after.plugins.event_log.scopes.at(-1)).toEqual({
      component: "acme.org/secret",
    });
  }, 240_000);
});
