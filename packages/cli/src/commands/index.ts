import type { Command } from "../command.js";
import { datasetCommand } from "./dataset.js";
import { evalCommand } from "./eval.js";
import { meshCommand } from "./mesh.js";
import { reconstructCommand } from "./reconstruct.js";
import { trainCommand } from "./train.js";
import { infoCommand } from "./info.js";
import { probeCommand } from "./probe.js";
import { renderCommand } from "./render.js";
import { sampleCommand } from "./sample.js";
import { segmentCommand } from "./segment.js";

/** Every sub-command, in the order `sdfkit --help` lists them. Each lives in its own file here. */
export const COMMANDS: Command[] = [infoCommand, sampleCommand, trainCommand, reconstructCommand, meshCommand, evalCommand, segmentCommand, probeCommand, renderCommand, datasetCommand];
