// Packages a chart directory as `helm package` does: a tgz whose entries are `<chart name>/<path>`,
// `Chart.yaml` first, then every other file in byte order of its path, minus what `.helmignore` excludes.
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { OcmError } from "../../sdk/index.js";
import { parseChartMetadata, type ChartMetadata } from "./chart-metadata.js";
import { writeChartTgz, type TarFile } from "./chart-tar.js";
import { parseHelmIgnore, type HelmIgnore } from "./helm-ignore.js";

/** A packaged chart: its metadata and the tgz bytes. */
export interface PackagedChart {
  chart: ChartMetadata;
  tgz: Buffer;
}

async function listFiles(root: string, dir: string, ignore: HelmIgnore): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isSymbolicLink()) {
      throw new OcmError({
        code: "OCM_INPUT_INVALID",
        message: `helm input: ${join(root, path)} is a symbolic link, which the helm input does not follow`,
        hint: "Replace the link by the file or directory it points to, or list it in .helmignore.",
      });
    }
    if (ignore.ignores(path, entry.isDirectory())) continue;
    if (entry.isDirectory()) out.push(...(await listFiles(root, path, ignore)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Packages the chart in directory `dir`. */
export async function packageChart(dir: string): Promise<PackagedChart> {
  const chartYaml = await readFile(join(dir, "Chart.yaml")).catch((error: unknown) => {
    throw new OcmError({
      code: (error as { code?: string }).code === "ENOENT" ? "OCM_INPUT_NOT_FOUND" : "OCM_INPUT_INVALID",
      message: `helm input: cannot read ${join(dir, "Chart.yaml")}: ${(error as Error).message}`,
      hint: "The path of a helm input must be a chart directory (holding Chart.yaml) or a chart .tgz.",
      cause: error,
    });
  });
  const chart = parseChartMetadata(chartYaml.toString("utf8"), join(dir, "Chart.yaml"));
  const ignoreFile = join(dir, ".helmignore");
  const ignoreText = await readFile(ignoreFile, "utf8").catch(() => "");
  const ignore = parseHelmIgnore(ignoreText, ignoreFile);
  const rest = (await listFiles(dir, "", ignore)).filter((p) => p !== "Chart.yaml").sort(byteOrder);
  const files: TarFile[] = [{ path: `${chart.name}/Chart.yaml`, bytes: chartYaml }];
  for (const path of rest) {
    if ((await lstat(join(dir, path))).isFile()) {
      files.push({ path: `${chart.name}/${path}`, bytes: await readFile(join(dir, path)) });
    }
  }
  return { chart, tgz: writeChartTgz(files) };
}
