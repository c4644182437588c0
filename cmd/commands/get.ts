// `ocm get cv|resources|sources|references|credentials`: read component versions (one, a component's, or
// a whole repository's), their reference graph, and the elements they hold.
import type { Command } from "commander";
import {
  OcmError,
  elementIdentity,
  parseDescriptor,
  serializeDescriptorYaml,
  type TypedSpec,
  type WireDescriptor,
} from "../../core/index.js";
import { describeRepository, findComponentVersions } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { OUTPUT_FORMATS, parseOutputFormat, renderData, renderTable, type OutputFormat } from "../render.js";
import { renderTree } from "../render-tree.js";
import { repositoryOrComponentTarget, repositoryTarget } from "../refs.js";
import { registerGetCredentialsCommand } from "./get-credentials.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function renderDescriptors(descriptors: WireDescriptor[], format: "json" | "yaml"): string {
  if (format === "json")
    return renderData(descriptors.length === 1 ? descriptors[0] : { items: descriptors }, "json");
  // The same YAML the Go tool writes (key order, quoting), so output can be compared across tools.
  return descriptors
    .map((d) => serializeDescriptorYaml(parseDescriptor(JSON.stringify(d), { source: "descriptor" })))
    .join("---\n");
}

type Element = Record<string, unknown> & { name: string; type?: string; access?: { type: string } };

interface ReadFlags {
  output: string;
  recursive?: boolean;
  lookup?: string[];
}

/** The component versions a reference names (with `-r` and `--lookup`, the graph below them). */
async function readGraph(ctx: CommandContext, ref: string, opts: ReadFlags, recursive = false) {
  const target = await repositoryOrComponentTarget(ctx, ref);
  const lookup: TypedSpec[] = [];
  for (const each of opts.lookup ?? []) lookup.push(await repositoryTarget(ctx, each));
  return findComponentVersions(ctx.manager(), {
    ...target,
    recursive: recursive || (opts.recursive ?? false),
    lookup,
  });
}

/** The columns of each element list: header and cell per element. */
const ELEMENT_COLUMNS = {
  resources: [
    ["TYPE", (e: Element) => String(e.type ?? "")],
    ["RELATION", (e: Element) => String(e["relation"] ?? "")],
    ["ACCESS", (e: Element) => e.access?.type ?? ""],
  ],
  sources: [
    ["TYPE", (e: Element) => String(e.type ?? "")],
    ["ACCESS", (e: Element) => e.access?.type ?? ""],
  ],
  componentReferences: [["REFERENCED", (e: Element) => String(e["componentName"] ?? "")]],
} as const satisfies Record<string, readonly (readonly [string, (e: Element) => string])[]>;

type ElementList = keyof typeof ELEMENT_COLUMNS;

/** `get resources`, `get sources`, `get references`: one row per element of every version read. */
function registerElementCommand(
  get: Command,
  context: () => CommandContext,
  spec: { name: string; aliases: string[]; list: ElementList; what: string },
): void {
  get
    .command(spec.name)
    .aliases(spec.aliases)
    .description(`list the ${spec.what} of component versions`)
    .argument("<ref>", "<repository>[//<component>[:<version>]]")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .option("-r, --recursive", `also list ${spec.what} of referenced component versions`)
    .option(
      "--lookup <repository>",
      "where to find referenced versions the repository lacks (repeatable)",
      collect,
    )
    .action(async (ref: string, opts: ReadFlags) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const graph = await readGraph(ctx, ref, opts);
      const rows = graph.versions.flatMap(({ descriptor: d }) => {
        const elements = (d.component[spec.list] ?? []) as Element[];
        return elements.map((element) => ({
          component: `${d.component.name}:${d.component.version}`,
          identity: elementIdentity(element, elements),
          element,
        }));
      });
      if (format !== "table") {
        return void ctx.stdout.write(
          renderData({ items: rows.map((r) => ({ component: r.component, ...r.element })) }, format),
        );
      }
      const columns = ELEMENT_COLUMNS[spec.list];
      ctx.stdout.write(
        renderTable(
          ["COMPONENT", "NAME", "VERSION", "IDENTITY", ...columns.map(([header]) => header)],
          rows.map((r) => [
            r.component,
            r.element.name,
            String(r.element["version"] ?? ""),
            Object.entries(r.identity)
              .filter(([k]) => k !== "name")
              .map(([k, v]) => `${k}=${v}`)
              .join(","),
            ...columns.map(([, cell]) => cell(r.element)),
          ]),
        ),
      );
    });
}

export function registerGetCommands(program: Command, context: () => CommandContext): void {
  const get = program.command("get").description("read elements from a repository");
  get
    .command("componentversions")
    .aliases(["cv", "cvs", "component-version", "componentversion"])
    .description(
      "show component versions (all versions when the reference names none, all components when it names no component)",
    )
    .argument("<ref>", "<repository>[//<component>[:<version>]]")
    .option("-o, --output <format>", "table, tree, json or yaml", "table")
    .option("-r, --recursive", "also show the component versions they reference")
    .option(
      "--lookup <repository>",
      "where to find referenced versions the repository lacks (repeatable)",
      collect,
    )
    .action(async (ref: string, opts: ReadFlags) => {
      const tree = opts.output === "tree";
      const format = tree ? "table" : parseCvFormat(opts.output);
      const ctx = context();
      // The tree is the reference graph, so it always follows references.
      const graph = await readGraph(ctx, ref, opts, tree);
      if (tree) return void ctx.stdout.write(renderTree(graph, providerName));
      const descriptors = graph.versions.map((v) => v.descriptor);
      if (format !== "table") return void ctx.stdout.write(renderDescriptors(descriptors, format));
      // Where each version was found matters once other repositories are asked.
      const where = (opts.lookup ?? []).length > 0;
      ctx.stdout.write(
        renderTable(
          ["COMPONENT", "VERSION", "PROVIDER", ...(where ? ["REPOSITORY"] : [])],
          graph.versions.map(({ descriptor: d, repository }) => [
            d.component.name,
            d.component.version,
            providerName(d.component.provider),
            ...(where ? [describeRepository(repository)] : []),
          ]),
        ),
      );
    });

  registerElementCommand(get, context, {
    name: "resources",
    aliases: ["resource", "res", "r"],
    list: "resources",
    what: "resources",
  });
  registerElementCommand(get, context, {
    name: "sources",
    aliases: ["source", "src", "s"],
    list: "sources",
    what: "sources",
  });
  registerElementCommand(get, context, {
    name: "references",
    aliases: ["reference", "refs", "ref"],
    list: "componentReferences",
    what: "component references",
  });
  registerGetCredentialsCommand(get, context);
}

function providerName(provider: unknown): string {
  if (typeof provider !== "string") return String((provider as { name?: string })?.name ?? "");
  if (!provider.startsWith("{")) return provider;
  try {
    return String((JSON.parse(provider) as { name?: string }).name ?? provider);
  } catch {
    return provider;
  }
}

/** `-o` of `get cv`: the usual formats, and `tree` (handled before this is called). */
function parseCvFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new OcmError({
    code: "OCM_USAGE_INVALID",
    message: `unknown output format ${JSON.stringify(value)}`,
    hint: "Use -o with one of: table, tree, json, yaml.",
  });
}
