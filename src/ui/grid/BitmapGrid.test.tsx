import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, type Mock, vi } from 'vitest';
import { type FilterRange, KVM_MSR_FILTER_READ, testBit } from '../../core/index';
import { BitmapGrid } from './BitmapGrid';
import { cellCenter, cellRect, computeLayout, FALLBACK_WIDTH } from './geometry';
import { applyOp } from './harness-data';
import type { BitmapGridProps, GridSelection } from './types';

/** Range 0: MSRs 0..0xff, only 0x10 (IA32_TSC) allowed. Range 1: 0xc0000080..0xc000008f, all denied. */
function makeRanges(): FilterRange[] {
  const r0 = new Uint8Array(0x20);
  r0[2] = 0b1;
  return [
    { flags: KVM_MSR_FILTER_READ, base: 0, nmsrs: 0x100, bitmap: r0, comment: 'low' },
    { flags: KVM_MSR_FILTER_READ, base: 0xc000_0080, nmsrs: 16, bitmap: new Uint8Array(2) },
  ];
}

interface Setup {
  zoom?: number;
  decided?: BitmapGridProps['decided'];
  jumpTo?: BitmapGridProps['jumpTo'];
}

type Calls = Record<'apply' | 'start' | 'end' | 'selection' | 'zoom' | 'focus', Mock<(...args: unknown[]) => void>>;
interface State {
  ranges: FilterRange[];
  selection: GridSelection | null;
}

/** The grid with its owner's state, like the app's store: edits land in `state` for the assertions. */
function Wrapper(p: Setup & { calls: Calls; state: State; initialZoom: number }) {
  const { calls, state } = p;
  const [ranges, setRanges] = useState(state.ranges);
  const [selection, setSelection] = useState<GridSelection | null>(null);
  const [zoom, setZoom] = useState(p.initialZoom);
  state.ranges = ranges;
  state.selection = selection;
  return (
    <BitmapGrid
      ranges={ranges}
      decided={p.decided ?? null}
      zoom={zoom}
      onZoomChange={(z) => {
        calls.zoom(z);
        setZoom(z);
      }}
      selection={selection}
      onSelectionChange={(s) => {
        calls.selection(s);
        setSelection(s);
      }}
      onApply={(r, f, t, op) => {
        calls.apply(r, f, t, op);
        setRanges((rs) => applyOp(rs, r, f, t, op));
      }}
      onGestureStart={calls.start}
      onGestureEnd={calls.end}
      jumpTo={p.jumpTo ?? null}
      onFocusChange={calls.focus}
    />
  );
}

function setup(opts: Setup = {}) {
  const calls: Calls = {
    apply: vi.fn(),
    start: vi.fn(),
    end: vi.fn(),
    selection: vi.fn(),
    zoom: vi.fn(),
    focus: vi.fn(),
  };
  const state: State = { ranges: makeRanges(), selection: null };
  const initialZoom = opts.zoom ?? 8;
  const props = { calls, state, initialZoom };
  const utils = render(<Wrapper {...opts} {...props} />);
  const rerender = (o: Setup) => utils.rerender(<Wrapper {...o} {...props} />);
  const surface = screen.getByRole('application');
  // happy-dom has no layout: the surface sits at the page's origin, the container falls back to 640 px
  surface.getBoundingClientRect = () =>
    ({ left: 0, top: 0, x: 0, y: 0, right: 640, bottom: 400, width: 640, height: 400, toJSON: () => ({}) }) as DOMRect;
  const layout = computeLayout(state.ranges, opts.zoom ?? 8, FALLBACK_WIDTH);
  const at = (range: number, bit: number) => {
    const c = cellCenter(layout, range, bit);
    return { clientX: c.x, clientY: c.y, pointerId: 1, pointerType: 'mouse', button: 0 };
  };
  const live = () => screen.getByTestId('msr-grid-live').textContent;
  const status = () => screen.getByTestId('msr-grid-status').textContent;
  const bit = (range: number, b: number) => testBit(state.ranges[range].bitmap, b);
  return { ...utils, rerender, surface, layout, at, calls, state, live, status, bit };
}

