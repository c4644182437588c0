// `ocm transfer [cv] <source-ref> <target-repo-ref>`: parse, call transferComponentVersions, render
// progress (a redrawn line on a TTY), one line per component version, or the summary as JSON/YAML.
import type { Command } from "commander";
import type { Writable } from "node:stream";
import { OcmError, type TypedSpec } from "../../core/index.js";
import type { TransferProgress, TransferSummary, TransferredVersion } from "../../manager/index.js";
import { homedir } from "node:os";
import {
  defaultCheckpointDir,
  describeChain,
  parseProcessorFlag,
  transferWithProcessors,
} from "../../index.js";
import type { CommandContext } from "../context.js";
import { parseOutputFormat, renderData } from "../render.js";
import { repositoryOrComponentTarget, repositoryTarget } from "../refs.js";

const KINDS = new Set(["cv", "cvs", "componentversions", "componentversion", "component-version"]);

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface TransferFlags {
  recursive?: boolean;
  lookup?: string[];
  stopOnExisting?: boolean;
  enforce?: boolean;
  copyResources?: boolean;
  overwrite?: boolean;
  latest?: boolean;
  semver?: string;
  dryRun?: boolean;
  concurrency?: string;
  output: string;
  quiet?: boolean;
  processor?: string[];
  allowUnsignedChanges?: boolean;
}

export function registerTransferCommands(program: Command, context: () => CommandContext): void {
  program
    .command("transfer")
    .description("copy component versions and their blobs from one repository to another")
    .usage("[cv] <source-ref> <target-repo-ref> [options]")
    .argument("<refs...>", "[cv] <repository>[//<component>[:<version>]] <target repository>")
    .option("-r, --recursive", "also transfer the component versions they reference (first)")
    .option(
      "--lookup <repository>",
      "where to find referenced versions the source lacks (repeatable, asked in order)",
      collect,
    )
    .option("-E, --stop-on-existing", "do not descend below a version the target already holds")
    .option("--enforce", "copy versions the target holds again, as if it did not")
    .option("--copy-resources", "copy resources with external accesses (e.g. OCI images) by value")
    .option("--overwrite", "replace versions the target holds with different content")
    .option("--latest", "only the highest version (of those --semver selects)")
    .option("--semver <constraint>", 'only versions satisfying a semver range, e.g. "^1.2"')
    .option("--dry-run", "print the plan, write nothing")
    .option("--concurrency <n>", "blobs copied at the same time (default 4)")
    .option("-o, --output <format>", "table (log lines), json or yaml", "table")
    .option("-q, --quiet", "print nothing but errors")
    .option(
      "--processor <type>[=<json-config>]",
      "run each component version through this processor (repeatable, a chain in order)",
      collect,
    )
    .option(
      "--allow-unsigned-changes",
      "let processors change signed content; the copies lose their signatures",
    )
    .action(async (refs: string[], opts: TransferFlags) => {
      const format = parseOutputFormat(opts.output);
      const [sourceRef, targetRef] = argumentsOf(refs);
      const ctx = context();
      const source = await repositoryOrComponentTarget(ctx, sourceRef);
      if (!opts.recursive && (opts.lookup?.length || opts.stopOnExisting)) {
        throw new OcmError({
          code: "OCM_USAGE_INVALID",
          message: `${opts.lookup?.length ? "--lookup" : "--stop-on-existing"} only applies to referenced component versions`,
          hint: "Add -r (--recursive) to transfer what the component versions reference.",
        });
      }
      const lookup: TypedSpec[] = [];
      for (const each of opts.lookup ?? []) lookup.push(await repositoryTarget(ctx, each));
      const display = opts.quiet
        ? undefined
        : createDisplay(ctx, { lines: format === "table", dryRun: opts.dryRun ?? false });
      const processors = (opts.processor ?? []).map(parseProcessorFlag);
      if (opts.dryRun && processors.length > 0 && format === "table" && !opts.quiet) {
        ctx.stdout.write(`processors: ${describeChain(processors).join(" | ")}\n`);
      }
      const summary = await transferWithProcessors(ctx.manager(), {
        processors,
        allowUnsignedChanges: opts.allowUnsignedChanges,
        checkpointDir: defaultCheckpointDir(process.env, homedir()),
        source: source.repository,
        component: source.component,
        version: source.version,
        // A missing target is created, as its plugin declares (a CTF: in the format its name suggests).
        target: await repositoryTarget(ctx, targetRef, {}),
        recursive: opts.recursive,
        lookup,
        stopOnExisting: opts.stopOnExisting,
        enforce: opts.enforce,
        copyResources: opts.copyResources,
        overwrite: opts.overwrite,
        latest: opts.latest,
        semver: opts.semver,
        dryRun: opts.dryRun,
        concurrency: opts.concurrency,
        onProgress: display?.onProgress,
        events: ctx.events(),
      }).finally(() => display?.stop());
      if (format !== "table") return void ctx.stdout.write(renderData(summary, format));
      if (!opts.quiet) ctx.stdout.write(totalsLine(summary));
    });
}

