import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { policyToJson } from '../../core/policy/policy-json';
import { perform } from '../actions/dispatch';
import { getPreset } from '../presets';
import { emptyDocument, type PlaygroundDocument } from '../state/document';
import type { PlaygroundStore } from '../state/types';
import { renderWithStore } from '../test-utils';
import { documentToJson } from './document-json';
import { setShareEnv } from './env';
import { fakeEnv } from './fakes';
import { Notices } from './Notices';
import { ShareDialogs } from './ShareDialogs';

const qemu = () => getPreset('qemu-default')?.build() as PlaygroundDocument;
const selftest = () => getPreset('selftest-deny')?.build() as PlaygroundDocument;
const past = (store: PlaygroundStore) => store.temporal.getState().pastStates.length;

function open(kind: 'import' | 'export', doc = qemu(), file?: File) {
  const r = renderWithStore(<ShareDialogs />, doc);
  const env = fakeEnv('https://example.org/msr/');
  setShareEnv(r.store, env);
  act(() => r.store.getState().setDialog(kind === 'import' ? { kind, file } : { kind }));
  return { ...r, env, dialog: screen.getByRole('dialog', { name: kind === 'import' ? 'Import' : 'Export' }) };
}

afterEach(() => vi.restoreAllMocks());

describe('the Import dialog', () => {
  it('pasted msr-filter/1 JSON replaces the policy only, as one undo step', async () => {
    const { store, user, dialog } = open('import');
    const before = store.getState().doc;
    await user.click(within(dialog).getByLabelText('Or paste JSON or a link'));
    await user.paste(JSON.stringify(policyToJson(selftest().policy)));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    const after = store.getState().doc;
    expect(policyToJson(after.policy)).toEqual(policyToJson(selftest().policy));
    expect(after.saved).toBe(before.saved);
    expect(after.profile).toBe(before.profile);
    expect(past(store)).toBe(1);
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().toast?.text).toMatch(/^Imported the policy "Selftest deny filter"/);
    perform(store, 'history.undo');
    expect(store.getState().doc).toBe(before);
  });

  it('pasted msr-scenario/1 replaces the whole document', async () => {
    const { store, user, dialog } = open('import');
    await user.click(within(dialog).getByLabelText('Or paste JSON or a link'));
    await user.paste(JSON.stringify(documentToJson(selftest())));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(documentToJson(store.getState().doc)).toEqual(documentToJson(selftest()));
    expect(past(store)).toBe(1);
  });

  it('invalid input shows the located error and changes nothing', async () => {
    const { store, user, dialog } = open('import');
    const before = store.getState().doc;
    const bad = policyToJson(selftest().policy) as { ranges: { bitmap: string }[] };
    bad.ranges[0].bitmap = 'not hex';
    const box = within(dialog).getByLabelText('Or paste JSON or a link');
    await user.click(box);
    await user.paste(JSON.stringify(bad));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'Nothing was imported. ranges[0].bitmap: is not a hex string of whole bytes (two hex digits per byte)',
    );
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(store.getState().doc).toBe(before);
    expect(past(store)).toBe(0);
    expect(store.getState().dialog).toEqual({ kind: 'import' });
    // A bad link too.
    await user.clear(box);
    await user.paste('https://example.org/#v2.AAAAAAAA');
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/Nothing was imported\. This link is/);
    expect(store.getState().doc).toBe(before);
  });

  it('a JSON file through the file picker', async () => {
    const { store, user, dialog } = open('import');
    const file = new File([JSON.stringify(documentToJson(selftest()))], 'scenario.json', { type: 'application/json' });
    await user.upload(within(dialog).getByLabelText('A JSON file'), file);
    await waitFor(() => expect(store.getState().dialog).toBeNull());
    expect(documentToJson(store.getState().doc)).toEqual(documentToJson(selftest()));
    expect(past(store)).toBe(1);
  });

  it('a file dropped on the page opens the dialog with it; a bad one shows its error', async () => {
    const file = new File(['{"ranges": 5}'], 'dropped.json');
    const { store } = open('import', qemu(), file);
    const before = store.getState().doc;
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Nothing was imported. dropped.json: ranges: expected an array, got 5',
    );
    expect(store.getState().doc).toBe(before);
  });

  it('Escape closes it and leaves the document alone', async () => {
    const { store, user } = open('import');
    const before = store.getState().doc;
    await user.keyboard('{Escape}');
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().doc).toBe(before);
  });
});

