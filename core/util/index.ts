/** core/util: the clock and logger every component takes through its options. Imports nothing of skiff. */
export * from './clock.js';
export * from './log.js';
