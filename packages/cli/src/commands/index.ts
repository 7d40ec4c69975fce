import type { Command } from "../command.js";
import { sampleCommand } from "./sample.js";

/** Every sub-command, in the order `sdfkit --help` lists them. Each lives in its own file here. */
export const COMMANDS: Command[] = [sampleCommand];