describe('the Export dialog', () => {
  it('shows C by default, and Rust, policy JSON, scenario JSON and the link as tabs', async () => {
    const { user, dialog } = open('export', selftest());
    const code = () => within(dialog).getByRole('textbox') as HTMLTextAreaElement;
    expect(within(dialog).getByRole('tab', { name: 'C' })).toHaveAttribute('aria-selected', 'true');
    expect(code().value).toContain('KVM_X86_SET_MSR_FILTER');
    expect(code().value).toContain('#include <linux/kvm.h>');
    await user.click(within(dialog).getByRole('tab', { name: 'Rust' }));
    expect(code().value).toContain('kvm_msr_filter');
    await user.click(within(dialog).getByRole('tab', { name: 'Policy JSON' }));
    expect(JSON.parse(code().value)).toEqual(policyToJson(selftest().policy));
    await user.click(within(dialog).getByRole('tab', { name: 'Scenario JSON' }));
    expect(JSON.parse(code().value)).toEqual(documentToJson(selftest()));
    await user.click(within(dialog).getByRole('tab', { name: 'Link' }));
    expect(code().value).toMatch(/^https:\/\/example\.org\/msr\/#v2\./);
  });

  it('copies and downloads the text', async () => {
    const { store, user, dialog, env } = open('export', selftest());
    await user.click(within(dialog).getByRole('tab', { name: 'Policy JSON' }));
    const text = (within(dialog).getByRole('textbox') as HTMLTextAreaElement).value;
    await user.click(within(dialog).getByRole('button', { name: 'Copy Policy JSON' }));
    await waitFor(() => expect(store.getState().toast?.text).toBe('Policy JSON copied'));
    expect(env.copied).toEqual([text]);

    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:fake';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    await user.click(within(dialog).getByRole('button', { name: 'Download msr-filter.json' }));
    await waitFor(() => expect(clicks).toEqual(['msr-filter.json']));
    expect(await blobs[0].text()).toBe(text);
    expect(blobs[0].type).toBe('application/json');
  });

  it('shows why a policy of more than 16 ranges cannot be C or Rust, instead of code', async () => {
    const ranges = Array.from({ length: 17 }, (_, i) => ({
      flags: 1,
      base: i * 8,
      nmsrs: 8,
      bitmap: new Uint8Array(1),
    }));
    const { user, dialog } = open('export', { ...emptyDocument(), policy: { flags: 0, ranges } });
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      /This document cannot be exported as C\. ranges\[16\]: struct kvm_msr_filter has room for 16 ranges/,
    );
    expect(within(dialog).queryByRole('textbox')).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Copy C' })).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: 'Download msr-filter.c' })).toBeDisabled();
    await user.click(within(dialog).getByRole('tab', { name: 'Rust' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/cannot be exported as Rust/);
    await user.click(within(dialog).getByRole('tab', { name: 'Policy JSON' }));
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });
});

describe('Copy link', () => {
  it('copies the full URL and confirms; without a clipboard, shows it selected in a dialog', async () => {
    const r = renderWithStore(<ShareDialogs />, selftest());
    const env = fakeEnv('https://example.org/msr/#old');
    setShareEnv(r.store, env);
    act(() => {
      perform(r.store, 'share.copyLink');
    });
    await waitFor(() => expect(r.store.getState().toast?.text).toBe('Link copied'));
    expect(env.copied[0]).toMatch(/^https:\/\/example\.org\/msr\/#v2\.[A-Za-z0-9_-]+$/);

    const noClipboard = fakeEnv('https://example.org/msr/', { clipboard: false });
    setShareEnv(r.store, noClipboard);
    act(() => {
      perform(r.store, 'share.copyLink');
    });
    const dialog = await screen.findByRole('dialog', { name: 'Copy link' });
    const field = within(dialog).getByRole('textbox', { name: 'The link to this document' }) as HTMLInputElement;
    expect(field.value).toBe(env.copied[0]);
    expect(field).toHaveFocus();
    expect(field.selectionStart).toBe(0);
    expect(field.selectionEnd).toBe(field.value.length);
  });
});

describe('notices', () => {
  it('an alert says what was wrong and is dismissed by its button', async () => {
    const { store, user } = renderWithStore(<Notices />);
    act(() =>
      store.getState().addNotice({ id: 'link', tone: 'alert', title: 'This link could not be opened.', text: 'Bad.' }),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('This link could not be opened. Bad.');
    await user.click(screen.getByRole('button', { name: 'Dismiss: This link could not be opened.' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(store.getState().notices).toEqual([]);
  });
});
