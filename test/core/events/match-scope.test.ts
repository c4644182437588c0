// Which scopes of a handler plugin an event falls into (#13 item 5).
import { describe, expect, it } from "vitest";
import { EVENT_TYPES, globToRegExp, parseScopeName, routeEvent, type OcmEvent } from "../../../core/index.js";

const event = (component: string, repository: Record<string, string>): OcmEvent => ({
  id: "e1",
  type: "componentVersion.added",
  time: "2026-01-01T00:00:00.000Z",
  subject: { repository: { type: "OCIRegistry/v1", ...repository }, component, version: "1.0.0" },
});
const ghcr = event("acme.org/app", { baseUrl: "https://ghcr.io", subPath: "acme/team-a" });

describe("routeEvent (#13)", () => {
  it("gives an event to a plugin without scopes once, as scope *", () => {
    expect(routeEvent(ghcr, EVENT_TYPES)).toEqual([{ name: "*" }]);
  });

  it("gives nothing for an event type the plugin does not subscribe to, or the config narrows away", () => {
    expect(routeEvent(ghcr, ["plugin.installed"])).toEqual([]);
    expect(routeEvent(ghcr, EVENT_TYPES, { events: ["componentVersion.signed"] })).toEqual([]);
  });

  it("gives each matching scope with its config, and nothing for a registry no scope names", () => {
    const routing = {
      scopes: [
        { repository: "ghcr.io/acme/**", config: { channel: "acme" } },
        { component: "acme.org/*", config: { channel: "components" } },
        { repository: "quay.io/**", config: { channel: "quay" } },
      ],
    };
    expect(routeEvent(ghcr, EVENT_TYPES, routing)).toEqual([
      { name: "ghcr.io/acme/**", config: { channel: "acme" } },
      { name: "//acme.org/*", config: { channel: "components" } },
    ]);
    expect(routeEvent(event("other.org/x", { baseUrl: "docker.io" }), EVENT_TYPES, routing)).toEqual([]);
  });

  it("gives nothing when a disabled scope matches, whatever else matches", () => {
    const routing = {
      scopes: [{ repository: "ghcr.io/**" }, { component: "acme.org/app", disabled: true }],
    };
    expect(routeEvent(ghcr, EVENT_TYPES, routing)).toEqual([]);
    expect(
      routeEvent(event("acme.org/lib", { baseUrl: "ghcr.io", subPath: "acme" }), EVENT_TYPES, routing),
    ).toEqual([{ name: "ghcr.io/**" }]);
  });

  it("matches * within a path segment and ** across segments", () => {
    expect(globToRegExp("ghcr.io/*").test("ghcr.io/acme")).toBe(true);
    expect(globToRegExp("ghcr.io/*").test("ghcr.io/acme/team")).toBe(false);
    expect(globToRegExp("ghcr.io/**").test("ghcr.io/acme/team")).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });

  it("reads --scope as <repository>[//<component>]", () => {
    expect(parseScopeName("ghcr.io/acme/**//acme.org/*")).toEqual({
      repository: "ghcr.io/acme/**",
      component: "acme.org/*",
    });
    expect(parseScopeName("//acme.org/secret")).toEqual({ component: "acme.org/secret" });
    expect(parseScopeName("/abs/archive")).toEqual({ repository: "/abs/archive" });
  });
});
