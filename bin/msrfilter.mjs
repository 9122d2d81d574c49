#!/usr/bin/env node
// The msrfilter command: runs the TypeScript CLI through tsx, so it works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { runNode } = await import('../src/cli/node-entry.ts');
process.exitCode = await runNode(process.argv.slice(2));
