/**
 * Loads the share-link codec (link-codec.ts, with fflate) on first use, in its own chunk, so that the initial JS
 * stays small. `peekLinkCodec` answers synchronously once it has loaded (for work that cannot wait, like writing
 * the address bar while the page is being left).
 */
export type LinkCodec = typeof import('./link-codec');
export type LoadLinkCodec = () => Promise<LinkCodec>;

let loaded: LinkCodec | null = null;
let loading: Promise<LinkCodec> | null = null;

export const loadLinkCodec: LoadLinkCodec = () => {
  loading ??= import('./link-codec').then(
    (m) => {
      loaded = m;
      return m;
    },
    (e) => {
      loading = null; // a failed fetch (offline, a new deployment): the next use tries again
      throw e;
    },
  );
  return loading;
};

export function peekLinkCodec(): LinkCodec | null {
  return loaded;
}
