// Binds the server to its location: a private unix socket (stale file removed first) or loopback TCP.
import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import type { Server } from "node:http";
import { connect } from "node:net";
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import { PluginExit } from "../cli/plugin-exit.js";
import type { ListenTarget } from "./read-config.js";

/** Listens on `target` and returns the location as the ready line reports it. */
export async function listenOn(server: Server, target: ListenTarget): Promise<string> {
  if (target.type === "unix") await removeStaleSocket(target.path);
  try {
    await bind(server, target);
  } catch (error) {
    const where = target.type === "unix" ? target.path : `${target.host}:${target.port}`;
    throw new PluginExit(PLUGIN_EXIT.LISTEN, `could not listen on ${where}: ${(error as Error).message}`, {
      location: where,
      code: (error as NodeJS.ErrnoException).code,
    });
  }
  if (target.type === "unix") return target.path;
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : target.port;
  return `${target.host}:${port}`;
}

function bind(server: Server, target: ListenTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    const onListening = () => {
      server.off("error", onError);
      try {
        // The host's directory is already private (ADR 0001); the socket is made owner-only as well.
        if (target.type === "unix") chmodSync(target.path, 0o600);
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    };
    if (target.type === "unix") {
      // Create the socket owner-only from the start, so there is no moment where others may connect.
      const previous = process.umask(0o177);
      try {
        server.listen(target.path, onListening);
      } finally {
        process.umask(previous);
      }
    } else {
      server.listen(target.port, target.host, onListening);
    }
  });
}

/**
 * A socket file left by a crashed run would make listen fail with EADDRINUSE (a fault of OCM's Go plugins).
 * It is removed unless something still answers on it; other kinds of files are left for listen to refuse.
 */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket = false;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket || (await answers(path))) return;
  try {
    unlinkSync(path);
  } catch {
    // Listen reports what is still wrong.
  }
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
