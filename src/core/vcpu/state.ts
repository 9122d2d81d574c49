import type { VcpuModel } from './models';

/** The vCPU's MSR state, kept across steps: a write is seen by a later read. */
export interface VcpuState {
  values: Map<number, bigint>;
  /** Ticks of the simulated TSC; advances on every access so two reads differ, as on hardware. */
  tsc: bigint;
  cr0Paging: boolean;
  /** What a feature-gated MSR absent from the vCPU model returns: UNSUPPORTED since 6.12, 1 (#GP/INVAL) before. */
  absentCode: 'unsupported' | 'err';
}

export function createVcpuState(model: VcpuModel, absentIsUnsupported = true): VcpuState {
  return {
    values: new Map(),
    tsc: 0x1000n,
    cr0Paging: model.longMode,
    absentCode: absentIsUnsupported ? 'unsupported' : 'err',
  };
}
