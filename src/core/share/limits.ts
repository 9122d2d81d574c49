/**
 * What a share link may hold. The decoder refuses anything past these before it allocates for it, so that a hostile
 * link costs at most a few MiB and a few milliseconds; the encoder refuses to make a link the decoder would refuse.
 */
export const SHARE_LINK_LIMITS = Object.freeze({
  /** Characters in the fragment (after `#`), checked before anything else. */
  maxFragmentChars: 64 * 1024,
  /** Bytes the compressed payload may expand to; inflating stops as soon as it passes this. */
  maxInflatedBytes: 1024 * 1024,
  /** Ranges per policy: the same as the JSON reader (the kernel takes 16; more are kept so validation names them). */
  maxRanges: 64,
  /** Steps (saved accesses and control steps) in the scenario. */
  maxSteps: 10_000,
  /** Expected verdicts (one per step at most). */
  maxExpectations: 10_000,
  /** Bitmap bytes per range: the same as the JSON reader (the kernel reads at most 0x600). */
  maxBitmapBytes: 0x10000,
  /** Bitmap bytes of the whole decoded document, all policies together (a range can be stored as "all ones"). */
  maxTotalBitmapBytes: 4 * 1024 * 1024,
});

export type ShareLinkLimits = typeof SHARE_LINK_LIMITS;
