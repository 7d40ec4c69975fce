export * from "./read-mesh.js";
export * from "./write-mesh.js";
export * from "./write-file-atomic.js";
export * from "./import-cad.js";
export * from "./import-ifc.js";
export * from "./node-deflate.js";
