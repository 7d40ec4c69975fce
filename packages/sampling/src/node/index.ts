export * from "./cached-sample-bands.js";
