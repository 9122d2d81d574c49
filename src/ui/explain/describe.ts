import { hex32, type PolicyInterval } from '../../core/index';

export function spanText(start: number, end: number): string {
  return end - start === 1 ? hex32(start) : `${hex32(start)}–${hex32(end - 1)}`;
}

/** What decides an interval, in words. */
export function causeText(iv: Pick<PolicyInterval, 'cause' | 'range'>): string {
  switch (iv.cause) {
    case 'range':
      return `ranges[${iv.range}]`;
    case 'default':
      return 'default action';
    case 'x2apic':
      return 'x2APIC exemption';
    case 'no-filter':
      return 'no range installed: filtering off';
  }
}

export function countText(n: number): string {
  return n.toLocaleString('en-US');
}
