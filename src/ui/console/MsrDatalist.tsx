import { hexShort, MSR_LIST } from '../../core/index';

export const MSR_DATALIST_ID = 'msr-names';

/** Completion for every field that takes an MSR: the catalogue's names, with their index. Rendered once. */
export function MsrDatalist() {
  return (
    <datalist id={MSR_DATALIST_ID}>
      {MSR_LIST.map((d) => (
        <option key={d.index} value={d.name}>
          {`${hexShort(d.index)} ${d.meaning}`}
        </option>
      ))}
    </datalist>
  );
}
