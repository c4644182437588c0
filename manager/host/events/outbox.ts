// The durable local outbox of events (adr/0008-events.md): one JSON file per event under the user's state
// directory, written to a temp name and renamed, so a crash leaves either the whole record or none. Each
// record keeps, per handler plugin and scope, whether it was delivered, its attempts and its last error.
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { EventDraft, EventPublisher, OcmEvent } from "../../../core/index.js";

/** Where one handler scope stands with an event. */
export interface DeliveryState {
  plugin: string;
  scope: { name: string; config?: unknown };
  attempts: number;
  lastError?: string;
  /** Set when the attempts ran out: the event waits for `ocm plugin events retry`. */
  dead?: boolean;
}

/** One event and its deliveries; `targets` is fixed by the first dispatch after the event was recorded. */
export interface OutboxRecord {
  file: string;
  event: OcmEvent;
  targets?: Record<string, DeliveryState>;
}

/** `$XDG_STATE_HOME/ocm/events`, else `~/.local/state/ocm/events`. */
export function defaultOutboxDir(
  env: Record<string, string | undefined> = process.env,
  home = homedir(),
): string {
  const state = env["XDG_STATE_HOME"];
  return join(state && isAbsolute(state) ? state : join(home, ".local", "state"), "ocm", "events");
}

export interface Outbox extends EventPublisher {
  readonly dir: string;
  /** Every record, oldest first. */
  records(): Promise<OutboxRecord[]>;
  /** Whether any record is waiting (one directory listing). */
  hasRecords(): Promise<boolean>;
  /** Writes a record back (temp + rename); a record whose targets are all delivered is removed instead. */
  save(record: OutboxRecord): Promise<void>;
  remove(record: OutboxRecord): Promise<void>;
  /** Takes the dispatch lock; undefined when another live ocm process holds it. */
  lock(): Promise<(() => Promise<void>) | undefined>;
}

let sequence = 0;

export function createOutbox(dir: string): Outbox {
  const ready = () => mkdir(dir, { recursive: true, mode: 0o700 });

  async function names(): Promise<string[]> {
    const all = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [] as string[];
      throw error;
    });
    return all.filter((name) => name.endsWith(".json")).sort();
  }

  async function write(file: string, value: unknown): Promise<void> {
    await ready();
    const temp = join(dir, `.${file}.${process.pid}.tmp`);
    await writeFile(temp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
    await rename(temp, join(dir, file));
  }

  return {
    dir,
    async publish(draft: EventDraft): Promise<OcmEvent> {
      const event: OcmEvent = {
        id: randomUUID(),
        type: draft.type,
        time: new Date().toISOString(),
        subject: draft.subject,
        ...(draft.data ? { data: draft.data } : {}),
      };
      // Sorting file names sorts by time, then by order within this process.
      const file = `${Date.now().toString().padStart(15, "0")}-${String(sequence++).padStart(6, "0")}-${event.id}.json`;
      await write(file, { event });
      return event;
    },
    async records() {
      const out: OutboxRecord[] = [];
      for (const file of await names()) {
        const text = await readFile(join(dir, file), "utf8").catch(() => undefined);
        if (text === undefined) continue;
        const value = JSON.parse(text) as Omit<OutboxRecord, "file">;
        out.push({ file, ...value });
      }
      return out;
    },
    async hasRecords() {
      return (await names()).length > 0;
    },
    async save(record) {
      const { file, ...value } = record;
      await write(file, value);
    },
    async remove(record) {
      await rm(join(dir, record.file), { force: true });
    },
    async lock() {
      await ready();
      const path = join(dir, ".dispatch.lock");
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const handle = await open(path, "wx", 0o600);
          await handle.writeFile(String(process.pid));
          await handle.close();
          return () => rm(path, { force: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          const owner = Number(await readFile(path, "utf8").catch(() => ""));
          if (owner && owner !== process.pid && isAlive(owner)) return undefined;
          // Left behind by an ocm process that was killed: take it over.
          await rm(path, { force: true });
        }
      }
      return undefined;
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
