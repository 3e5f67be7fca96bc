/** core/util: the clock and logger every component takes through its options, and where skiff's own files are. Imports nothing of skiff. */
export * from './clock.js';
export * from './log.js';
export * from './own-files.js';
