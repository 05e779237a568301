// mongosh 2.x against an uninitiated 4-member set (two data members, a hidden delayed member, an arbiter).
// The test prepends: const setName = '...'; const ports = [p0, ..., p5]; members 4 and 5 join later (rs.add, rs.addArb).
function check(cond, what) {
  if (!cond) {
    throw new Error('mongosh replset failed: ' + what);
  }
}
function waitFor(cond, what, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if (cond()) return;
    } catch (e) {
      // not yet
    }
    sleep(50);
  }
  throw new Error('mongosh replset failed: timed out waiting for ' + what);
}
const host = i => 'localhost:' + ports[i];
const init = rs.initiate({
  _id: setName,
  members: [
    { _id: 0, host: host(0) },
    { _id: 1, host: host(1) },
    { _id: 2, host: host(2), priority: 0, hidden: true, secondaryDelaySecs: 5, votes: 0 },
    { _id: 3, host: host(3), arbiterOnly: true }
  ],
  settings: { heartbeatIntervalMillis: 250, electionTimeoutMillis: 1000 }
});
check(init.ok === 1, 'rs.initiate: ' + JSON.stringify(init));
waitFor(() => {
  const st = rs.status();
  const names = st.members.map(m => m.stateStr).sort().join(',');
  return names === 'ARBITER,PRIMARY,SECONDARY,SECONDARY';
}, 'rs.status() with a primary, two secondaries and an arbiter', 20000);
const st = rs.status();
check(st.set === setName && st.members.every(m => m.optime && m.optime.ts !== undefined), 'rs.status optimes');
const conf = rs.conf();
check(conf._id === setName && conf.members.length === 4, 'rs.conf members');
check(conf.members[2].hidden === true && Number(conf.members[2].secondaryDelaySecs) === 5, 'rs.conf delayed member');
check(conf.members[3].arbiterOnly === true, 'rs.conf arbiter');

db = connect('mongodb://' + host(0) + ',' + host(1) + '/test?replicaSet=' + setName);
const hello = rs.isMaster();
check(hello.setName === setName && hello.ismaster === true, 'rs.isMaster: ' + JSON.stringify(hello));
check(hello.hosts.length === 2 && hello.arbiters.length === 1 && hello.arbiters[0] === host(3), 'rs.isMaster lists');
const first = hello.primary;
db.getSiblingDB('app').notes.insertOne({ _id: 1, text: 'replicated' });
try {
  rs.stepDown(30);
} catch (e) {
  // older shells saw the connection close; mongosh gets ok
}
waitFor(() => {
  const h = rs.isMaster();
  return h.ismaster === true && h.primary !== first;
}, 'a new primary after rs.stepDown()', 20000);
db.getSiblingDB('app').notes.insertOne({ _id: 2, text: 'after stepDown' });
check(db.getSiblingDB('app').notes.countDocuments({}) === 2, 'both documents on the new primary');
rs.secondaryOk();
db.getMongo().setReadPref('secondary');
waitFor(() => db.getSiblingDB('app').notes.countDocuments({}) === 2, 'reads from a secondary', 10000);
db.getMongo().setReadPref('primary');

// rs.hello, rs.reconfig, rs.add, rs.addArb, rs.remove, rs.freeze
const h2 = rs.hello();
check(h2.setName === setName && h2.isWritablePrimary === true && typeof h2.primary === 'string', 'rs.hello: ' + JSON.stringify(h2));
const cfg = rs.conf();
cfg.members[1].tags = { dc: 'west' };
const rc = rs.reconfig(cfg);
check(rc.ok === 1, 'rs.reconfig: ' + JSON.stringify(rc));
check(rs.conf().members[1].tags.dc === 'west', 'rs.reconfig kept the new tags');
const added = rs.add(host(4));
check(added.ok === 1, 'rs.add: ' + JSON.stringify(added));
const arb = rs.addArb(host(5));
check(arb.ok === 1, 'rs.addArb: ' + JSON.stringify(arb));
waitFor(() => {
  const byHost = {};
  rs.status().members.forEach(m => { byHost[m.name] = m.stateStr; });
  return byHost[host(4)] === 'SECONDARY' && byHost[host(5)] === 'ARBITER';
}, 'the added member SECONDARY and the added arbiter ARBITER', 20000);
waitFor(() => {
  const m = new Mongo('mongodb://' + host(4) + '/?directConnection=true');
  m.setReadPref('secondaryPreferred');
  return m.getDB('app').notes.countDocuments({}) === 2;
}, 'the added member has the data', 20000);
check(rs.remove(host(5)).ok === 1 && rs.remove(host(4)).ok === 1, 'rs.remove');
check(rs.conf().members.length === 4, 'rs.remove left four members');
const secondaryHost = rs.isMaster().hosts.find(x => x !== rs.isMaster().primary);
db = connect('mongodb://' + secondaryHost + '/test?directConnection=true');
const frozen = rs.freeze(5);
check(frozen.ok === 1, 'rs.freeze on a secondary: ' + JSON.stringify(frozen));
check(rs.freeze(0).ok === 1, 'rs.freeze(0) unfreezes');
// db.getReplicationInfo() (rs.printReplicationInfo()): the oplog listed in local, its stats, first and last entries.
const replInfo = db.getReplicationInfo();
check(replInfo.configuredLogSizeMB > 0 && typeof replInfo.timeDiff === 'number' && replInfo.tFirst && replInfo.tLast,
  'db.getReplicationInfo(): ' + JSON.stringify(replInfo));
print('mongosh replset: ok');
