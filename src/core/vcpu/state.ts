import type { VcpuModel } from './models';

/** The vCPU's MSR state, kept across steps: a write is seen by a later read. */
export interface VcpuState {
  values: Map<number, bigint>;
  /** Ticks of the simulated TSC; advances on every access so two reads differ, as on hardware. */
  tsc: bigint;
  cr0Paging: boolean;
}

export function createVcpuState(model: VcpuModel): VcpuState {
  return { values: new Map(), tsc: 0x1000n, cr0Paging: model.longMode };
}
