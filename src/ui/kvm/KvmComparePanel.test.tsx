import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runScenario, type Scenario, scenarioFromJson, stepResultToJson } from '../../core/index';
import { KvmComparePanel } from './KvmComparePanel';

const scenario: Scenario = scenarioFromJson({
  exits: ['filter'],
  filter: { ranges: [{ flags: 'READ', base: '0x1b', nmsrs: 1, bitmap: '00' }] },
  steps: [
    { op: 'rdmsr', index: '0x1b', reply: { data: '0x5' } },
    { op: 'rdmsr', index: '0x10' },
    { op: 'wrmsr', index: '0xc0000082', value: '0x1' },
    { op: 'set-exits', exits: 8 },
  ],
});
const simulated = runScenario(scenario, false).steps;
const simLines = simulated.map((r) => stepResultToJson(r));

type Handler = (url: string, init?: RequestInit) => Response | Promise<Response>;
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const jsonLines = (records: object[], notes: string[] = []) =>
  new Response(records.map((r) => `${JSON.stringify(r)}\n`).join(''), {
    headers: { 'Content-Type': 'application/x-ndjson', 'X-Kvm-Notes': encodeURIComponent(JSON.stringify(notes)) },
  });

function mockFetch(handler: Handler) {
  const f = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => handler(String(input), init));
  vi.stubGlobal('fetch', f);
  return f;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const runButton = () => screen.getByRole('button', { name: /run on this machine's kvm/i });

describe('KvmComparePanel', () => {
  it("simulates on this machine's host model, as the endpoint names it, and says so", async () => {
    mockFetch(() =>
      json({
        available: true,
        kernel: 'Linux 6.18.44',
        hostModel: 'pvm-intel',
        hostWhy: 'module kvm_pvm, CPU vendor GenuineIntel, LA57 on',
      }),
    );
    const simulate = vi.fn(() => simulated);
    render(<KvmComparePanel scenario={{ ...scenario, hostModel: 'svm' }} simulate={simulate} />);
    expect(await screen.findByText(/answers for this machine's host model, PVM on Intel/)).toHaveTextContent(
      "(module kvm_pvm, CPU vendor GenuineIntel, LA57 on), with the kernel profile Linux 6.12+ (newest) (linux-6.12), not the document's kvm_amd",
    );
    expect(simulate).toHaveBeenLastCalledWith(expect.objectContaining({ hostModel: 'pvm-intel' }));
    // one backend (a server from before the choice): no choice to make
    expect(screen.queryByRole('group', { name: 'Kernel to run on' })).not.toBeInTheDocument();
  });

  it('disables the button with an explanation when there is no endpoint (static host)', async () => {
    mockFetch(() => new Response('<!doctype html>', { status: 404, headers: { 'Content-Type': 'text/html' } }));
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    expect(await screen.findByText(/needs the local server/)).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
    expect(runButton()).toHaveAccessibleDescription(/needs the local server/);
  });

  it('disables the button and says why when this machine has no usable KVM', async () => {
    mockFetch(() => json({ available: false, kernel: 'Linux 6.1.0', reason: '/dev/kvm not available (ENOENT)' }));
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    expect(
      await screen.findByText("Cannot run on this machine's KVM: /dev/kvm not available (ENOENT)."),
    ).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
  });

  it('says plainly that the server refused the page (403) and how to open it with the token', async () => {
    sessionStorage.clear();
    const f = mockFetch(() => json({ error: 'missing or wrong token: open the playground from the URL…' }, 403));
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    expect(
      await screen.findByText(/The local server refused this page \(403: missing or wrong token/),
    ).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
    expect(runButton()).toHaveAccessibleDescription(/printed, the one ending in \?token=/);
    expect(new Headers(f.mock.calls[0][1]?.headers).has('X-Msrfilter-Token')).toBe(false);
  });

  it('sends the kept token with every request', async () => {
    sessionStorage.setItem('msr-playground.kvm-token', 'the-token');
    const f = mockFetch((url) =>
      url === '/api/kvm/status' ? json({ available: true, kernel: 'Linux 6.18.44' }) : jsonLines(simLines),
    );
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    await screen.findByText(/Kernel: Linux/);
    await user.click(runButton());
    expect(await screen.findByText(/steps agree/)).toBeInTheDocument();
    expect(f.mock.calls.map((c) => new Headers(c[1]?.headers).get('X-Msrfilter-Token'))).toEqual([
      'the-token',
      'the-token',
    ]);
    sessionStorage.clear();
  });

  it('runs the scenario on the kernel and shows both results step by step, differences in words', async () => {
    // The kernel agrees on steps 0, 1 (TSC: the value is not compared) and 3, and differs on step 2.
    const kernel = simLines.map((r) => ({ ...r }));
    kernel[1] = { ...kernel[1], value: '0x00000123456789ab' };
    kernel[2] = { ...kernel[2], decision: 'gp', result: 'gp' };
    const f = mockFetch((url, init) => {
      if (url === '/api/kvm/status') return json({ available: true, kernel: 'Linux 6.18.44' });
      expect(url).toBe('/api/kvm/run?backend=native');
      expect(init?.method).toBe('POST');
      expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json');
      expect(JSON.parse(String(init?.body))).toMatchObject({ format: 'msr-scenario/1', steps: { length: 4 } });
      return jsonLines(kernel, ['msrfilter: note: a note from the runner']);
    });
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    expect(await screen.findByText(/Kernel: Linux 6\.18\.44/)).toBeInTheDocument();
    await user.click(runButton());

    expect(await screen.findByText('3 of 4 steps agree')).toBeInTheDocument();
    expect(screen.getByText('a note from the runner')).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(5);
    expect(rows[3]).toHaveTextContent(/differs: decision, result/);
    expect(rows[3]).toHaveTextContent('wrmsr 0xc0000082');
    expect(rows[3]).toHaveTextContent(/allow.*≠ gp/);
    expect(rows[2]).toHaveTextContent(/same/);
    expect(rows[2]).toHaveTextContent(/changes on its own: not compared/);
    expect(rows[4]).toHaveTextContent(/set-exits.*EINVAL.*EINVAL.*same/);
    expect(f).toHaveBeenCalledTimes(2);
  });

  it('shows the endpoint error (for example a scenario it refused)', async () => {
    mockFetch((url) =>
      url === '/api/kvm/status'
        ? json({ available: true, kernel: 'Linux 6.18.44' })
        : json({ error: 'steps: 2001 steps; the endpoint runs at most 2000' }, 400),
    );
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    await screen.findByText(/Kernel: Linux/);
    await user.click(runButton());
    expect(await screen.findByText(/The kernel run failed: steps: 2001 steps/)).toBeInTheDocument();
  });

  it('says so when a scenario is longer than the endpoint takes', async () => {
    mockFetch(() => json({ available: true, kernel: 'Linux 6.18.44' }));
    const long = { ...scenario, steps: Array.from({ length: 2001 }, () => scenario.steps[0]) };
    render(<KvmComparePanel scenario={long} simulate={() => simulated} />);
    expect(await screen.findByText(/at most 2000 steps; this scenario has 2001/)).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
  });

  it('clears the comparison when the scenario changes', async () => {
    mockFetch((url) =>
      url === '/api/kvm/status' ? json({ available: true, kernel: 'Linux 6.18.44' }) : jsonLines(simLines),
    );
    const user = userEvent.setup();
    const { rerender } = render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    await screen.findByText(/Kernel: Linux/);
    await user.click(runButton());
    expect(await screen.findByText('4 of 4 steps agree')).toBeInTheDocument();
    const changed = { ...scenario, steps: scenario.steps.slice(0, 2) };
    rerender(<KvmComparePanel scenario={changed} simulate={() => simulated.slice(0, 2)} />);
    expect(screen.queryByText(/steps agree/)).not.toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

const NATIVE = {
  id: 'native',
  label: "this machine's KVM",
  kernel: 'Linux 6.18.44',
  hostModel: 'pvm-amd',
  hostWhy: 'module kvm_pvm, CPU vendor AuthenticAMD, LA57 off',
  profile: 'linux-6.12',
  available: true,
};
const SVM = {
  id: 'svm-6.1',
  label: 'kvm_amd 6.1 under QEMU',
  kernel: 'Linux 6.1.0-57-amd64 (Debian 12)',
  hostModel: 'svm',
  hostWhy: "kvm_amd in Debian 12's kernel, booted under QEMU TCG",
  profile: 'linux-5.19',
  available: true,
};
const status = (...backends: object[]) => json({ ...NATIVE, backends });

describe('KvmComparePanel: the choice of kernel', () => {
  it('offers every backend, and compares the chosen one with the simulation on its host model and profile', async () => {
    const f = mockFetch((url) => (url === '/api/kvm/status' ? status(NATIVE, SVM) : jsonLines(simLines)));
    const simulate = vi.fn(() => simulated);
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={{ ...scenario, hostModel: 'pvm-amd' }} simulate={simulate} />);
    const group = await screen.findByRole('group', { name: 'Kernel to run on' });
    const native = within(group).getByRole('radio', { name: /^this machine's KVM: Linux 6\.18\.44/ });
    const svm = within(group).getByRole('radio', {
      name: 'kvm_amd 6.1 under QEMU: Linux 6.1.0-57-amd64 (Debian 12), host model kvm_amd (SVM), Linux 6.1',
    });
    expect(native).toBeChecked();
    expect(simulate).toHaveBeenLastCalledWith(expect.objectContaining({ hostModel: 'pvm-amd', profile: 'linux-6.12' }));

    await user.click(svm);
    expect(svm).toBeChecked();
    expect(simulate).toHaveBeenLastCalledWith(expect.objectContaining({ hostModel: 'svm', profile: 'linux-5.19' }));
    expect(screen.getByText(/Kernel: Linux 6\.1\.0-57-amd64/)).toHaveTextContent(
      "The simulator answers for its host model, kvm_amd (SVM), Linux 6.1 (kvm_amd in Debian 12's kernel, booted " +
        "under QEMU TCG), with the kernel profile Linux 5.19–6.3 (linux-5.19), not the document's PVM on AMD (kvm_pvm, " +
        '48-bit) or its profile Linux 6.12+ (newest).',
    );
    expect(screen.getByText(/booted under QEMU by the local server/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Run on kvm_amd 6.1 under QEMU' }));
    expect(await screen.findByText('4 of 4 steps agree')).toBeInTheDocument();
    const [url, init] = f.mock.calls[1];
    expect(url).toBe('/api/kvm/run?backend=svm-6.1');
    // the kernel gets the scenario as it is compared: on svm, with the linux-5.19 profile
    expect(JSON.parse(String(init?.body))).toMatchObject({ hostModel: 'svm', profile: 'linux-5.19' });

    // another kernel: the results are not its own
    await user.click(native);
    expect(screen.queryByText(/steps agree/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: "Run on this machine's KVM" })).toBeEnabled();
  });

  it('starts on the first backend that can run, and says plainly why another cannot', async () => {
    const noQemu = {
      ...SVM,
      available: false,
      reason: 'qemu-system-x86_64 not found; install them with `apt-get install qemu-system-x86 …`',
    };
    mockFetch(() => status({ ...NATIVE, available: false, reason: '/dev/kvm not available (ENOENT)' }, noQemu));
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    const group = await screen.findByRole('group', { name: 'Kernel to run on' });
    expect(within(group).getByRole('radio', { name: /this machine's KVM.*\(not available here\)$/ })).toBeChecked();
    await user.click(within(group).getByRole('radio', { name: /^kvm_amd 6\.1 under QEMU/ }));
    const run = screen.getByRole('button', { name: 'Run on kvm_amd 6.1 under QEMU' });
    expect(run).toBeDisabled();
    expect(run).toHaveAccessibleDescription(
      'Cannot run on kvm_amd 6.1 under QEMU: qemu-system-x86_64 not found; install them with `apt-get install qemu-system-x86 …`.',
    );
    expect(screen.queryByRole('button', { name: /Download/ })).not.toBeInTheDocument();
  });

  it('downloads the guest kernel only when asked, says what that does, then runs there', async () => {
    const notYet = {
      ...SVM,
      available: false,
      reason:
        'the guest kernel linux-image-6.1.0-57-amd64 (71 MB) is not downloaded yet: downloading runs ' +
        '`apt-get download linux-image-6.1.0-57-amd64` into /root/.cache/msrfilter/svm-6.1 (nothing is installed)',
      download: { package: 'linux-image-6.1.0-57-amd64', bytes: 70_591_024 },
    };
    let prepared = false;
    const f = mockFetch((url, init) => {
      if (url === '/api/kvm/status') return status(NATIVE, notYet);
      if (url === '/api/kvm/prepare?backend=svm-6.1') {
        expect(init?.method).toBe('POST');
        prepared = true;
        return status(NATIVE, SVM);
      }
      return jsonLines(simLines);
    });
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    const group = await screen.findByRole('group', { name: 'Kernel to run on' });
    const svm = within(group).getByRole('radio', { name: /kvm_amd 6\.1.*\(guest kernel not downloaded yet\)$/ });
    expect(screen.queryByRole('button', { name: /Download/ })).not.toBeInTheDocument(); // native is chosen
    await user.click(svm);
    expect(screen.getByRole('button', { name: 'Run on kvm_amd 6.1 under QEMU' })).toHaveAccessibleDescription(
      /not downloaded yet: downloading runs `apt-get download linux-image-6\.1\.0-57-amd64` .*nothing is installed/,
    );
    expect(prepared).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Download the guest kernel (71 MB)' }));
    const run = screen.getByRole('button', { name: 'Run on kvm_amd 6.1 under QEMU' });
    await vi.waitFor(() => expect(run).toBeEnabled());
    expect(prepared).toBe(true);
    expect(screen.queryByRole('button', { name: /Download/ })).not.toBeInTheDocument();
    await user.click(run);
    expect(await screen.findByText('4 of 4 steps agree')).toBeInTheDocument();
    expect(f.mock.calls.map((c) => c[0])).toEqual([
      '/api/kvm/status',
      '/api/kvm/prepare?backend=svm-6.1',
      '/api/kvm/run?backend=svm-6.1',
    ]);
  });

  it('shows why a download failed', async () => {
    const notYet = { ...SVM, available: false, reason: 'not downloaded yet', download: { package: 'p', bytes: null } };
    mockFetch((url) =>
      url === '/api/kvm/status'
        ? status(notYet)
        : json({ error: 'kvm_amd 6.1 under QEMU could not be prepared: apt-get download failed' }, 500),
    );
    const user = userEvent.setup();
    render(<KvmComparePanel scenario={scenario} simulate={() => simulated} />);
    await user.click(await screen.findByRole('button', { name: 'Download the guest kernel (~70 MB)' }));
    expect(
      await screen.findByText(
        'The download failed: kvm_amd 6.1 under QEMU could not be prepared: apt-get download failed',
      ),
    ).toBeInTheDocument();
  });
});
