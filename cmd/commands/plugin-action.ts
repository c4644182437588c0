// `ocm plugin action <id> [<action>]`: list a plugin's actions, or run one on the user's behalf
// (adr/0010-actions.md). Progress goes to stderr as it arrives; the answer to stdout.
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { OcmError, type TypedSpec } from "../../core/index.js";
import { actionsOf, type ActionRun, type DeclaredAction } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { safeText } from "../errors.js";
import { repositoryTarget } from "../refs.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";

interface ActionOptions {
  data?: string;
  repository?: string;
  scope?: string;
  output: string;
}

/** Adds `ocm plugin action` to `ocm plugin`. */
export function registerPluginActionCommands(plugin: Command, context: () => CommandContext): void {
  plugin
    .command("action")
    .description(
      "run an action a plugin offers (exit 1 when its answer is negative); without <action>, list its actions",
    )
    .argument("<id>", "plugin id as shown by `ocm plugin list`")
    .argument("[action]", "the action's name")
    .option("--data <json|@file>", "the action's input: a JSON value, or @ and a file holding one")
    .option("--repository <ref>", "the repository the action works on, e.g. localhost:5000/acme")
    .option("--scope <pattern>", "the scope to run in: <repository glob>[//<component glob>]")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (id: string, name: string | undefined, opts: ActionOptions) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const manager = ctx.manager();
      const entry = await manager.info(id);
      const declared = actionsOf(entry.document);
      if (name === undefined) {
        ctx.stdout.write(
          format === "table"
            ? renderActions(declared)
            : renderData({ plugin: entry.id, actions: declared }, format),
        );
        return;
      }
      const action = declared.find((a) => a.name === name);
      const repository =
        opts.repository === undefined ? undefined : await repositoryFor(ctx, action, opts.repository);
      const run = await manager.runAction({
        plugin: id,
        action: name,
        ...(opts.data === undefined ? {} : { data: await readData(opts.data) }),
        ...(opts.scope === undefined ? {} : { scope: opts.scope }),
        ...(repository ? { repository } : {}),
        onProgress: (progress) => ctx.stderr.write(`${safeText(progress.message)}\n`),
      });
      ctx.stdout.write(format === "table" ? renderRun(run) : renderData(run, format));
      if (!run.ok) throw actionFailed(run);
    });
}

/** `--data`: a JSON value, or `@<file>` holding one. */
async function readData(value: string): Promise<unknown> {
  const text = value.startsWith("@") ? await readFile(value.slice(1), "utf8") : value;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `--data ${value.startsWith("@") ? `file ${value.slice(1)}` : JSON.stringify(value)} is not JSON: ${(error as Error).message}`,
      hint: `Write --data '{"key":"value"}', or --data @input.json.`,
      cause: error,
    });
  }
}

/** A reference without `<type>::` is read as the type the action is declared under. */
function repositoryFor(
  ctx: CommandContext,
  action: DeclaredAction | undefined,
  ref: string,
): Promise<TypedSpec> {
  return repositoryTarget(ctx, ref.includes("::") || !action ? ref : `${action.type}::${ref}`);
}

function renderActions(actions: DeclaredAction[]): string {
  if (!actions.length) return "The plugin offers no actions.\n";
  return renderTable(
    ["ACTION", "TYPE", "REPOSITORY", "DESCRIPTION"],
    actions.map((a) => [a.name, a.type, a.repository === true ? "yes" : "", a.description ?? ""]),
  );
}

function renderRun(run: ActionRun): string {
  const result = run.result === undefined ? "" : renderData(run.result, "yaml");
  const status = run.ok ? "OK" : "FAIL";
  return `${result}${status}${run.message ? `: ${safeText(run.message)}` : ""}\n`;
}

function actionFailed(run: ActionRun): OcmError {
  return new OcmError({
    code: "OCM_ACTION_FAILED",
    message: `action ${run.action} of plugin ${run.plugin} answered that it failed${run.message ? `: ${run.message}` : ""}`,
    hint: "Read the action's answer above.",
    details: { plugin: run.plugin, action: run.action },
  });
}
