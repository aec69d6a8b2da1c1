/** What scan.ts uses of the WebAssembly JS API: the Node tsconfig has no DOM lib, where it is declared. */
declare namespace WebAssembly {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges with @types/emscripten's
  interface Module {}
  const Module: new (bytes: Uint8Array) => Module;
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  const Instance: new (module: Module, imports: Record<string, unknown>) => Instance;
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
