// Which scope an action runs in (adr/0010-actions.md): a plugin's scopes are those of the ocm config's events
// entry (adr/0008-events.md), so one switch, `ocm plugin enable|disable <id> --scope`, rules both its events
// and its actions. An action runs only where the plugin is enabled.
import {
  parseScopeName,
  scopeName,
  subjectInScope,
  type EventScope,
  type HandlerRouting,
  type RoutedScope,
} from "../events/match-scope.js";
import type { TypedSpec } from "../protocol/common.js";
import type { EventSubject } from "../protocol/events.js";

/** What the user named for an action: a scope (`<repository>[//<component>]`) and/or a repository. */
export interface ActionTarget {
  scope?: string | undefined;
  repository?: TypedSpec | undefined;
}

/** The scope to run in, or why the plugin may not run the action there. */
export type ActionScopeDecision = { scope: RoutedScope } | { refused: string; enabled: string[] };

/**
 * Decides the scope: `*` for a plugin without scopes in the config; otherwise the first enabled scope that
 * the named scope (or repository) falls into, unless a disabled scope matches it. A named scope that is a
 * configured pattern itself (`ghcr.io/acme/**`) falls into that pattern.
 */
export function decideActionScope(
  pluginId: string,
  routing: HandlerRouting | undefined,
  target: ActionTarget,
): ActionScopeDecision {
  const scopes = routing?.scopes ?? [];
  const enabled = scopes.filter((scope) => scope.disabled !== true).map(scopeName);
  if (scopes.length === 0) return { scope: { name: "*" } };
  const subject = subjectOf(target);
  if (!subject) {
    return {
      refused: `plugin ${pluginId} has scopes in the ocm config, and no scope or repository was named`,
      enabled,
    };
  }
  const what = target.scope ?? describeRepository(target.repository);
  const disabled = scopes.find((scope) => scope.disabled === true && subjectInScope(scope, subject));
  if (disabled) {
    return { refused: `plugin ${pluginId} is disabled for scope ${scopeName(disabled)} (${what})`, enabled };
  }
  const match = scopes.find((scope) => scope.disabled !== true && subjectInScope(scope, subject));
  if (!match && scopes.every((scope) => scope.disabled === true)) return { scope: { name: "*" } };
  if (!match) return { refused: `plugin ${pluginId} is not enabled for ${what}`, enabled };
  return { scope: routed(match) };
}

function routed(scope: EventScope): RoutedScope {
  return { name: scopeName(scope), ...(scope.config === undefined ? {} : { config: scope.config }) };
}

/**
 * The subject the scopes are matched against. A named scope's repository part is a string, matched as a
 * repository's name is (any string field of a spec is one of its names).
 */
function subjectOf(target: ActionTarget): EventSubject | undefined {
  if (target.scope !== undefined && target.scope !== "*" && target.scope !== "") {
    const { repository, component } = parseScopeName(target.scope);
    return {
      ...(repository === undefined ? {} : { repository: { type: "scope", name: repository } }),
      ...(component === undefined ? {} : { component }),
    };
  }
  return target.repository ? { repository: target.repository } : undefined;
}

function describeRepository(repository: TypedSpec | undefined): string {
  return repository ? JSON.stringify(repository) : "(none)";
}
