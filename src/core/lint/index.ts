export * from './export-buffers';
export * from './lint';
export * from './linux-boot-msrs';
