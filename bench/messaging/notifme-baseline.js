// Same-run baseline of bench/messaging: notifme-sdk sending the same mails to the same SMTP sink.
// node notifme-baseline.js INPUT.json  (run in the directory where notifme-sdk is installed)
// INPUT: {count, concurrency, host, port, pool, prefix, addresses, sample: {subject, text, html}}
// prints {sent, failed, millis, version, node} on stdout
const fs = require('fs');
const path = require('path');
const NotifmeSdk = require(path.resolve('node_modules/notifme-sdk')).default;
const version = require(path.resolve('node_modules/notifme-sdk/package.json')).version;

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sdk = new NotifmeSdk({
  useNotificationCatcher: false,
  channels: {
    email: {
      multiProviderStrategy: 'fallback',
      providers: [{
        type: 'smtp', host: input.host, port: input.port, secure: false, ignoreTLS: true,
        pool: true, maxConnections: input.pool, maxMessages: Infinity,
      }],
    },
  },
});

async function main() {
  let next = 0, sent = 0, failed = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    for (let n = next++; n < input.count; n = next++) {
      const to = `${input.prefix}-${n % input.addresses}@bench.omni.local`;
      const result = await sdk.send({
        email: {
          from: 'Omni <no-reply@omni.local>', to,
          subject: `Your order ${input.prefix}-${n} is confirmed`,
          text: input.sample.text || '', html: input.sample.html || undefined,
          headers: { 'X-Omni-Message-Id': `${input.prefix}-${n}` },
        },
      });
      if (result.status === 'success') sent++; else { failed++; if (failed <= 3) console.error(JSON.stringify(result.errors)); }
    }
  }
  await Promise.all(Array.from({ length: input.concurrency }, worker));
  const millis = Number((process.hrtime.bigint() - started) / 1000000n);
  console.log(JSON.stringify({ sent, failed, millis, version, node: process.version }));
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
