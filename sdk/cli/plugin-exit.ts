// A start-up failure that ends the process with one of the reserved exit codes (core/protocol/exit-codes.ts).
import type { LogFields } from "../log.js";

/** Thrown during start-up; the command runner logs `message` with `fields` and exits with `exitCode`. */
export class PluginExit extends Error {
  readonly exitCode: number;
  readonly fields: LogFields;

  constructor(exitCode: number, message: string, fields: LogFields = {}) {
    super(message);
    this.name = "PluginExit";
    this.exitCode = exitCode;
    this.fields = fields;
  }
}
