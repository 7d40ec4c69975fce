declare module "occt-import-js" {
  interface OcctMesh {
    name: string;
    color?: [number, number, number];
    attributes: { position: { array: ArrayLike<number> }; normal?: { array: ArrayLike<number> } };
    index: { array: ArrayLike<number> };
    brep_faces: { first: number; last: number; color: [number, number, number] | null }[];
  }
  interface OcctNode { name: string; meshes: number[]; children: OcctNode[] }
  interface OcctResult { success: boolean; root: OcctNode; meshes: OcctMesh[] }
  interface OcctModule {
    ReadStepFile(content: Uint8Array, params: unknown): OcctResult;
    ReadIgesFile(content: Uint8Array, params: unknown): OcctResult;
    ReadBrepFile(content: Uint8Array, params: unknown): OcctResult;
  }
  const factory: (moduleArg?: { print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<OcctModule>;
  export default factory;
}
