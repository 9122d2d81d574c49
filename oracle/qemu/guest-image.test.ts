// @vitest-environment node
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureGuestImage, guestImageState, missingTools } from './guest-image';

describe('the svm-6.1 guest image: what it takes here, without fetching anything', () => {
  it('an empty cache needs a download (named, with its size), which ensureGuestImage will not do unasked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-cache-'));
    const state = await guestImageState(dir);
    if (missingTools() !== null) {
      expect(state).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/not found; install them/) });
      return;
    }
    if (state.kind === 'unavailable') {
      // no package lists (apt-get update never ran): said plainly
      expect(state.reason).toMatch(/cannot be resolved.*apt-get update/);
      return;
    }
    expect(state).toMatchObject({ kind: 'download', package: expect.stringMatching(/^linux-image-6\.1\./) });
    await expect(ensureGuestImage(dir, { download: false })).rejects.toThrow(/may not be downloaded here/);
    if (state.kind !== 'download') return;
    // a .deb already in the cache is enough: no download
    writeFileSync(join(dir, `${state.package}_1_amd64.deb`), '');
    expect(await guestImageState(dir)).toEqual({ kind: 'cached', package: state.package });
  });
});
