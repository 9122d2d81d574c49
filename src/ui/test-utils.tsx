import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { StoreProvider } from './state/context';
import type { PlaygroundDocument } from './state/document';
import { createPlaygroundStore } from './state/store';

/** Renders a component with a fresh store of its own (no local storage); returns the store and a user. */
export function renderWithStore(ui: ReactElement, doc?: PlaygroundDocument) {
  const store = createPlaygroundStore({ doc, storage: null });
  const user = userEvent.setup();
  const result = render(<StoreProvider store={store}>{ui}</StoreProvider>);
  return { store, user, ...result };
}
