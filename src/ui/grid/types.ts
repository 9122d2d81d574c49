import type { FilterRange } from '../../core/index';

/** Bits [from, to) of ranges[range]. */
export interface GridSelection {
  range: number;
  from: number;
  to: number;
}

export type GridOp = 'allow' | 'deny' | 'invert';

/** One cell of the grid: bit `bit` of ranges[range], that is MSR ranges[range].base + bit. */
export interface GridCell {
  range: number;
  bit: number;
}

export interface BitmapGridProps {
  ranges: readonly FilterRange[];
  /** The cell that decided the last access: highlighted. */
  decided: { range: number; bit: number } | null;
  /** Cell size in CSS px, 2..24. */
  zoom: number;
  onZoomChange(zoom: number): void;
  selection: GridSelection | null;
  onSelectionChange(sel: GridSelection | null): void;
  /** One call per painted cell or span. */
  onApply(range: number, from: number, to: number, op: GridOp): void;
  /** Pointer down (or a keyboard edit): begin one undo step. */
  onGestureStart(): void;
  /** Pointer up (or the end of a keyboard edit): end it. */
  onGestureEnd(): void;
  /** Scroll to (and, unless focus is false, focus) this MSR when seq changes (in `range` when it covers it, else the first range covering it). */
  jumpTo: { index: number; seq: number; range?: number; focus?: boolean } | null;
  onFocusChange?(cell: { range: number; bit: number; index: number } | null): void;
  /** Spans outlined on the grid, with a legend entry (a compare's differences); none when absent or empty. */
  marks?: readonly GridSelection[] | null;
}
