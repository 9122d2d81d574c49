/** A filter policy: the contents of `struct kvm_msr_filter`, ranges in array order. */
export interface FilterRange {
  /** KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE; any 32-bit value is representable so validation can reject it. */
  flags: number;
  base: number;
  nmsrs: number;
  /** Bit j of byte i is MSR base + 8i + j; 1 allows. Missing bytes are zero. */
  bitmap: Uint8Array;
  comment?: string;
}

export interface FilterPolicy {
  name?: string;
  /** Filter flags: KVM_MSR_FILTER_DEFAULT_DENY or 0 (default allow); other bits representable. */
  flags: number;
  ranges: FilterRange[];
}

export const EMPTY_POLICY: FilterPolicy = { flags: 0, ranges: [] };
