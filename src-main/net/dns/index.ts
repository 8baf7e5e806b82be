export * from './types.ts';
export * from './resolve.ts';
export * from './search.ts';
export * from './format.ts';
export { messageSize } from './wire.ts';