afterEach(() => {
  document.documentElement.style.cssText = '';
});

describe('BitmapGrid: structure', () => {
  it('is one tab stop with a role, a description and a legend that does not rely on colour', () => {
    const { surface, layout } = setup();
    expect(surface).toHaveAttribute('tabindex', '0');
    expect(surface).toHaveAttribute('aria-roledescription', 'bitmap grid');
    expect(surface).toHaveAccessibleName('MSR bitmap, 2 ranges');
    expect(surface).toHaveAccessibleDescription(/Arrow keys move/);
    expect(surface.querySelectorAll('canvas')).toHaveLength(2);
    for (const c of surface.querySelectorAll('canvas')) expect(c).not.toHaveAttribute('tabindex');
    expect(screen.getByText('Allowed (filled)')).toBeInTheDocument();
    expect(screen.getByText('Denied (hatched)')).toBeInTheDocument();
    expect(layout.cols).toBe(64);
    expect(surface).toHaveAttribute('data-cols', '64');
  });

  it('paints the whole view once, then only the rows an edit touched', () => {
    const { surface, at } = setup();
    const base = surface.querySelector('canvas.msr-grid-base') as HTMLCanvasElement;
    const ctx = base.getContext('2d') as CanvasRenderingContext2D;
    const put = vi.spyOn(ctx, 'putImageData');
    put.mockClear();
    expect(base.width).toBeGreaterThan(0);
    fireEvent.pointerDown(surface, at(0, 70));
    fireEvent.pointerUp(surface, at(0, 70));
    expect(put).toHaveBeenCalled();
    // every call is a dirty-rect put (7 arguments) of one row strip, never a full repaint
    for (const call of put.mock.calls) {
      expect(call).toHaveLength(7);
      expect(call[6]).toBe(8);
    }
  });

  it('reads its colours from CSS variables and highlights the decided cell', () => {
    document.documentElement.style.setProperty('--grid-decided', 'rgb(1, 2, 3)');
    const { surface, layout } = setup({ decided: { range: 0, bit: 0x10 } });
    const overlay = surface.querySelector('canvas.msr-grid-overlay') as HTMLCanvasElement;
    const ctx = overlay.getContext('2d') as CanvasRenderingContext2D & {
      __getDrawCalls(): { type: string; props: Record<string, number> }[];
    };
    const r = cellRect(layout, 0, 0x10);
    const strokes = ctx.__getDrawCalls().filter((c) => c.type === 'strokeRect');
    expect(strokes.some((c) => c.props.x === r.x - 1.5 && c.props.y === r.y - 1.5 && c.props.width === r.w + 3)).toBe(
      true,
    );
    expect(ctx.strokeStyle).not.toBe('');
    const events = (ctx as unknown as { __getEvents(): { type: string; props: { value?: string } }[] }).__getEvents();
    expect(events.some((e) => e.type === 'strokeStyle' && /#010203|rgb\(1, 2, 3\)/.test(String(e.props.value)))).toBe(
      true,
    );
    expect(screen.getByTestId('msr-grid-status')).toHaveTextContent('last access decided by MSR 0x00000010 IA32_TSC');
  });
});

describe('BitmapGrid: pointer', () => {
  it('toggles a cell on click, as one gesture', () => {
    const { surface, at, calls, bit } = setup();
    fireEvent.pointerDown(surface, at(0, 5));
    fireEvent.pointerUp(surface, at(0, 5));
    expect(calls.apply.mock.calls).toEqual([[0, 5, 6, 'invert']]);
    expect(calls.start).toHaveBeenCalledTimes(1);
    expect(calls.end).toHaveBeenCalledTimes(1);
    expect(bit(0, 5)).toBe(true);
  });

  it('paints allow over a drag that starts on a denied cell, one call per new cell or span', () => {
    const { surface, at, calls, bit } = setup();
    fireEvent.pointerDown(surface, at(0, 1));
    fireEvent.pointerMove(surface, at(0, 4));
    fireEvent.pointerMove(surface, at(0, 4 + 64));
    fireEvent.pointerMove(surface, at(0, 4)); // back over a painted cell: nothing new
    fireEvent.pointerUp(surface, at(0, 4));
    expect(calls.apply.mock.calls).toEqual([
      [0, 1, 2, 'invert'],
      [0, 2, 5, 'allow'],
      [0, 68, 69, 'allow'],
    ]);
    expect(calls.start).toHaveBeenCalledTimes(1);
    expect(calls.end).toHaveBeenCalledTimes(1);
    expect([1, 2, 3, 4, 68].every((b) => bit(0, b))).toBe(true);
    expect(bit(0, 5)).toBe(false);
  });

  it('paints deny over a drag that starts on an allowed cell, across ranges', () => {
    const { surface, at, calls, bit, layout } = setup();
    fireEvent.pointerDown(surface, at(0, 0x10));
    fireEvent.pointerMove(surface, at(0, 0x12));
    // into range 1, straight down from column 0x12
    const c = cellCenter(layout, 1, 0);
    fireEvent.pointerMove(surface, { ...at(1, 0), clientX: c.x });
    fireEvent.pointerUp(surface, at(1, 0));
    expect(calls.apply.mock.calls[0]).toEqual([0, 0x10, 0x11, 'invert']);
    expect(calls.apply.mock.calls[1]).toEqual([0, 0x11, 0x13, 'deny']);
    expect(calls.apply.mock.calls.slice(2).every((call) => call[3] === 'deny')).toBe(true);
    expect(calls.apply.mock.calls.at(-1)?.slice(0, 2)).toEqual([1, 0]);
    expect(bit(0, 0x10)).toBe(false);
    expect(calls.end).toHaveBeenCalledTimes(1);
  });

  it('selects a span with Shift+drag, within one range, without editing', async () => {
    const { surface, at, calls, live } = setup();
    fireEvent.pointerDown(surface, { ...at(0, 9), shiftKey: true });
    fireEvent.pointerMove(surface, { ...at(0, 3), shiftKey: true });
    fireEvent.pointerMove(surface, { ...at(1, 2), shiftKey: true });
    fireEvent.pointerUp(surface, at(1, 2));
    expect(calls.apply).not.toHaveBeenCalled();
    expect(calls.start).not.toHaveBeenCalled();
    expect(calls.selection).toHaveBeenCalledWith({ range: 0, from: 3, to: 10 });
    // dragging below the range clamps to its last bits
    expect(calls.selection).toHaveBeenLastCalledWith({ range: 0, from: 9, to: 3 * 64 + 3 });
    expect(live()).toMatch(/selected 186 MSRs 0x00000009–0x000000c2 in range 0, 1 allowed/);
    await userEvent.click(screen.getByRole('button', { name: 'Invert' }));
    expect(calls.apply.mock.calls).toEqual([[0, 9, 195, 'invert']]);
    expect(calls.start).toHaveBeenCalledTimes(1);
    expect(calls.end).toHaveBeenCalledTimes(1);
  });

  it('shows the MSR under the pointer in the status line and a tooltip', () => {
    const { surface, at, status } = setup();
    fireEvent.pointerMove(surface, at(0, 0x10));
    expect(status()).toContain('MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed');
    const tip = '0x00000010 IA32_TSC · allowed · ranges[0] bit 16';
    expect(screen.getByText(tip)).toHaveClass('msr-grid-tooltip');
    fireEvent.pointerMove(surface, at(1, 4));
    expect(screen.getByText('0xc0000084 MSR_SYSCALL_MASK · denied · ranges[1] bit 4')).toBeInTheDocument();
    fireEvent.pointerLeave(surface);
    expect(screen.queryByText(/IA32_TSC ·/)).toBeNull();
  });

  it('ignores clicks on headers and the gutter', () => {
    const { surface, calls, layout } = setup();
    fireEvent.pointerDown(surface, { clientX: 100, clientY: 5, pointerId: 1, button: 0 });
    fireEvent.pointerDown(surface, { clientX: 10, clientY: layout.bands[0].cellsTop + 3, pointerId: 1, button: 0 });
    expect(calls.apply).not.toHaveBeenCalled();
    expect(calls.start).not.toHaveBeenCalled();
  });

  it('toggles on a touch tap only when it does not turn into a scroll', () => {
    const { surface, at, calls } = setup();
    fireEvent.pointerDown(surface, { ...at(0, 7), pointerType: 'touch' });
    fireEvent.pointerCancel(surface, { ...at(0, 7), pointerType: 'touch' });
    expect(calls.apply).not.toHaveBeenCalled();
    fireEvent.pointerDown(surface, { ...at(0, 7), pointerType: 'touch' });
    fireEvent.pointerUp(surface, { ...at(0, 7), pointerType: 'touch' });
    expect(calls.apply.mock.calls).toEqual([[0, 7, 8, 'invert']]);
  });
});

describe('BitmapGrid: keyboard', () => {
  it('announces the focused MSR and moves with arrows, Home/End, PageUp/PageDown, Ctrl+Home/End', () => {
    const { surface, live, calls } = setup();
    act(() => surface.focus());
    expect(live()).toBe('MSR 0x00000000 IA32_P5_MC_ADDR, range 0 bit 0, denied');
    expect(calls.focus).toHaveBeenLastCalledWith({ range: 0, bit: 0, index: 0 });
    const key = (k: string, init: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(surface, { key: k, ...init });
    key('ArrowRight');
    expect(live()).toMatch(/^MSR 0x00000001\b.*, range 0 bit 1, denied$/);
    key('ArrowDown');
    expect(live()).toMatch(/^MSR 0x00000041, range 0 bit 65/);
    key('End');
    expect(live()).toMatch(/range 0 bit 127,/);
    key('Home');
    expect(live()).toMatch(/range 0 bit 64,/);
    key('ArrowUp');
    key('ArrowLeft');
    expect(live()).toMatch(/range 0 bit 0,/);
    key('PageDown');
    // a page in a 400 px view at 8 px rows is far more than range 0's 4 rows: into range 1
    expect(live()).toMatch(/^MSR 0xc0000080 IA32_EFER, range 1 bit 0,/);
    key('PageUp');
    expect(live()).toMatch(/range 0 bit 0,/);
    key('End', { ctrlKey: true });
    expect(live()).toBe('MSR 0xc000008f, range 1 bit 15, denied');
    key('Home', { ctrlKey: true });
    expect(live()).toMatch(/range 0 bit 0,/);
    expect(calls.apply).not.toHaveBeenCalled();
  });

  it('toggles the focused cell with Space, as one undo step, and announces the new state', () => {
    const { surface, live, calls, bit } = setup();
    act(() => surface.focus());
    for (let i = 0; i < 16; i++) fireEvent.keyDown(surface, { key: 'ArrowRight' });
    expect(live()).toBe('MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed');
    fireEvent.keyDown(surface, { key: ' ' });
    expect(calls.apply.mock.calls).toEqual([[0, 16, 17, 'invert']]);
    expect(calls.start).toHaveBeenCalledTimes(1);
    expect(calls.end).toHaveBeenCalledTimes(1);
    expect(bit(0, 16)).toBe(false);
    expect(live()).toBe('MSR 0x00000010 IA32_TSC, range 0 bit 16, denied');
  });

  it('extends a selection with Shift+arrows and applies A, D and I to it', () => {
    const { surface, live, calls, state } = setup();
    act(() => surface.focus());
    fireEvent.keyDown(surface, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(surface, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(surface, { key: 'ArrowRight', shiftKey: true });
    expect(state.selection).toEqual({ range: 0, from: 0, to: 4 });
    expect(live()).toBe(
      'MSR 0x00000003, range 0 bit 3, denied; selected 4 MSRs 0x00000000–0x00000003 in range 0, 0 allowed',
    );
    fireEvent.keyDown(surface, { key: 'ArrowDown', shiftKey: true });
    expect(state.selection).toEqual({ range: 0, from: 0, to: 68 });
    fireEvent.keyDown(surface, { key: 'ArrowUp', shiftKey: true });
    fireEvent.keyDown(surface, { key: 'a' });
    fireEvent.keyDown(surface, { key: 'd' });
    fireEvent.keyDown(surface, { key: 'I' });
    expect(calls.apply.mock.calls).toEqual([
      [0, 0, 4, 'allow'],
      [0, 0, 4, 'deny'],
      [0, 0, 4, 'invert'],
    ]);
    expect(calls.start).toHaveBeenCalledTimes(3);
    expect(calls.end).toHaveBeenCalledTimes(3);
    expect(live()).toMatch(/4 allowed$/);
    fireEvent.keyDown(surface, { key: 'Escape' });
    expect(state.selection).toBeNull();
    // with no selection, A applies to the focused cell
    fireEvent.keyDown(surface, { key: 'd' });
    expect(calls.apply).toHaveBeenLastCalledWith(0, 3, 4, 'deny');
  });

  it('keeps a Shift selection inside its range and clears it on a plain move', () => {
    const { surface, state } = setup();
    act(() => surface.focus());
    fireEvent.keyDown(surface, { key: 'End', ctrlKey: true });
    fireEvent.keyDown(surface, { key: 'ArrowLeft', shiftKey: true });
    fireEvent.keyDown(surface, { key: 'ArrowUp', shiftKey: true });
    expect(state.selection?.range).toBe(1);
    fireEvent.keyDown(surface, { key: 'Home', ctrlKey: true, shiftKey: true });
    expect(state.selection).toEqual({ range: 1, from: 0, to: 16 });
    fireEvent.keyDown(surface, { key: 'ArrowRight' });
    expect(state.selection).toBeNull();
  });

  it('zooms with + and -', () => {
    const { surface, calls } = setup();
    fireEvent.keyDown(surface, { key: '+' });
    expect(calls.zoom).toHaveBeenLastCalledWith(10);
    fireEvent.keyDown(surface, { key: '-' });
    expect(calls.zoom).toHaveBeenLastCalledWith(8);
  });
});

describe('BitmapGrid: toolbar, zoom and jump', () => {
  it('zooms with the buttons and Ctrl+wheel, not with a plain wheel', async () => {
    const { calls } = setup();
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(calls.zoom).toHaveBeenLastCalledWith(10);
    expect(screen.getByLabelText('Cell size')).toHaveTextContent('10 px');
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(calls.zoom).toHaveBeenLastCalledWith(8);
    const scroller = screen.getByTestId('msr-grid-scroll');
    const wheel = (deltaY: number, ctrlKey: boolean) => {
      const ev = new WheelEvent('wheel', { deltaY, bubbles: true, cancelable: true });
      // happy-dom's WheelEvent drops the modifier keys of its init dictionary
      Object.defineProperty(ev, 'ctrlKey', { value: ctrlKey });
      act(() => {
        scroller.dispatchEvent(ev);
      });
      return ev;
    };
    wheel(100, false);
    expect(calls.zoom).toHaveBeenCalledTimes(2);
    expect(wheel(-100, true).defaultPrevented).toBe(true);
    expect(calls.zoom).toHaveBeenLastCalledWith(10);
    wheel(100, true);
    expect(calls.zoom).toHaveBeenLastCalledWith(8);
  });

  it('jumps to an MSR by name and focuses it', async () => {
    const { surface, live, calls } = setup();
    const input = screen.getByLabelText('Jump to MSR');
    await userEvent.type(input, 'ia32_tsc{Enter}');
    expect(document.activeElement).toBe(surface);
    expect(live()).toBe('MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed');
    expect(calls.focus).toHaveBeenLastCalledWith({ range: 0, bit: 16, index: 0x10 });
  });

  it('jumps by index into the second range, and explains a miss', async () => {
    const { live } = setup();
    const input = screen.getByLabelText('Jump to MSR');
    await userEvent.type(input, '0xc0000084{Enter}');
    expect(live()).toBe('MSR 0xc0000084 MSR_SYSCALL_MASK, range 1 bit 4, denied');
    await userEvent.clear(input);
    await userEvent.type(input, 'NO_SUCH_MSR{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('No MSR is called "NO_SUCH_MSR".');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    await userEvent.clear(input);
    await userEvent.type(input, 'EFER{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('');
    expect(live()).toMatch(/^MSR 0xc0000080 IA32_EFER, range 1 bit 0/);
  });

  it('follows the jumpTo prop each time its seq changes', () => {
    const { rerender, surface, live, calls } = setup();
    rerender({ jumpTo: { index: 0xc000_0085, seq: 1 } });
    expect(document.activeElement).toBe(surface);
    expect(live()).toMatch(/^MSR 0xc0000085, range 1 bit 5/);
    act(() => surface.blur());
    rerender({ jumpTo: { index: 0x10, seq: 2 } });
    expect(live()).toMatch(/^MSR 0x00000010 IA32_TSC/);
    expect(calls.focus).toHaveBeenLastCalledWith({ range: 0, bit: 16, index: 0x10 });
    rerender({ jumpTo: { index: 0x10, seq: 2 } });
    expect(calls.focus).toHaveBeenCalledTimes(3);
  });

  it('applies the toolbar buttons to the focused cell when nothing is selected', async () => {
    const { surface, calls } = setup();
    expect(screen.getByRole('button', { name: 'Allow' })).toBeDisabled();
    act(() => surface.focus());
    await userEvent.click(screen.getByRole('button', { name: 'Allow' }));
    expect(calls.apply).toHaveBeenLastCalledWith(0, 0, 1, 'allow');
    expect(calls.start).toHaveBeenCalledTimes(1);
    expect(calls.end).toHaveBeenCalledTimes(1);
  });
});

describe('BitmapGrid: A/D/I and the toolbar act on what the user sees', () => {
  /** Shift+drag selects bits 2..5 of range 0. */
  function selectSpanInRange0(g: ReturnType<typeof setup>) {
    fireEvent.pointerDown(g.surface, { ...g.at(0, 2), shiftKey: true });
    fireEvent.pointerMove(g.surface, g.at(0, 5));
    fireEvent.pointerUp(g.surface, g.at(0, 5));
    expect(g.state.selection).toEqual({ range: 0, from: 2, to: 6 });
  }

  it('D after a jump to another range denies the MSR jumped to, not the old off-screen selection', async () => {
    const g = setup();
    selectSpanInRange0(g);
    await userEvent.click(screen.getByRole('button', { name: 'Allow' }));
    expect([2, 3, 4, 5].map((b) => g.bit(0, b))).toEqual([true, true, true, true]);
    await userEvent.type(screen.getByLabelText('Jump to MSR'), '0xc0000084{Enter}');
    expect(document.activeElement).toBe(g.surface);
    expect(g.state.selection).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Invert' }));
    expect(g.bit(1, 4)).toBe(true);
    act(() => g.surface.focus());
    await userEvent.keyboard('d');
    expect(g.bit(1, 4)).toBe(false);
    expect(g.calls.apply).toHaveBeenLastCalledWith(1, 4, 5, 'deny');
    // the old span is untouched
    expect([2, 3, 4, 5].map((b) => g.bit(0, b))).toEqual([true, true, true, true]);
  });

  it('the jumpTo prop (a link) moves off the selection: the toolbar then acts on the linked MSR', async () => {
    const g = setup();
    selectSpanInRange0(g);
    g.rerender({ jumpTo: { index: 0xc000_0081, seq: 1 } });
    expect(g.state.selection).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Allow' }));
    expect(g.calls.apply).toHaveBeenLastCalledWith(1, 1, 2, 'allow');
    expect(g.bit(1, 1)).toBe(true);
    expect(g.bit(0, 2)).toBe(false);
  });

  it('a jump inside the selection keeps it, and D denies the whole span', async () => {
    const g = setup();
    selectSpanInRange0(g);
    g.rerender({ jumpTo: { index: 0x3, seq: 1 } });
    expect(g.state.selection).toEqual({ range: 0, from: 2, to: 6 });
    await userEvent.keyboard('a');
    expect(g.calls.apply).toHaveBeenLastCalledWith(0, 2, 6, 'allow');
  });
});

describe('BitmapGrid: the instrument', () => {
  it('offers 16, 32 or 64 columns', async () => {
    const { surface } = setup();
    await userEvent.selectOptions(screen.getByLabelText('Columns per row'), '16');
    expect(surface).toHaveAttribute('data-cols', '16');
    await userEvent.selectOptions(screen.getByLabelText('Columns per row'), '32');
    expect(surface).toHaveAttribute('data-cols', '32');
  });

  it('has an overview bar per range with its allowed count, and collapses and expands a range', async () => {
    const g = setup();
    expect(screen.getByRole('button', { name: 'Show ranges[0] 0x00000000: 1 of 256 allowed' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show ranges[1] 0xc0000080: 0 of 16 allowed' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Collapse ranges[0]' }));
    expect(screen.getByRole('button', { name: 'Expand ranges[0]' })).toHaveAttribute('aria-expanded', 'false');
    // a jump into the collapsed range opens it again and focuses the MSR
    g.rerender({ jumpTo: { index: 0x10, seq: 1 } });
    await vi.waitFor(() => expect(g.live()).toMatch(/^MSR 0x00000010 IA32_TSC, range 0 bit 16/));
    expect(screen.getByRole('button', { name: 'Collapse ranges[0]' })).toHaveAttribute('aria-expanded', 'true');
  });

  it('with "Drag selects", a plain drag selects a span instead of painting', async () => {
    const g = setup();
    await userEvent.click(screen.getByRole('radio', { name: 'Drag selects' }));
    fireEvent.pointerDown(g.surface, g.at(0, 3));
    fireEvent.pointerMove(g.surface, g.at(0, 6));
    fireEvent.pointerUp(g.surface, g.at(0, 6));
    expect(g.calls.apply).not.toHaveBeenCalled();
    expect(g.state.selection).toEqual({ range: 0, from: 3, to: 7 });
  });

  it('a touch toggles on a tap; a long press then drag paints', async () => {
    vi.useFakeTimers();
    try {
      const g = setup();
      const touch = (range: number, bit: number) => ({ ...g.at(range, bit), pointerType: 'touch', pointerId: 7 });
      fireEvent.pointerDown(g.surface, touch(0, 4));
      fireEvent.pointerUp(g.surface, touch(0, 4));
      expect(g.bit(0, 4)).toBe(true);
      fireEvent.pointerDown(g.surface, touch(0, 8));
      act(() => {
        vi.advanceTimersByTime(600);
      });
      fireEvent.pointerMove(g.surface, touch(0, 11));
      fireEvent.pointerUp(g.surface, touch(0, 11));
      expect([8, 9, 10, 11].map((b) => g.bit(0, b))).toEqual([true, true, true, true]);
      // a touch that moves before the long press is a scroll: nothing painted
      fireEvent.pointerDown(g.surface, touch(0, 20));
      fireEvent.pointerMove(g.surface, { ...touch(0, 20), clientY: touch(0, 20).clientY + 30 });
      act(() => {
        vi.advanceTimersByTime(600);
      });
      fireEvent.pointerCancel(g.surface, touch(0, 20));
      expect(g.bit(0, 20)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('BitmapGrid: themes', () => {
  it('re-reads its colours when the theme attribute changes', async () => {
    document.documentElement.style.setProperty('--grid-focus', 'rgb(10, 20, 30)');
    const { surface } = setup();
    act(() => surface.focus());
    const overlay = surface.querySelector('canvas.msr-grid-overlay') as HTMLCanvasElement;
    const ctx = overlay.getContext('2d') as CanvasRenderingContext2D & {
      __getEvents(): { type: string; props: { value?: string } }[];
      __clearEvents(): void;
    };
    const strokes = () =>
      ctx
        .__getEvents()
        .filter((e) => e.type === 'strokeStyle')
        .map((e) => String(e.props.value));
    expect(strokes()).toContain('#0a141e');
    ctx.__clearEvents();
    document.documentElement.style.setProperty('--grid-focus', 'rgb(200, 100, 0)');
    document.documentElement.setAttribute('data-theme', 'dark');
    await vi.waitFor(() => expect(strokes()).toContain('#c86400'));
    document.documentElement.removeAttribute('data-theme');
  });
});
