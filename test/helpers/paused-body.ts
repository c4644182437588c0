// A blob body that stops after its first chunk until released: for looking at a write while it is under way.

/** `content` yields `head`, resolves `streaming`, then waits for `release()` before it yields `tail`. */
export function pausedBody(head: string, tail: string) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => {};
  const streaming = new Promise<void>((resolve) => (started = resolve));
  async function* content(): AsyncGenerator<Uint8Array> {
    yield new TextEncoder().encode(head);
    started();
    await gate;
    yield new TextEncoder().encode(tail);
  }
  return { content: content(), streaming, release: () => release() };
}
