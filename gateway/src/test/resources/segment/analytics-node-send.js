// Sends with Segment's own Node SDK (@segment/analytics-node, installed by SegmentSdkTest) to the gateway under test.
// Usage: node analytics-node-send.js <host> <writeKey> <run id>. Prints one JSON line: {"errors": [...], "sent": n}.
const { Analytics } = require('@segment/analytics-node');

const [host, writeKey, run] = process.argv.slice(2);
const analytics = new Analytics({ writeKey, host, flushAt: 20, flushInterval: 200, maxRetries: 1 });
const errors = [];
analytics.on('error', (err) => errors.push(String(err && (err.reason || err.message || err.code) || err)));
const responses = [];
analytics.on('http_response', (r) => responses.push(r.status));

const anonymousId = `anon-${run}`;
const userId = `user-${run}`;
const minuteAgo = new Date(Date.now() - 60000);

// a visitor browses anonymously ...
analytics.page({ anonymousId, name: 'Sneakers', category: 'Catalogue', properties: { path: '/sneakers' } });
analytics.track({ anonymousId, event: 'Product Viewed', properties: { sku: `SKU-${run}`, price: 89.9 },
  timestamp: minuteAgo, context: { campaign: { name: `spring-${run}` } } });
// ... signs up: the anonymous id is aliased to the new user id, then identified with traits
analytics.alias({ previousId: anonymousId, userId });
analytics.identify({ userId, anonymousId, traits: { email: `Anna.${run}@Example.com`, firstName: 'Anna' } });
analytics.track({ userId, event: 'Order Completed',
  properties: { order_id: `ORD-${run}`, revenue: 59.9, currency: 'eur' } });
analytics.screen({ userId, name: 'Cart' });
analytics.group({ userId, groupId: `company-${run}`, traits: { name: 'ACME' } });

analytics.closeAndFlush({ timeout: 20000 }).then(() => {
  console.log(JSON.stringify({ errors, responses, sent: 7 }));
});
