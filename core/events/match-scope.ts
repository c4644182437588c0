// Which scopes of a handler plugin an event falls into (issue #13 item 5): a scope names repositories and
// components by glob patterns and carries the configuration the plugin gets with each event of it.
import type { EventSubject, EventType, OcmEvent } from "../protocol/events.js";

/** One scope of a handler plugin, as the ocm config holds it. */
export interface EventScope {
  /** Glob over the repository (CTF path, `host[/path]` of a registry, or any string field of its spec). */
  repository?: string;
  /** Glob over the component name. */
  component?: string;
  /** Passed to the plugin with every event of this scope. */
  config?: unknown;
  /** A disabled scope stops every event it matches, whatever other scopes say. */
  disabled?: boolean;
}

/** What the config says about one handler plugin. */
export interface HandlerRouting {
  /** Narrows the event types the plugin subscribes to; absent: all it declares. */
  events?: EventType[];
  scopes?: EventScope[];
}

/** A scope an event is delivered through: the name the handler sees and the scope's config. */
export interface RoutedScope {
  name: string;
  config?: unknown;
}

/** The name of a scope: `<repository pattern>//<component pattern>`, either part may be empty; `*` for all. */
export function scopeName(scope: Pick<EventScope, "repository" | "component">): string {
  if (scope.repository === undefined && scope.component === undefined) return "*";
  return scope.component === undefined
    ? (scope.repository as string)
    : `${scope.repository ?? ""}//${scope.component}`;
}

/** Splits `--scope <repository>[//<component>]` into its patterns. */
export function parseScopeName(name: string): Pick<EventScope, "repository" | "component"> {
  if (name === "*" || name === "") return {};
  const at = name.indexOf("//");
  const repository = at < 0 ? name : name.slice(0, at);
  const component = at < 0 ? "" : name.slice(at + 2);
  return {
    ...(repository ? { repository } : {}),
    ...(component ? { component } : {}),
  };
}

/** A glob as an anchored expression: `**` any characters, `*` any but `/`, `?` one but `/`. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** The strings a repository pattern is matched against. */
function repositoryNames(spec: Record<string, unknown> | undefined): string[] {
  if (!spec) return [];
  const names = Object.entries(spec)
    .filter(([key, value]) => key !== "type" && typeof value === "string")
    .map(([, value]) => value as string);
  if (typeof spec.baseUrl === "string") {
    const host = spec.baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/+$/, "");
    const sub = typeof spec.subPath === "string" && spec.subPath ? `/${spec.subPath}` : "";
    names.push(host, `${host}${sub}`);
  }
  return names;
}

function matches(scope: EventScope, event: OcmEvent): boolean {
  return subjectInScope(scope, event.subject);
}

/** Whether a subject (an event's, or what an action runs on) falls into a scope's patterns. */
export function subjectInScope(scope: EventScope, subject: EventSubject): boolean {
  if (scope.repository !== undefined) {
    const pattern = globToRegExp(scope.repository);
    if (!repositoryNames(subject.repository).some((name) => pattern.test(name))) return false;
  }
  if (scope.component !== undefined) {
    const component = subject.component;
    if (component === undefined || !globToRegExp(scope.component).test(component)) return false;
  }
  return true;
}

/**
 * The scopes through which a handler gets `event`: none when it does not subscribe to the type or a
 * disabled scope matches; each matching enabled scope with its config; the whole world (`*`, no config)
 * when the config names no enabled scope for the plugin.
 */
export function routeEvent(
  event: OcmEvent,
  subscribed: readonly string[],
  routing: HandlerRouting = {},
): RoutedScope[] {
  if (!subscribed.includes(event.type)) return [];
  if (routing.events && !routing.events.includes(event.type)) return [];
  const scopes = routing.scopes ?? [];
  const matching = scopes.filter((scope) => matches(scope, event));
  if (matching.some((scope) => scope.disabled === true)) return [];
  if (!scopes.some((scope) => scope.disabled !== true)) return [{ name: "*" }];
  return matching.map((scope) => ({
    name: scopeName(scope),
    ...(scope.config === undefined ? {} : { config: scope.config }),
  }));
}
