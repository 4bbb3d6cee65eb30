/** Public surface of the survey module: types, pair making, statistics, CNN-on-pairs and file I/O. */
export * from './types';
export * from './pairs';
export * from './stats';
export * from './cnnPairs';
export * from './kitFile';
export { base64ToBytes, bytesToBase64 } from './base64';
