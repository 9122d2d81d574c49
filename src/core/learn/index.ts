export * from './learn';
export * from './passthrough';
export * from './trace-parser';
