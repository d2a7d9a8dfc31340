export { crc32, encodePng, encodePngDataUri } from './png.js';
export type { EncodePngOptions, PngChannels } from './png.js';
