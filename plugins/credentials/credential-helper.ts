// Runs a docker credential helper (`docker-credential-<name> get`, the server URL on stdin) as docker
// does, bounded by a timeout. Its stdout holds the secret, so no error ever quotes it.
import { spawn } from "node:child_process";
import { OcmError } from "../../core/index.js";

/** Credentials in OCM's key names, or null when the helper knows nothing for the server. */
export type HelperCredentials = Record<string, string> | null;

// docker-credential-helpers answer "credentials not found in native keychain" with exit code 1.
const NOT_FOUND = /credentials not found/i;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Asks `docker-credential-<name>` for the credentials of `serverUrl`. */
export function runCredentialHelper(
  name: string,
  serverUrl: string,
  timeoutMs: number,
): Promise<HelperCredentials> {
  const binary = `docker-credential-${name}`;
  if (!SAFE_NAME.test(name)) {
    return Promise.reject(
      new OcmError({
        code: "OCM_CREDENTIALS_INVALID",
        message: `credential helper name ${JSON.stringify(name)} is not a plain name`,
        hint: "credHelpers and credsStore name a helper such as `pass` or `desktop` (run as docker-credential-<name>).",
      }),
    );
  }
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also ends whatever the helper started (a keychain prompt).
    const child = spawn(binary, ["get"], { stdio: ["pipe", "pipe", "pipe"], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const timer = setTimeout(() => {
      settle(() =>
        reject(
          new OcmError({
            code: "OCM_CREDENTIALS_HELPER_TIMEOUT",
            message: `credential helper ${binary} did not answer for ${serverUrl} within ${timeoutMs} ms`,
            hint: "Unlock the keychain or run the helper by hand; raise helperTimeout in the DockerConfig/v1 spec.",
            details: { helper: binary, serverUrl, timeoutMs },
          }),
        ),
      );
      killGroup(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // A helper that exits before reading stdin makes the write fail with EPIPE; its exit code tells more.
    child.stdin.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => {
      settle(() =>
        reject(
          error.code === "ENOENT"
            ? new OcmError({
                code: "OCM_CREDENTIALS_HELPER_NOT_FOUND",
                message: `credential helper ${binary} for ${serverUrl} is not on PATH`,
                hint: `Install ${binary}, or remove "${name}" from credHelpers/credsStore in the docker config file.`,
                details: { helper: binary, serverUrl },
              })
            : failed(binary, serverUrl, error.code ?? error.message),
        ),
      );
    });
    child.on("close", (code, signal) => {
      settle(() => {
        const out = Buffer.concat(stdout).toString("utf8").trim();
        if (code !== 0) {
          // A failing helper prints a reason, never credentials, on stdout or stderr.
          const reason = (Buffer.concat(stderr).toString("utf8").trim() || out).split("\n")[0] ?? "";
          if (NOT_FOUND.test(reason)) resolve(null);
          else
            reject(
              failed(binary, serverUrl, `exit ${code ?? signal}${reason ? `: ${reason.slice(0, 200)}` : ""}`),
            );
          return;
        }
        try {
          resolve(toCredentials(out));
        } catch {
          reject(failed(binary, serverUrl, "its answer is not a JSON object with Username and Secret"));
        }
      });
    });
    child.stdin.end(serverUrl);
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function toCredentials(out: string): HelperCredentials {
  const answer = JSON.parse(out) as { Username?: unknown; Secret?: unknown };
  if (typeof answer !== "object" || answer === null) throw new Error("not an object");
  const username = typeof answer.Username === "string" ? answer.Username : "";
  const secret = typeof answer.Secret === "string" ? answer.Secret : "";
  if (!secret) return null;
  // docker's convention: the user name `<token>` marks the secret as an identity (refresh) token.
  if (username === "<token>") return { identityToken: secret };
  return username ? { username, password: secret } : { password: secret };
}

function failed(binary: string, serverUrl: string, reason: string): OcmError {
  return new OcmError({
    code: "OCM_CREDENTIALS_HELPER_FAILED",
    message: `credential helper ${binary} failed for ${serverUrl}: ${reason}`,
    hint: `Run \`echo ${serverUrl} | ${binary} get\` by hand; log in again with \`docker login\`.`,
    details: { helper: binary, serverUrl },
  });
}
