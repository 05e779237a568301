// Sharding through the router with mongosh 2.x: mongosh --quiet ROUTER_URI mongosh_sharding.js
function check(cond, what) {
  if (!cond) {
    throw new Error('mongosh sharding smoke failed: ' + what);
  }
}
check(db.hello().msg === 'isdbgrid', 'hello says isdbgrid');
check(sh.enableSharding('shsh').ok === 1, 'sh.enableSharding');
const sharded = sh.shardCollection('shsh.users', { uid: 'hashed' });
check(sharded.collectionsharded === 'shsh.users', 'sh.shardCollection: ' + JSON.stringify(sharded));
check(sh.shardCollection('shsh.events', { day: 1 }).ok === 1, 'range sh.shardCollection');
check(sh.splitAt('shsh.events', { day: 15 }).ok === 1, 'sh.splitAt');
check(sh.moveChunk('shsh.events', { day: 20 }, 'shard1').ok === 1, 'sh.moveChunk');

const users = db.getSiblingDB('shsh').users;
for (let i = 0; i < 50; i++) {
  users.insertOne({ uid: i, name: 'u' + i });
}
check(users.countDocuments() === 50, 'count through the router');

let refused = null;
try {
  users.insertOne({ name: 'no key' });
} catch (e) {
  refused = e;
}
check(refused !== null && refused.code === 61, 'insert without the shard key is refused with 61');

const plan = users.find({ uid: 7 }).explain().queryPlanner.winningPlan;
check(plan.stage === 'SINGLE_SHARD' && plan.shards.length === 1, 'explain of a targeted find: ' + JSON.stringify(plan));
const scatter = users.find({ name: 'u7' }).sort({ name: 1 }).explain().queryPlanner.winningPlan;
check(scatter.stage === 'SHARD_MERGE_SORT' && scatter.shards.length === 2, 'explain of a scatter sort: ' + JSON.stringify(scatter));

const status = sh.status();
const text = JSON.stringify(status, (k, v) => (typeof v === 'bigint' ? v.toString() : v));
check(text.includes('shard0') && text.includes('shard1'), 'sh.status lists the shards');
check(text.includes('shsh.users') && text.includes('shsh.events'), 'sh.status lists the sharded collections');
check(text.includes('nChunks'), 'sh.status counts chunks per shard');
const events = status.value.databases.find(d => d.database._id === 'shsh').collections['shsh.events'];
const perShard = {};
events.chunkMetadata.forEach(m => { perShard[m.shard] = m.nChunks; });
check(perShard.shard0 === 1 && perShard.shard1 === 1, 'chunk counts per shard: ' + JSON.stringify(events.chunkMetadata));
// MongoDB 7.0's sh.status() shows shardedDataDistribution ($shardedDataDistribution through the router).
const distribution = status.value.shardedDataDistribution;
check(Array.isArray(distribution), 'sh.status shows shardedDataDistribution: ' + JSON.stringify(distribution));
const usersDistribution = distribution.find(d => d.ns === 'shsh.users');
check(usersDistribution !== undefined, 'shardedDataDistribution has shsh.users: ' + JSON.stringify(distribution));
const owned = usersDistribution.shards.reduce((n, s) => n + Number(s.numOwnedDocuments), 0);
check(owned === 50, 'shardedDataDistribution counts the 50 users: ' + JSON.stringify(usersDistribution));

// getShardDistribution(): $collStats on every shard holding the collection.
const spread = users.getShardDistribution();
const spreadText = JSON.stringify(spread, (k, v) => (typeof v === 'bigint' ? v.toString() : v));
check(spreadText.includes('Shard shard0 at') && spreadText.includes('Shard shard1 at'), 'getShardDistribution per shard: ' + spreadText);
check(spread.value.Totals.docs === 50, 'getShardDistribution totals 50 docs: ' + spreadText);

