// SPDX-License-Identifier: MIT
// Fills a JetStream stream for benchmarks/bench-jetstream.sh: makes stream NAME (subjects bus.>, file
// storage) and publishes every line of an NDJSON file on bus.<its type>, then waits until the stream
// holds them all.   usage: node fill.js NATS_URL NAME FILE
'use strict';
const fs = require('fs');
const { connect } = require('nats');

(async () => {
  const [url, name, file] = process.argv.slice(2);
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name, subjects: ['bus.>'], storage: 'file' });
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  let i = 0;
  for (const line of lines) {
    const type = /"type":"([^"]+)"/.exec(line);
    nc.publish('bus.' + (type ? type[1] : 'unknown'), line);
    if (++i % 10000 === 0) await nc.flush(); // let the server keep up
  }
  await nc.flush();
  for (;;) {
    const info = await jsm.streams.info(name);
    if (info.state.messages >= lines.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(JSON.stringify({ published: lines.length }));
  await nc.close();
})().catch((e) => { console.error(e); process.exit(1); });
