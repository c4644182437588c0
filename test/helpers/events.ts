// The event_log handler fixture and an `ocm` in a fresh home whose config names it, for the events tests.
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { cliEnv } from "./cli.js";
import { REPO_ROOT, bundleExecutable } from "./executables.js";
import { useTempDir } from "./temp-dir.js";

const HANDLER = join(REPO_ROOT, "test/fixtures/plugins/events/event_log.py");

export interface LoggedEvent {
  id: string;
  type: string;
  subject: { component?: string; version?: string; repository?: { filePath?: string } };
  scope: string;
  config: unknown;
}

export interface ListedEntry {
  id: string;
  state: string;
  plugin?: string;
  attempts?: number;
  subject: { component?: string };
}

/** `ocm` in a fresh home whose config names the event_log handler; the handler's file comes later. */
export async function eventsSetup(config: string) {
  const home = await useTempDir();
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const plugins = join(home, "plugins");
  await mkdir(plugins);
  const log = join(home, "events.log");
  await writeFile(join(home, ".ocmconfig"), config);
  const run = (...args: string[]) =>
    execa(ocm, ["--plugin-dir", plugins, ...args], {
      reject: false,
      cwd: home,
      env: { ...cliEnv(home), EVENT_LOG: log },
    });
  const installHandler = async () => {
    await copyFile(HANDLER, join(plugins, "event_log.py"));
    await chmod(join(plugins, "event_log.py"), 0o755);
  };
  const logged = async (): Promise<LoggedEvent[]> =>
    existsSync(log)
      ? (await readFile(log, "utf8"))
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as LoggedEvent)
      : [];
  const constructor = async (name: string, components: string[]) => {
    const file = join(home, name);
    await writeFile(
      file,
      `components:\n${components
        .map(
          (c) =>
            `  - name: ${c}\n    version: 1.0.0\n    provider: { name: acme.org }\n    resources:\n      - name: note\n        type: plainText\n        input: { type: utf8, text: "${c}", mediaType: text/plain }\n`,
        )
        .join("")}`,
    );
    return file;
  };
  return { home, run, log, logged, installHandler, constructor };
}
