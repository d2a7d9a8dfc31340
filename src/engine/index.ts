export { initBackend, getBackendInfo } from './backend.js';
export type { BackendInfo, BackendRequest, InitBackendOptions } from './backend.js';
export { fileSystemIO, DEFAULT_SHARD_BYTES } from './file-system-io.js';
export type { FileSystemIOOptions } from './file-system-io.js';
export { saveLayersModel } from './save-layers-model.js';
export { loadLayersModelFromFile } from './load-layers-model-from-file.js';
export { loadGraphModelFromFile } from './load-graph-model-from-file.js';
export { importOptionalModule } from './optional-module.js';
export type { OptionalModuleResult } from './optional-module.js';
