// `ocm get cv` and `ocm get resources`: read component versions and list their resources.
import type { Command } from "commander";
import type { WireDescriptor } from "../../core/index.js";
import { elementIdentity, parseDescriptor, serializeDescriptorYaml } from "../../core/model/index.js";
import { getComponentVersions } from "../../manager/ops/get-component-versions.js";
import type { CommandContext } from "../context.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";
import { componentTarget } from "../refs.js";

function renderDescriptors(descriptors: WireDescriptor[], format: "json" | "yaml"): string {
  if (format === "json")
    return renderData(descriptors.length === 1 ? descriptors[0] : { items: descriptors }, "json");
  // The same YAML the Go tool writes (key order, quoting), so output can be compared across tools.
  return descriptors
    .map((d) => serializeDescriptorYaml(parseDescriptor(JSON.stringify(d), { source: "descriptor" })))
    .join("---\n");
}

type Resource = Record<string, unknown> & { name: string; type: string; access: { type: string } };

export function registerGetCommands(program: Command, context: () => CommandContext): void {
  const get = program.command("get").description("read elements from a repository");
  get
    .command("componentversions")
    .aliases(["cv", "cvs", "component-version", "componentversion"])
    .description("show component versions (all versions when the reference names none)")
    .argument("<ref>", "<repository>//<component>[:<version>]")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .option("-r, --recursive", "also show the component versions they reference")
    .action(async (ref: string, opts: { output: string; recursive?: boolean }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const target = await componentTarget(ctx, ref);
      const descriptors = await getComponentVersions(ctx.manager(), {
        ...target,
        recursive: opts.recursive ?? false,
      });
      if (format !== "table") return void ctx.stdout.write(renderDescriptors(descriptors, format));
      ctx.stdout.write(
        renderTable(
          ["COMPONENT", "VERSION", "PROVIDER"],
          descriptors.map((d) => [d.component.name, d.component.version, providerName(d.component.provider)]),
        ),
      );
    });

  get
    .command("resources")
    .aliases(["resource", "res", "r"])
    .description("list the resources of component versions")
    .argument("<ref>", "<repository>//<component>[:<version>]")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .option("-r, --recursive", "also list resources of referenced component versions")
    .action(async (ref: string, opts: { output: string; recursive?: boolean }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const descriptors = await getComponentVersions(ctx.manager(), {
        ...(await componentTarget(ctx, ref)),
        recursive: opts.recursive ?? false,
      });
      const rows = descriptors.flatMap((d) => {
        const resources = (d.component.resources ?? []) as Resource[];
        return resources.map((resource) => ({
          component: `${d.component.name}:${d.component.version}`,
          identity: elementIdentity(resource, resources),
          resource,
        }));
      });
      if (format !== "table") {
        return void ctx.stdout.write(
          renderData({ items: rows.map((r) => ({ component: r.component, ...r.resource })) }, format),
        );
      }
      ctx.stdout.write(
        renderTable(
          ["COMPONENT", "NAME", "VERSION", "IDENTITY", "TYPE", "RELATION", "ACCESS"],
          rows.map((r) => [
            r.component,
            r.resource.name,
            String(r.resource.version ?? ""),
            Object.entries(r.identity)
              .filter(([k]) => k !== "name")
              .map(([k, v]) => `${k}=${v}`)
              .join(","),
            r.resource.type,
            String(r.resource.relation ?? ""),
            r.resource.access.type,
          ]),
        ),
      );
    });
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
