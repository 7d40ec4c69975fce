export * from "./api.js";
export * from "./specs.js";
export * from "./learning-rate-schedule.js";
export * from "./checkpoint.js";
export * from "./training-log.js";
export * from "./sample-grid-sparse.js";
export * from "./curriculum-trainer.js";
