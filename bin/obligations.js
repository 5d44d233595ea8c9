#!/usr/bin/env node
// The `obligations` command runs from the TypeScript sources: no build step to remember after `npm install`.
require('tsx/cjs');
void require('../cli/main.ts').main(process.argv);
