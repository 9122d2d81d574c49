/** Runs `fn` (which performs `ops` operations) repeatedly for at least `ms`, returning operations per second. */
export function opsPerSecond(fn: () => number, ops: number, ms = 300): number {
  fn(); // warm up
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  let sink = 0;
  while (elapsed < ms) {
    sink ^= fn();
    done += ops;
    elapsed = performance.now() - start;
  }
  if (sink === 0.5) console.log(sink); // keep the result observable
  return (done / elapsed) * 1000;
}

/** Alternates two measurements `rounds` times and returns the median of their ratios (a / b). */
export function medianRatio(a: () => number, b: () => number, rounds = 5): { ratio: number; a: number; b: number } {
  const ratios: { ratio: number; a: number; b: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    const x = a();
    const y = b();
    ratios.push({ ratio: x / y, a: x, b: y });
  }
  ratios.sort((p, q) => p.ratio - q.ratio);
  return ratios[rounds >> 1];
}

export interface Figure {
  figure: string;
  baseline: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
  detail?: string;
}
