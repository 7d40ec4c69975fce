export { assertValidMesh } from "./internal/validate.js";
