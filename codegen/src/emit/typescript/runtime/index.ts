export * from "./catalog.js";
export * from "./types.js";
export * from "./schema.js";
export * from "./wire.js";
export * from "./guards.js";
export * from "./error.js";
export * from "./retry.js";
