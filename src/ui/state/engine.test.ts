import { describe, expect, it, vi } from 'vitest';

describe('the lazily loaded simulator', () => {
  it('is absent until loaded, then present; a saved run waits for it and a fired access is replayed', async () => {
    vi.resetModules();
    const { engine, loadEngine } = await import('./engine');
    const { savedRunOf } = await import('./derived');
    const { PRESETS } = await import('../presets');
    const { createPlaygroundStore } = await import('./store');
    const doc = PRESETS[0].build();
    expect(engine()).toBeNull();
    expect(savedRunOf(doc)).toBeNull();
    const store = createPlaygroundStore({ doc });
    expect(store.getState().fire({ op: 'rdmsr', index: 0x10, value: 0n, host: false })).toBeNull();
    await loadEngine();
    expect(engine()).not.toBeNull();
    expect(savedRunOf(doc)?.outcomes).toHaveLength(doc.saved.length);
    await vi.waitFor(() => expect(store.getState().log.some((e) => e.kind === 'access')).toBe(true));
  });
});
