/** core/store: the Store contracts and the memory and sqlite backends. */
export type * from './types.js';
