/** Exports of a policy as code: C (the kernel's own structures) and Rust (rust-vmm's kvm-bindings). */
export { cExitMask, cFilterFlags, cRangeFlags, policyToC } from './c';
export { ExportError, type ExportOptions, jsonText } from './common';
export { policyToRust } from './rust';
