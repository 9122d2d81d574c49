import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getPreset } from '../presets';
import type { PlaygroundDocument } from '../state/document';
import { renderWithStore } from '../test-utils';
import { SavedOnKvm } from './SavedOnKvm';

afterEach(() => vi.unstubAllGlobals());

describe('SavedOnKvm', () => {
  it("runs the document's saved accesses, in order, as the scenario sent to the kernel", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (String(url).endsWith('/status')) {
          return new Response(JSON.stringify({ available: true, kernel: 'Linux test' }), {
            headers: { 'Content-Type': 'application/json' },
          });
        }
        const body = JSON.parse(String(init?.body));
        expect(body.steps.map((s: { op: string; index: string }) => `${s.op} ${s.index}`)).toEqual([
          'rdmsr 0x00000035',
          'wrmsr 0x00000035',
          'rdmsr 0x00000010',
        ]);
        expect(body.filter.ranges).toHaveLength(1);
        return new Response('', { status: 500, statusText: 'stop here' });
      }),
    );
    const { user } = renderWithStore(<SavedOnKvm />, getPreset('qemu-default')?.build() as PlaygroundDocument);
    expect(screen.getByText(/The 3 saved accesses run in order/)).toBeInTheDocument();
    const run = await screen.findByRole('button', { name: "Run on this machine's KVM" });
    await vi.waitFor(() => expect(run).toBeEnabled());
    await user.click(run);
    expect(
      await within(screen.getByRole('status')).findByText(/The kernel run failed: 500 stop here/),
    ).toBeInTheDocument();
  });
});
