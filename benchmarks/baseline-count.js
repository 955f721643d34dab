// SPDX-License-Identifier: MIT
// The benchmark's baseline: what a quick script does with an NDJSON capture. It only parses each line
// and counts events per type and per correlation id; EventScope does that and all of its tracking.
'use strict';
const fs = require('fs');
const readline = require('readline');

const types = new Map();
const chains = new Map();
let events = 0;
let malformed = 0;
const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2]), crlfDelay: Infinity });
rl.on('line', (line) => {
  if (line.length === 0) return;
  let e;
  try { e = JSON.parse(line); } catch { malformed++; return; }
  events++;
  types.set(e.type, (types.get(e.type) || 0) + 1);
  if (e.correlationId) chains.set(e.correlationId, (chains.get(e.correlationId) || 0) + 1);
});
rl.on('close', () => {
  console.log(JSON.stringify({ events, malformed, types: types.size, chains: chains.size }));
});
