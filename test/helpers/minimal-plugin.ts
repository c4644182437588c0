// The minimal Python plugin of docs/plugin-authors.md (test/fixtures/plugins/minimal/dir_repository.py) and
// copies of it with one fault each, as plugin authors make them (#11).
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./executables.js";

export const MINIMAL_PLUGIN = join(REPO_ROOT, "test/fixtures/plugins/minimal/dir_repository.py");

/** Faults: each replaces one exact piece of the plugin's source. */
export const FAULTS = {
  /** Reads content-length bodies only (Python's http.server does nothing else by itself). */
  contentLengthOnly: [`if "chunked" in self.headers.get("transfer-encoding", ""):`, "if False:"],
  /** Answers "not found" with its own code and 422, as the docs once invited. */
  ownNotFoundCode: [
    `raise Fail(404, "OCM_REPOSITORY_NOT_FOUND", "no %(component)s:%(version)s" % req)`,
    `raise Fail(422, "OCM_DIR_MISSING", "no %(component)s:%(version)s" % req)`,
  ],
  /** Speaks HTTP/1.1 but closes the connection after each answer without saying so. */
  silentClose: [
    "    def log_message(self, *args): pass",
    `    protocol_version = "HTTP/1.1"\n    def log_message(self, *args): pass\n    def handle(self): self.handle_one_request()`,
  ],
  /** Hangs in get-component-version for `HANG_SECONDS` (a slow backend). */
  hangs: [
    `    path = version_file(req, req["component"], req["version"])`,
    `    time.sleep(float(os.environ.get("HANG_SECONDS", "90")))\n    path = version_file(req, req["component"], req["version"])`,
  ],
  /** Answers an upload it refuses before reading the body, then closes (as the docs' plugin once did). */
  answersBeforeReading: [
    "        for _ in self.reader: pass  # an answer to an unread body can reach the host as a reset connection",
    "        pass  # answers at once, leaving what is left of the body unread",
  ],
  /** Serves one connection at a time: each request is handled in the server's own thread, in turn. */
  oneAtATime: [
    "    threading.Thread(target=server.serve_forever, daemon=True).start()",
    "    server.process_request = lambda request, address: (server.finish_request(request, address), server.shutdown_request(request))\n    threading.Thread(target=server.serve_forever, daemon=True).start()",
  ],
} as const satisfies Record<string, readonly [string, string]>;

/** Writes the minimal plugin with `fault` into `dir` as an executable named `name`; returns its path. */
export async function writeFaultyPlugin(dir: string, fault: keyof typeof FAULTS, name = "dir-repository") {
  const [from, to] = FAULTS[fault];
  const source = await readFile(MINIMAL_PLUGIN, "utf8");
  expect(source, `the minimal plugin still contains ${JSON.stringify(from)}`).toContain(from);
  const path = join(dir, name);
  await writeFile(path, source.replace(from, to));
  await chmod(path, 0o755);
  return path;
}
