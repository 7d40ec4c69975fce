import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Tests import packages by name (`@sdfkit/sdf-core`, `@sdfkit/sdf-core/node`); during development these
 * resolve to the TypeScript sources so no build is needed. The pack test (issue 9) checks the built
 * exports maps.
 */
export const sdfkitAlias = [
  { find: /^@sdfkit\/([a-z-]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
  { find: /^@sdfkit\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
];
