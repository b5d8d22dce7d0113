export { EmbeddedLog, openEmbeddedLog, type EmbeddedLogOptions } from './log.js';
export type { CleanerResult } from './cleaner.js';