// MongoDB 7.0 helpers over the sharded collection (issue 13): a view, database-level aggregation, currentOp, stats.
const shsh = db.getSiblingDB('shsh');
check(shsh.createView('small_users', 'users', [{ $match: { uid: { $lt: 10 } } }]).ok === 1, 'db.createView');
check(shsh.small_users.countDocuments() === 10, 'a view over the sharded collection reads every shard');
check(shsh.getCollectionInfos({ name: 'small_users' })[0].type === 'view', 'the view is listed as a view');
let onView = null;
try {
  shsh.small_users.insertOne({ uid: 100 });
} catch (e) {
  onView = e;
}
check(onView !== null && onView.code === 166, 'a write to a view is refused with 166');
check(shsh.aggregate([{ $documents: [{ x: 1 }, { x: 2 }] }, { $match: { x: 2 } }]).toArray().length === 1, '$documents');
const ops = db.currentOp();
check(Array.isArray(ops.inprog) && ops.inprog.length >= 1, 'db.currentOp(): ' + JSON.stringify(ops).slice(0, 300));
const stats = shsh.stats();
check(typeof stats.collections === 'number' && typeof stats.objects === 'number', 'db.stats() counts are numbers, not Long');
check(Number(db.hostInfo().system.memSizeMB) > 0, 'db.hostInfo()');
// Issue 14: choosing a shard key with mongosh's helpers (configureQueryAnalyzer, analyzeShardKey, $listSampledQueries).
const ana = db.getSiblingDB('shsh').analysis;
const rows = [];
for (let i = 0; i < 300; i++) {
  rows.push({ _id: i, ts: i, region: ['eu', 'us', 'ap'][i % 3] });
}
ana.insertMany(rows);
ana.createIndex({ ts: 1 });
const conf = ana.configureQueryAnalyzer({ mode: 'full', samplesPerSecond: 50 });
check(conf.newConfiguration.mode === 'full' && conf.newConfiguration.samplesPerSecond === 50,
  'db.coll.configureQueryAnalyzer: ' + JSON.stringify(conf));
for (let i = 0; i < 10; i++) {
  ana.findOne({ ts: i * 7 });
}
const analysis = ana.analyzeShardKey({ ts: 1 });
const kc = analysis.keyCharacteristics;
check(kc.monotonicity.type === 'monotonic' && Number(kc.numDistinctValues) === 300 && Number(kc.numDocsTotal) === 300,
  'db.coll.analyzeShardKey keyCharacteristics: ' + JSON.stringify(kc));
const reads = analysis.readDistribution;
check(Number(reads.sampleSize.find) === 10 && reads.percentageOfSingleShardReads === 100,
  'db.coll.analyzeShardKey readDistribution: ' + JSON.stringify(reads));
const listed = db.getSiblingDB('admin').aggregate([{ $listSampledQueries: { namespace: 'shsh.analysis' } }]).toArray();
check(listed.length === 10 && listed[0].cmdName === 'find' && listed[0].cmd.filter.ts !== undefined,
  '$listSampledQueries: ' + JSON.stringify(listed[0]));
const stopped = ana.configureQueryAnalyzer({ mode: 'off' });
check(stopped.oldConfiguration.mode === 'full' && stopped.newConfiguration.mode === 'off', 'configureQueryAnalyzer off');
// Zones (issue 14): mongosh's sh.* zone helpers, the ranges in config.tags, sh.status() still prints.
check(sh.addShardToZone('shard1', 'late').ok === 1, 'sh.addShardToZone');
check(sh.updateZoneKeyRange('shsh.events', { day: 100 }, { day: MaxKey }, 'late').ok === 1, 'sh.updateZoneKeyRange');
const zoneRange = db.getSiblingDB('config').tags.findOne({ ns: 'shsh.events' });
check(zoneRange !== null && zoneRange.tag === 'late' && zoneRange.min.day === 100, 'config.tags: ' + JSON.stringify(zoneRange));
let zoneError = null;
try {
  sh.updateZoneKeyRange('shsh.events', { day: 1 }, { day: 5 }, 'nowhere');
} catch (e) {
  zoneError = e;
}
check(zoneError !== null && zoneError.code === 177, 'an unknown zone is ZoneNotFound (177): ' + zoneError);
check(sh.removeRangeFromZone('shsh.events', { day: 100 }, { day: MaxKey }).ok === 1, 'sh.removeRangeFromZone');
check(sh.removeShardFromZone('shard1', 'late').ok === 1, 'sh.removeShardFromZone');
check(JSON.stringify(sh.status()).includes('shsh.events'), 'sh.status() after the zone changes');
// Renaming a sharded collection is not supported here: a clear 115, not a 20, which mongosh would show as
// "This MongoDB deployment does not support retryable writes".
let renameError = null;
try {
  db.getSiblingDB('shsh').events.renameCollection('events2');
} catch (e) {
  renameError = e;
}
check(renameError !== null && renameError.code === 115 && String(renameError.message).includes('not supported by this router'),
  'renaming a sharded collection is CommandNotSupported (115): ' + renameError);
