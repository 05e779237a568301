// Smoke test with mongosh 2.x: mongosh --quiet URI mongosh_smoke.js
function check(cond, what) {
  if (!cond) {
    throw new Error('mongosh smoke failed: ' + what);
  }
}
const s = db.getSiblingDB('shsmoke');
s.items.drop();
const ins = s.items.insertMany([{ sku: 'b', qty: 5 }, { sku: 'a', qty: 10 }, { sku: 'c', qty: 1 }]);
check(Object.keys(ins.insertedIds).length === 3, 'insertMany');

const sorted = s.items.find({}, { _id: 0, sku: 1 }).sort({ qty: -1 }).toArray().map(d => d.sku);
check(JSON.stringify(sorted) === JSON.stringify(['a', 'b', 'c']), 'find with sort: ' + JSON.stringify(sorted));

const upd = s.items.updateOne({ sku: 'c' }, { $set: { qty: 7 } });
check(upd.matchedCount === 1 && upd.modifiedCount === 1, 'updateOne');

const total = s.items.aggregate([{ $group: { _id: null, total: { $sum: '$qty' } } }]).toArray();
check(total.length === 1 && total[0].total === 22, 'aggregate: ' + JSON.stringify(total));

check(s.items.createIndex({ sku: 1 }, { unique: true }) === 'sku_1', 'createIndex');
check(s.items.getIndexes().some(i => i.name === 'sku_1'), 'getIndexes');
let dup = null;
try {
  s.items.insertOne({ sku: 'a' });
} catch (e) {
  dup = e;
}
check(dup !== null && dup.code === 11000, 'duplicate key error');

check(s.items.drop() === true, 'drop');
check(!s.getCollectionNames().includes('items'), 'collection gone');
check(db.hello().maxWireVersion === 21, 'hello');
print('mongosh smoke: ok');
