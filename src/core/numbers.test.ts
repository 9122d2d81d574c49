import { describe, expect, it } from 'vitest';
import { InputError } from './errors';
import { parseBigNumber, parseU32, parseU64 } from './numbers';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  return 'no error';
};

describe('numbers in documents: JSON numbers, decimal and 0x-hex strings', () => {
  it('reads every spelling to the same value; leading zeros and surrounding spaces are harmless', () => {
    for (const v of [16, '16', '0x10', '0X10', '0x0000000000000010', '0016', ' 0x10 ']) {
      expect(parseBigNumber(v, 'p'), JSON.stringify(v)).toBe(16n);
    }
    expect(parseBigNumber(`0x${'0'.repeat(60)}1`, 'p')).toBe(1n);
    expect(parseBigNumber(`${'0'.repeat(60)}7`, 'p')).toBe(7n);
  });

  it('refuses more than 40 significant digits as far too large, in decimal as in hex', () => {
    expect(parseBigNumber('9'.repeat(40), 'p')).toBe(10n ** 40n - 1n);
    expect(message(() => parseBigNumber('1'.repeat(41), 'p'))).toMatch(/^p: "1{41}" is far too large$/);
    expect(message(() => parseBigNumber('1'.repeat(42), 'p'))).toMatch(/is far too large$/);
    expect(message(() => parseBigNumber(`0x${'f'.repeat(41)}`, 'p'))).toMatch(/is far too large$/);
    expect(parseBigNumber(`0x1${'0'.repeat(39)}`, 'p')).toBe(1n << 156n);
  });

  it('names the place and the reason for what is not a number or does not fit', () => {
    expect(message(() => parseBigNumber('0x', 'p'))).toBe('p: "0x" is not a number (use decimal or 0x-hex)');
    expect(message(() => parseBigNumber(-1, 'p'))).toBe('p: -1 is not a non-negative integer');
    expect(message(() => parseBigNumber(2 ** 53, 'p'))).toMatch(/does not fit exactly in a JSON number/);
    expect(message(() => parseU32('0x100000000', 'i', 'a 32-bit MSR index'))).toBe(
      'i: 0x100000000 is not a 32-bit MSR index',
    );
    expect(message(() => parseU64('0x10000000000000000', 'v'))).toBe('v: 0x10000000000000000 does not fit in 64 bits');
  });
});
