// Loads Prisma's schema engine compiled to Wasm and creates engines bound to our PG adapter.
// Why not `prisma migrate`: the CLI needs the native schema engine, which it downloads at run
// time; this machine (and many self-hosters) have no network. The Wasm build is the same engine.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export type { SchemaEngine };

let loaded = false;
let lastPanic: string | undefined;

/** Instantiates the Wasm module once per process (the wasm-bindgen glue is a singleton). */
function loadWasm(): void {
  if (loaded) return;
  // The glue reports Rust panics through this global; without it a panic surfaces only as
  // "Cannot read properties of undefined (reading 'set_message')".
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      lastPanic = message;
      if (process.env.TESSERA_DB_DEBUG) console.error(`[schema-engine panic] ${message}`);
    },
  };
  // The .wasm is not in the package's exports map and Node 20 cannot import .wasm files:
  // locate it next to the package's entry point and instantiate it by hand.
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@prisma/schema-engine-wasm");
  const bytes = readFileSync(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
  bg.__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  loaded = true;
}

/** The message of the last Rust panic, if any (a panic surfaces as an uncaught
 * WebAssembly.RuntimeError "unreachable" from a microtask, not as a rejected promise). */
export function lastEnginePanic(): string | undefined {
  return lastPanic;
}

/** The engine's error objects are not always Errors; make them readable. */
export function engineErrorMessage(error: unknown): string {
  const panic = lastPanic ? ` (engine panic: ${lastPanic})` : "";
  if (error instanceof Error) return error.message + panic;
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as { message: unknown }).message) + panic;
  }
  return String(error) + panic;
}

export interface CreateEngineOptions {
  schemaPath: string;
  schemaText: string;
  factory: SqlMigrationAwareDriverAdapterFactory;
  log?: (line: string) => void;
}

/** Creates an engine; it connects to the factory's main database immediately. */
export async function createEngine(opts: CreateEngineOptions): Promise<SchemaEngine> {
  loadWasm();
  lastPanic = undefined;
  const onLog = (line: string) => {
    if (process.env.TESSERA_DB_DEBUG) (opts.log ?? console.error)(`[schema-engine] ${line}`);
  };
  return bg.SchemaEngine.new(
    { datamodels: [[path.resolve(opts.schemaPath), opts.schemaText]] },
    onLog,
    bindMigrationAwareSqlAdapterFactory(opts.factory),
  );
}
