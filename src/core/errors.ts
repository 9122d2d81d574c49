/** An error in user input, located by a JSON-path-like place such as `steps[3].index`. */
export class InputError extends Error {
  readonly place: string;
  readonly reason: string;
  constructor(place: string, reason: string) {
    super(place ? `${place}: ${reason}` : reason);
    this.name = 'InputError';
    this.place = place;
    this.reason = reason;
  }
}

export function placeOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}
