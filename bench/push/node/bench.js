// node-apn comparison client for bench/push/run.sh: same stand-in, same payload, same window.
// usage: node bench.js DIR COUNT CONNECTIONS WINDOW   (DIR = apns-standin's --dir)
'use strict';
const fs = require('fs');
const path = require('path');
const apn = require('@parse/node-apn');

const [dir, countArg, connArg, windowArg] = process.argv.slice(2);
const count = parseInt(countArg || '20000', 10);
const connections = parseInt(connArg || '1', 10);
const windowSize = parseInt(windowArg || '1000', 10);
const [teamId, keyId] = fs.readFileSync(path.join(dir, 'ids'), 'utf8').trim().split(' ');
const port = fs.readFileSync(path.join(dir, 'port'), 'utf8').trim();

const provider = new apn.Provider({
  token: { key: path.join(dir, 'AuthKey.p8'), keyId, teamId },
  address: '127.0.0.1',
  port: parseInt(port, 10),
  ca: [fs.readFileSync(path.join(dir, 'ca.pem'))],
  production: false,
  clientCount: connections,
  requestTimeout: 30000,
});
const token = 'a'.repeat(64);
const latencies = [];
let sent = 0, done = 0, delivered = 0, failed = 0;
const start = process.hrtime.bigint();

function one() {
  if (sent >= count) return;
  sent++;
  const note = new apn.Notification();
  note.topic = 'com.example.herald';
  note.alert = { title: 'Alice', body: 'New mail: quarterly report' };
  note.sound = 'default';
  note.mutableContent = 1;
  note.payload = { nid: `n${sent}`, uri: `herald://open/n${sent}` };
  const t0 = process.hrtime.bigint();
  provider.send(note, token).then(res => {
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.sent.length === 1) delivered++;
    else if (++failed <= 5) console.error('not delivered:', JSON.stringify(res.failed[0]));
    if (++done === count) finish(); else one();
  });
}

function finish() {
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.log(`node-apn sent=${sent} delivered=${delivered} failed=${failed} seconds=${secs.toFixed(3)} ` +
    `rate=${Math.round(delivered / secs)} p50_ms=${pct(0.5).toFixed(2)} p99_ms=${pct(0.99).toFixed(2)}`);
  provider.shutdown();
  process.exit(delivered === count ? 0 : 1);
}

for (let i = 0; i < Math.min(windowSize, count); i++) one();
