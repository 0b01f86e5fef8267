#!/usr/bin/env node
// Entry point for `npx bench` / `npm run bench`: runs the TypeScript CLI through tsx,
// so there is no build step between editing the harness and running it.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
