import type { Command } from "commander";
import type { CommandContext } from "../context.js";
export function registerGetCredentialsCommand(_get: Command, _context: () => CommandContext): void {}
