// Which operations publish events (#13 item 4): add, sign and verify each publish theirs after they
// committed, with the subject's digest and verify's result.
import { describe, expect, it } from "vitest";
import { eventsSetup } from "../helpers/events.js";

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
});
