// The plugin executable's command line: the capabilities document, usage errors and start failures with
// their reserved exit codes.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLUGIN_EXIT, capabilitiesDocumentSchema } from "../../core/index.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { echoExecutable, faultyExecutable, newSecret, runCommand } from "./plugin-process.js";

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("plugin command line", () => {
  it("prints a capabilities document that satisfies the contract schema and exits 0", async () => {
    const result = await runCommand(await echoExecutable(), ["capabilities"]);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith("}\n")).toBe(true);
    const document = capabilitiesDocumentSchema.parse(JSON.parse(result.stdout));
    expect(document).toMatchObject({
      name: "echo",
      version: "1.0.0",
      protocol: "1.0.0",
      type: { "Generated/v1": ["resourceRepository"], "EchoCredentials/v1": ["credentialRepository"] },
      aliases: { "Echo/v1": ["echo"] },
      connection: { status: true, test: true },
    });
  });

  it("prints usage on stderr and exits 64 for an unknown command or malformed arguments", async () => {
    const executable = await echoExecutable();
    for (const args of [
      [],
      ["serve"],
      ["capabilities", "extra"],
      ["server"],
      ["server", "--config"],
      ["server", "--port", "1"],
    ]) {
      const result = await runCommand(executable, args);
      expect(result.code, args.join(" ")).toBe(PLUGIN_EXIT.USAGE);
      expect(result.stderr).toContain("Usage:");
      expect(result.stdout).toBe("");
    }
  });

  it("exits 78 with a log line naming the bad field of an invalid --config", async () => {
    const executable = await echoExecutable();
    const cases: Array<[string, string]> = [
      ["not json", "(root)"],
      [JSON.stringify({ id: "echo", type: "udp", location: "/tmp/x.sock" }), "type"],
      [
        JSON.stringify({ id: "echo", type: "unix", location: "/tmp/x.sock", idleTimeout: "soon" }),
        "idleTimeout",
      ],
      [
        JSON.stringify({ id: "echo", type: "tcp", location: "localhost:80", secret: newSecret() }),
        "location",
      ],
    ];
    for (const [config, field] of cases) {
      const result = await runCommand(executable, ["server", `--config=${config}`]);
      expect(result.code, config).toBe(PLUGIN_EXIT.CONFIG);
      const [line] = logLines(result.stderr);
      expect(line).toMatchObject({ level: "error", field });
      expect(line?.["msg"]).toContain(`field ${field}`);
    }
  });

  it("refuses TCP without a secret with exit 78", async () => {
    const result = await runCommand(await echoExecutable(), [
      "server",
      "--config",
      JSON.stringify({ id: "echo", type: "tcp", location: "127.0.0.1:0" }),
    ]);
    expect(result.code).toBe(PLUGIN_EXIT.CONFIG);
    expect(logLines(result.stderr)[0]).toMatchObject({ field: "secret" });
  });

  it("exits 75 with the init hook's message when init fails, before it listens", async () => {
    const dir = await useTempDir();
    const location = join(dir, "faulty.sock");
    const config = { id: "faulty", type: "unix", location, config: { failInit: "database is on fire" } };
    const result = await runCommand(await faultyExecutable(), ["server", "--config", JSON.stringify(config)]);
    expect(result.code).toBe(PLUGIN_EXIT.INIT);
    expect(result.stdout).toBe("");
    expect(logLines(result.stderr).find((line) => line["level"] === "error")?.["msg"]).toContain(
      "database is on fire",
    );
  });

  it("exits 78 when the plugin's init rejects its own configuration", async () => {
    const dir = await useTempDir();
    const config = { id: "echo", type: "unix", location: join(dir, "echo.sock"), config: { credentials: 5 } };
    const result = await runCommand(await echoExecutable(), ["server", "--config", JSON.stringify(config)]);
    expect(result.code).toBe(PLUGIN_EXIT.CONFIG);
    expect(logLines(result.stderr)[0]).toMatchObject({ code: "OCM_PLUGIN_CONFIG_INVALID" });
    expect(logLines(result.stderr)[0]?.["msg"]).toContain("credentials");
  });

  it("refuses a secret or its own config in --config when they are to come on stdin, with exit 78 (#10)", async () => {
    const dir = await useTempDir();
    const base = { id: "echo", type: "unix", location: join(dir, "echo.sock"), secrets: "stdin" };
    for (const [extra, field] of [
      [{ secret: newSecret() }, "secret"],
      [{ config: { credentials: {} } }, "config"],
    ] as const) {
      const result = await runCommand(
        await echoExecutable(),
        ["server", "--config", JSON.stringify({ ...base, ...extra })],
        undefined,
        `${JSON.stringify({ secret: newSecret() })}\n`,
      );
      expect(result.code, field).toBe(PLUGIN_EXIT.CONFIG);
      expect(logLines(result.stderr)[0]).toMatchObject({ field });
      expect(logLines(result.stderr)[0]?.["msg"]).toContain("must come on stdin");
    }
  });

  it("exits 78 saying why when the secrets line on stdin is missing, not JSON, without a secret or too long (#10)", async () => {
    const config = { id: "echo", type: "tcp", location: "127.0.0.1:0", secrets: "stdin" };
    const cases: Array<[string, string]> = [
      ["", "stdin ended before the secrets line"],
      ["{not json\n", "the secrets line on stdin is not JSON"],
      [`${JSON.stringify({ secret: "short" })}\n`, "field secret"],
      [`${JSON.stringify({ config: {} })}\n`, "field secret"],
      ["x".repeat(1024 * 1024 + 10), "longer than 1048576 bytes"],
    ];
    for (const [input, message] of cases) {
      const result = await runCommand(
        await echoExecutable(),
        ["server", "--config", JSON.stringify(config)],
        undefined,
        input,
      );
      expect(result.code, message).toBe(PLUGIN_EXIT.CONFIG);
      expect(result.stdout, message).toBe("");
      expect(logLines(result.stderr)[0], message).toMatchObject({ code: "OCM_PLUGIN_SECRETS_INVALID" });
      expect(logLines(result.stderr)[0]?.["msg"], message).toContain(message);
    }
  });

  it("exits 69 when it cannot listen on the location", async () => {
    const dir = await useTempDir();
    const config = { id: "echo", type: "unix", location: join(dir, "missing", "echo.sock") };
    const result = await runCommand(await echoExecutable(), ["server", "--config", JSON.stringify(config)]);
    expect(result.code).toBe(PLUGIN_EXIT.LISTEN);
    expect(logLines(result.stderr)[0]?.["msg"]).toContain(config.location);
  });
});
