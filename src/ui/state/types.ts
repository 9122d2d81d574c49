import type { TemporalState } from 'zundo';
import type { StoreApi } from 'zustand';
import type { PlaygroundDocument } from './document';
import type { DocumentSlice } from './document-slice';
import type { PrefsSlice } from './prefs-slice';
import type { RunSlice } from './run-slice';
import type { ShareSlice } from './share-slice';
import type { ViewSlice } from './view-slice';

/** The whole playground state: five slices; only `doc` is undoable. */
export type PlaygroundState = DocumentSlice & RunSlice & ViewSlice & PrefsSlice & ShareSlice;

/** What undo/redo tracks: the document only. */
export interface TrackedState {
  doc: PlaygroundDocument;
}

export type PlaygroundStore = StoreApi<PlaygroundState> & { temporal: StoreApi<TemporalState<TrackedState>> };

export type SliceCreator<T> = (set: (partial: Partial<PlaygroundState>) => void, get: () => PlaygroundState) => T;
