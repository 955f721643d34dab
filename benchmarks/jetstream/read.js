// SPDX-License-Identifier: MIT
// The baseline of benchmarks/bench-jetstream.sh: nats.js (the NATS project's JavaScript client) reading
// stream NAME from its first message to sequence LAST through its ordered consumer, parsing each
// message as JSON and counting events per type and per correlation id; EventScope does that and all
// of its tracking. Prints the events and the seconds from connecting to the last message.
//   usage: node read.js NATS_URL NAME LAST
'use strict';
const { connect } = require('nats');

(async () => {
  const [url, name, last] = process.argv.slice(2);
  const t0 = process.hrtime.bigint();
  const nc = await connect({ servers: url });
  const js = nc.jetstream();
  const consumer = await js.consumers.get(name); // no consumer name: an ordered consumer
  const messages = await consumer.consume();
  const types = new Map();
  const chains = new Map();
  let events = 0;
  for await (const m of messages) {
    const e = JSON.parse(m.string());
    events++;
    types.set(e.type, (types.get(e.type) || 0) + 1);
    if (e.correlationId) chains.set(e.correlationId, (chains.get(e.correlationId) || 0) + 1);
    if (m.seq >= Number(last)) break;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ events, seconds, types: types.size, chains: chains.size }));
  await nc.close();
})().catch((e) => { console.error(e); process.exit(1); });
