/** One step of the path an access took, in the order the kernel took it. */
export interface TraceStep {
  stage: 'filter' | 'kvm' | 'exit' | 'vmm' | 'result';
  text: string;
  /** The policy range this step is about (index into policy.ranges). */
  range?: number;
  /** The bit within that range's bitmap. */
  bit?: number;
  tone?: 'allow' | 'deny' | 'neutral';
}