function argumentsOf(refs: string[]): [string, string] {
  const rest = refs.length === 3 && KINDS.has(refs[0] ?? "") ? refs.slice(1) : refs;
  if (rest.length !== 2) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `transfer takes a source and a target reference, got ${JSON.stringify(refs)}`,
      hint: "Write ocm transfer [cv] <repository>[//<component>[:<version>]] <target repository>.",
    });
  }
  return rest as [string, string];
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** Bytes for people: `512 B`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

interface VersionTally {
  component: string;
  version: string;
  action: TransferredVersion["action"];
  copied: number;
  skipped: number;
  bytes: number;
  from?: string | undefined;
}

const WOULD = { copied: "would copy", skipped: "would skip", overwritten: "would overwrite" } as const;

function versionLine(v: VersionTally, dryRun: boolean): string {
  const blobs = `${v.copied} blob${v.copied === 1 ? "" : "s"} ${dryRun ? "to copy" : "copied"}, ${v.skipped} skipped`;
  const bytes = dryRun ? "" : `, ${formatBytes(v.bytes)}`;
  const from = v.from === undefined ? "" : ` from ${v.from}`;
  return `${dryRun ? WOULD[v.action] : v.action} ${v.component}:${v.version}${from} (${blobs}${bytes})\n`;
}

function totalsLine(summary: TransferSummary): string {
  const count = (action: string) => summary.versions.filter((v) => v.action === action).length;
  const versions = `${summary.versions.length} component version${summary.versions.length === 1 ? "" : "s"}`;
  if (summary.dryRun) {
    const actions = `${count("copied")} to copy, ${count("overwritten")} to overwrite, ${count("skipped")} to skip`;
    const blobs = `blobs: ${summary.blobsCopied} to copy, ${summary.blobsSkipped} to skip`;
    return `dry run, nothing written: ${versions} (${actions}); ${blobs}\n`;
  }
  const actions = `${count("copied")} copied, ${count("overwritten")} overwritten, ${count("skipped")} skipped`;
  const blobs = `blobs: ${summary.blobsCopied} copied, ${summary.blobsSkipped} skipped`;
  return `${versions} (${actions}); ${blobs}; ${formatBytes(summary.bytes)}\n`;
}

interface Display {
  onProgress(event: TransferProgress): void;
  stop(): void;
}

/**
 * Progress for people: on a TTY an overall line (versions, blobs, bytes, rate) redrawn on stderr at most
 * ten times a second; with `lines`, one line per finished component version on stdout.
 */
function createDisplay(ctx: CommandContext, options: { lines: boolean; dryRun: boolean }): Display {
  const tty = (ctx.stderr as Writable & { isTTY?: boolean }).isTTY === true;
  const started = Date.now();
  let overall: TransferProgress["overall"] | undefined;
  let drawnAt = 0;
  let shown = false;
  let copied = 0;
  let skipped = 0;
  const clear = () => {
    if (shown) ctx.stderr.write("\r\x1b[K");
    shown = false;
  };
  const draw = (force: boolean) => {
    if (!tty || !overall || (!force && Date.now() - drawnAt < 100)) return;
    drawnAt = Date.now();
    const rate = formatBytes(Math.round(overall.bytes / Math.max((drawnAt - started) / 1000, 0.001)));
    ctx.stderr.write(
      `\r\x1b[Ktransfer: ${overall.versions}/${overall.plannedVersions} versions, ` +
        `${overall.blobs}/${overall.plannedBlobs} blobs, ${formatBytes(overall.bytes)}, ${rate}/s`,
    );
    shown = true;
  };
  return {
    onProgress(event) {
      overall = event.overall;
      if (event.kind === "version-start") copied = skipped = 0;
      if (event.kind === "blob-done") {
        if (event.action === "copied") copied++;
        else skipped++;
      }
      if (event.kind === "version-done" && options.lines) {
        clear();
        const action = event.action as TransferredVersion["action"];
        const tally = { component: event.component, version: event.version, action, copied, skipped };
        ctx.stdout.write(versionLine({ ...tally, bytes: event.bytes, from: event.from }, options.dryRun));
      }
      draw(event.kind !== "blob-progress");
    },
    stop: clear,
  };
}
