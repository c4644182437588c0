// Runs one action of one plugin on a user's behalf (adr/0010-actions.md): the action must be declared, the
// plugin enabled for the scope, the data valid for the action's schema; only then is the plugin called, and
// its answer is read line by line as it streams back.
import {
  OcmError,
  decideActionScope,
  type ActionDeclaration,
  type ActionProgress,
  type ActionRunner,
  type CapabilitiesDocument,
  type CapabilityKind,
  type HandlerRouting,
  type RoutedScope,
  type TypedSpec,
} from "../../../core/index.js";
import type { RegistryEntry } from "../registry/registry.js";
import { readActionAnswer } from "./read-action-answer.js";
import { validateActionData } from "./validate-action-data.js";

/** What `manager.runAction` is asked. */
export interface RunActionRequest {
  /** The plugin's id, as `ocm plugin list` shows it. */
  plugin: string;
  /** The action's name, as the plugin declares it. */
  action: string;
  /** The action's input; `{}` when absent. Checked against the action's schema before the call. */
  data?: unknown;
  /** The scope to run in, `<repository glob>[//<component glob>]`; needed when the plugin has scopes. */
  scope?: string | undefined;
  /** The repository the action works on, for an action declared with `repository: true`. */
  repository?: TypedSpec | undefined;
  /** Called with each progress line as it arrives. */
  onProgress?: ((progress: ActionProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** An action's answer. */
export interface ActionRun {
  plugin: string;
  action: string;
  /** The plugin's type the action is declared under. */
  type: string;
  scope: RoutedScope;
  /** False when the action ran and its answer is negative (a check failed). */
  ok: boolean;
  message?: string;
  result?: unknown;
}

/** One declared action of a plugin, with the type it is declared under. */
export interface DeclaredAction extends ActionDeclaration {
  name: string;
  type: string;
}

/** What running an action needs from the manager. */
export interface ActionHost {
  /** The usable plugin's registry entry (throws for an unknown, broken or disabled one). */
  entry(id: string): Promise<RegistryEntry>;
  /** The started plugin's action capability for `type`. */
  runner(id: string, type: string): Promise<ActionRunner>;
  /** What the ocm config says about the plugin's scopes. */
  routing(id: string): Promise<HandlerRouting | undefined>;
  /** The credentials a call to `spec`'s target would get. */
  credentialsFor(spec: TypedSpec): Promise<Record<string, string> | undefined>;
  /** Whether plugin `id` is the one the registry chooses for `type` and one of `capabilities`. */
  serves(id: string, type: string, capabilities: readonly CapabilityKind[]): Promise<boolean>;
}

/** Every action a capabilities document declares, in the order of its types, under types serving `action`. */
export function actionsOf(document: CapabilitiesDocument | undefined): DeclaredAction[] {
  const out: DeclaredAction[] = [];
  for (const [type, actions] of Object.entries(document?.actions ?? {})) {
    if (!document?.type[type]?.includes("action")) continue;
    for (const [name, declaration] of Object.entries(actions)) out.push({ name, type, ...declaration });
  }
  return out;
}

/** Runs the action: refused before any call when it is unknown, disabled for the scope or its data invalid. */
export async function runAction(request: RunActionRequest, host: ActionHost): Promise<ActionRun> {
  const entry = await host.entry(request.plugin);
  const declared = actionsOf(entry.document);
  const action = declared.find((a) => a.name === request.action);
  if (!action) {
    throw new OcmError({
      code: "OCM_ACTION_NOT_FOUND",
      message: `plugin ${entry.id} has no action ${JSON.stringify(request.action)}`,
      hint: declared.length
        ? `Its actions: ${declared.map((a) => a.name).join(", ")} (\`ocm plugin action ${entry.id}\` describes them).`
        : `Plugin ${entry.id} offers no actions.`,
      details: { plugin: entry.id, action: request.action },
    });
  }
  if (action.repository === true && !request.repository) {
    throw new OcmError({
      code: "OCM_ACTION_DATA_INVALID",
      message: `action ${action.name} of plugin ${entry.id} works on a repository, and none was named`,
      hint: "Name it with --repository <ref> (the repository option of runAction).",
      details: { plugin: entry.id, action: action.name },
    });
  }
  const decision = decideActionScope(entry.id, await host.routing(entry.id), {
    scope: request.scope,
    repository: request.repository,
  });
  if ("refused" in decision) {
    throw new OcmError({
      code: "OCM_ACTION_NOT_ENABLED",
      message: `action ${action.name} refused: ${decision.refused}`,
      hint: decision.enabled.length
        ? `Its enabled scopes: ${decision.enabled.join(", ")}; name one with --scope, or enable the plugin for this one (\`ocm plugin enable ${entry.id} --scope <pattern>\`).`
        : `Enable the plugin for the scope with \`ocm plugin enable ${entry.id} --scope <pattern>\`.`,
      details: { plugin: entry.id, action: action.name },
    });
  }
  const data = request.data ?? {};
  await validateActionData(entry.id, action.name, action.schema, data);
  const repository = action.repository === true ? request.repository : undefined;
  // Credentials go only to the plugin a call to that repository reaches anyway: the one serving its type.
  const kinds = repository ? kindsFor(entry.document, repository.type) : [];
  const credentials =
    repository && kinds.length && (await host.serves(entry.id, repository.type, kinds))
      ? await host.credentialsFor(repository)
      : undefined;
  const runner = await host.runner(entry.id, action.type);
  const blob = await runner.run(
    {
      action: action.name,
      data,
      scope: decision.scope,
      ...(repository ? { repository } : {}),
    },
    {
      ...(credentials ? { credentials } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    },
  );
  const final = await readActionAnswer(blob.content, {
    pluginId: entry.id,
    action: action.name,
    onProgress: request.onProgress,
  });
  return {
    plugin: entry.id,
    action: action.name,
    type: action.type,
    scope: decision.scope,
    ok: final.ok !== false,
    ...(final.message === undefined ? {} : { message: final.message }),
    ...(final.data === undefined ? {} : { result: final.data }),
  };
}

/** The capabilities the document declares for `type` (a type name or one of its aliases). */
function kindsFor(document: CapabilitiesDocument | undefined, type: string): CapabilityKind[] {
  if (!document) return [];
  const canonical = document.type[type]
    ? type
    : Object.entries(document.aliases ?? {}).find(([, aliases]) => aliases.includes(type))?.[0];
  return (canonical ? document.type[canonical] : undefined)?.filter((kind) => kind !== "action") ?? [];
}
