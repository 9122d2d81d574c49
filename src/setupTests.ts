import '@testing-library/jest-dom/vitest';
import 'vitest-canvas-mock';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';
import { loadEngine } from './ui/state/engine';

// The simulator's run-time is a lazy chunk in the page; tests have it from the start (engine.test.ts covers the wait).
beforeAll(() => loadEngine());
afterEach(() => cleanup());
