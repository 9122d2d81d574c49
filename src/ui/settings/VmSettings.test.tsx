import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SavedAccesses } from '../console/SavedAccesses';
import { scenarioToDocument } from '../state/document';
import { renderWithStore } from '../test-utils';
import { VmSettings } from './VmSettings';

/** DEFAULT_DENY with one READ range: RDMSR 0x802 is denied by the allow list, exempt (x2APIC) on merged kernels. */
const x2apicDoc = () =>
  scenarioToDocument({
    profile: 'allowlist-v4',
    filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: 0, nmsrs: 1, bitmap: '01' }] },
    steps: [{ op: 'rdmsr', index: '0x802', expect: 'eperm' }],
  });

describe('VmSettings', () => {
  it('chooses the host model: the saved accesses re-run on it, the hint says how we know it, undo puts it back', async () => {
    const doc = scenarioToDocument({
      vcpu: 'linux64',
      steps: [{ op: 'wrmsr', index: '0xc0000082', value: '0x0000800000000000', expect: 'gp' }],
    });
    const { store, user } = renderWithStore(
      <>
        <VmSettings />
        <SavedAccesses />
      </>,
      doc,
    );
    const saved = screen.getByRole('region', { name: 'Saved accesses' });
    const host = screen.getByLabelText('Host model');
    expect(host).toHaveValue('pvm-amd');
    expect(within(saved).getByText('1 passed, 0 failed of 1')).toBeInTheDocument();
    expect(screen.getByText(/measured: Linux 6\.18\.44 with kvm_pvm on AMD EPYC/)).toBeInTheDocument();
    // LA57: the 57-bit canonical LSTAR is accepted on the Intel PVM host, so the #GP the test expects is gone
    await user.selectOptions(host, 'pvm-intel');
    expect(store.getState().doc.hostModel).toBe('pvm-intel');
    expect(within(saved).getByText('0 passed, 1 failed of 1')).toBeInTheDocument();
    await user.selectOptions(host, 'vmx');
    expect(screen.getByText(/^Not measured on a real kernel of this kind:/)).toBeInTheDocument();
    store.temporal.getState().undo();
    store.temporal.getState().undo();
    expect(store.getState().doc.hostModel).toBeUndefined();
  });

  it('says when the host model is known with another profile than the chosen one (kvm_amd 6.1 under 6.12)', async () => {
    const { user } = renderWithStore(<VmSettings />);
    expect(screen.queryByText(/Known with/)).toBeNull();
    await user.selectOptions(screen.getByLabelText('Host model'), 'svm');
    expect(
      screen.getByText(/Known with Linux 5\.19–6\.3: under Linux 6\.12\+ \(newest\) the filter/),
    ).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Kernel profile'), 'linux-5.19');
    expect(screen.queryByText(/Known with/)).toBeNull();
  });

  it("shows the profile's label and summary", () => {
    renderWithStore(<VmSettings />);
    expect(screen.getByLabelText('Kernel profile')).toHaveDisplayValue('Linux 6.12+ (newest)');
    expect(screen.getByText(/What a current kernel does/)).toBeInTheDocument();
  });

  it('re-runs the saved accesses when the profile changes', async () => {
    const { user } = renderWithStore(
      <>
        <VmSettings />
        <SavedAccesses />
      </>,
      x2apicDoc(),
    );
    const saved = screen.getByRole('region', { name: 'Saved accesses' });
    expect(within(saved).getByText('1 passed, 0 failed of 1')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Kernel profile'), 'linux-6.12');
    expect(within(saved).getByText('0 passed, 1 failed of 1')).toBeInTheDocument();
    expect(within(saved).getByText(/x2APIC MSR \(0x800-0x8ff\): never filtered/)).toBeInTheDocument();
  });

  it('sets the exit reasons, ignore_msrs and the VMM reply, each re-running the saved accesses', async () => {
    const doc = scenarioToDocument({ steps: [{ op: 'rdmsr', index: '0x12345678', expect: 'gp' }] });
    const { store, user } = renderWithStore(
      <>
        <VmSettings />
        <SavedAccesses />
      </>,
      doc,
    );
    const saved = screen.getByRole('region', { name: 'Saved accesses' });
    await user.click(screen.getByRole('checkbox', { name: /UNKNOWN/ }));
    expect(store.getState().doc.exits).toBe(2n);
    expect(saved).toHaveTextContent('exit UNKNOWN → VMM replies error = 1');
    const reads = screen.getByRole('group', { name: 'RDMSR exits' });
    await user.click(within(reads).getByRole('radio', { name: 'answer with data' }));
    const data = within(reads).getByLabelText('Data returned to the guest');
    await user.clear(data);
    await user.type(data, '0x42');
    expect(saved).toHaveTextContent('value 0x0000000000000042');
    await user.click(screen.getByRole('checkbox', { name: /kvm.ignore_msrs/ }));
    expect(saved).toHaveTextContent('no exit; value 0x0000000000000000');
    expect(within(saved).getByText('0 passed, 1 failed of 1')).toBeInTheDocument();
  });

  it('switches the vCPU model', async () => {
    const { store, user } = renderWithStore(<VmSettings />);
    await user.selectOptions(screen.getByLabelText('vCPU model'), 'linux64');
    expect(store.getState().doc.vcpu).toBe('linux64');
    expect(screen.getByText(/A 64-bit guest as a Linux kernel runs/)).toBeInTheDocument();
  });
});