// db.getProfilingStatus() through the router, as on mongos (which profiles nothing itself).
const profiling = db.getSiblingDB('shsh').getProfilingStatus();
check(profiling.was === 0 && profiling.slowms === 100, 'getProfilingStatus: ' + JSON.stringify(profiling));
let profileError = null;
try {
  db.getSiblingDB('shsh').setProfilingLevel(2);
} catch (e) {
  profileError = e;
}
check(profileError !== null && profileError.code === 2, 'profiling level 2 through the router is BadValue (2): ' + profileError);
// Transactions are not implemented: the first statement is refused (263), nothing is written.
const txSession = db.getMongo().startSession();
txSession.startTransaction();
let txError = null;
try {
  txSession.getDatabase('shsh').txprobe.insertOne({ day: 1 });
} catch (e) {
  txError = e;
}
try { txSession.abortTransaction(); } catch (e) { /* no transaction to abort */ }
check(txError !== null && txError.code === 263, 'a transaction statement is refused (263): ' + txError);
check(db.getSiblingDB('shsh').txprobe.countDocuments({}) === 0, 'nothing written by the refused transaction');
// Resharding (issue 14): sh.reshardCollection, then sh.abortReshardCollection with nothing left to abort.
const shre = db.getSiblingDB('shre');
sh.enableSharding('shre');
sh.shardCollection('shre.items', { _id: 'hashed' });
const reshardItems = [];
for (let i = 0; i < 500; i++) {
  reshardItems.push({ _id: i, region: 'r' + (i % 5), n: i });
}
shre.items.insertMany(reshardItems);
// Plain shards (issue 11: mongods without --shardsvr) cannot take part in a resharding yet: refused, and nothing moves.
const plainShards = db.getSiblingDB('config').shards.countDocuments({ plain: true }) > 0;
if (plainShards) {
  let reshardError = null;
  try {
    sh.reshardCollection('shre.items', { region: 1, n: 1 });
  } catch (e) {
    reshardError = e;
  }
  check(reshardError !== null && reshardError.code === 20 && String(reshardError).includes('plain shard'),
    'reshardCollection over plain shards is IllegalOperation (20): ' + reshardError);
  check(shre.items.countDocuments({}) === 500, 'every document still there');
} else {
  const resharded = sh.reshardCollection('shre.items', { region: 1, n: 1 });
  check(resharded.ok === 1, 'sh.reshardCollection: ' + JSON.stringify(resharded));
  const reshardedMeta = db.getSiblingDB('config').collections.findOne({ _id: 'shre.items' });
  check(reshardedMeta.key.region === 1 && reshardedMeta.key.n === 1 && reshardedMeta.reshardingFields === undefined,
    'config.collections after sh.reshardCollection: ' + JSON.stringify(reshardedMeta));
  check(shre.items.countDocuments({}) === 500 && shre.items.countDocuments({ region: 'r1' }) === 100,
    'every document once after sh.reshardCollection');
  check(shre.items.find({ region: 'r2', n: 7 }).explain().queryPlanner.winningPlan.shards.length === 1,
    'a query on the new key goes to one shard');
}
let abortError = null;
try {
  sh.abortReshardCollection('shre.items');
} catch (e) {
  abortError = e;
}
check(abortError !== null && abortError.code === 339, 'nothing to abort is NoSuchReshardCollection (339): ' + abortError);
print('mongosh sharding smoke: ok');
