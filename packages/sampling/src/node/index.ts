export * from "./evaluate-parallel.js";
