export * from './intervals';
export * from './msr-list';
export * from './optimal-ranges';
export * from './pack';
