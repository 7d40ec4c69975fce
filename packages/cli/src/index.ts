export * from "./command.js";
export * from "./run-cli.js";
export * from "./commands/index.js";
export * from "./commands/info.js";
export * from "./commands/render.js";
export * from "./commands/sample.js";
export * from "./probe-shapes.js";
