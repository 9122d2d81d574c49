/**
 * The playground's state, for code outside the components (share links, local persistence, tests).
 *
 * - createPlaygroundStore({ doc }) makes a store; main.tsx makes the app's one and passes it to <App store>.
 * - getDocument / setDocument / subscribeDocument read, replace and watch the whole document.
 * - documentToScenario / scenarioToDocument convert it to and from `msr-scenario/1` (plus `expect` per step).
 */
export type { PlaygroundDocument, SavedAccess } from './document';
export {
  coreScenarioToDocument,
  documentToCoreScenario,
  documentToScenario,
  emptyDocument,
  scenarioToDocument,
} from './document';
export { getDocument, setDocument, subscribeDocument } from './document-api';
export { beginGesture, endGesture } from './history';
export { createPlaygroundStore, type StoreOptions } from './store';
export type { PlaygroundState, PlaygroundStore } from './types';
