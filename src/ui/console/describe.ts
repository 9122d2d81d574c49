import { type AccessResult, hex32, hex64, msrName } from '../../core/index';

export function accessTitle(op: 'rdmsr' | 'wrmsr', index: number, host: boolean, value?: bigint): string {
  const name = msrName(index);
  const v = op === 'wrmsr' && value !== undefined ? ` ← ${hex64(value)}` : '';
  return `${op.toUpperCase()} ${hex32(index)}${name ? ` ${name}` : ''}${v}${host ? ' (host)' : ''}`;
}

/** The exit and the VMM's reply in words. */
export function exitText(r: AccessResult): string {
  if (!r.exit) return 'no exit';
  const reply = r.exit.reply.error
    ? 'VMM replies error = 1'
    : r.type === 'read'
      ? `VMM replies data ${hex64(r.exit.reply.data)}`
      : 'VMM accepts';
  return `exit ${r.exit.reason.toUpperCase()} → ${reply}`;
}

/** What the guest (or the host ioctl) sees in the end. */
export function resultText(r: AccessResult): string {
  if (r.result === 'gp') return 'guest takes #GP';
  if (r.result === 'error') return 'ioctl fails';
  return r.value === null ? 'ok' : `value ${hex64(r.value)}`;
}

export function decidedText(r: AccessResult): string {
  if (r.range === null) return r.host ? 'host access: not filtered' : 'no range decided';
  return `ranges[${r.range}] bit ${r.bit}`;
}

/** One sentence for screen readers. */
export function announce(r: AccessResult, title: string): string {
  const verdict = r.decision === 'allow' ? 'allowed' : r.decision === 'eperm' ? 'EPERM, denied by the filter' : '#GP';
  return `${title}: ${verdict}; ${exitText(r)}; ${resultText(r)}`;
}
