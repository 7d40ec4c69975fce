import type { Command } from "../command.js";
import { infoCommand } from "./info.js";
import { probeCommand } from "./probe.js";
import { renderCommand } from "./render.js";
import { sampleCommand } from "./sample.js";
import { segmentCommand } from "./segment.js";

/** Every sub-command, in the order `sdfkit --help` lists them. Each lives in its own file here. */
export const COMMANDS: Command[] = [infoCommand, sampleCommand, segmentCommand, probeCommand, renderCommand];
