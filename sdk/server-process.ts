// Lets plugin code tell whether it runs as its own server process or in-process inside the host.

let serving = false;

/** True once this process serves a plugin over a socket (`<plugin> server`); false when loaded in-process. */
export function isServerProcess(): boolean {
  return serving;
}

/** Marks this process as a plugin server; called by the SDK before the plugin's init hook runs. */
export function markServerProcess(): void {
  serving = true;
}
